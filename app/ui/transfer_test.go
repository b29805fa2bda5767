package ui

import (
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/core/transfers"
	"hearth/app/ui/transfer"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// rowText is everything a transfer row shows, wrapped lines joined.
func rowText(r *transfer.Row) string {
	return strings.ReplaceAll(strings.Join(uitest.Texts(r.Root), " | "), "\n", " ")
}

// buttonTexts lists the row's visible buttons with text.
func buttonTexts(r *transfer.Row) []string {
	var out []string
	uitest.Visible(r.Root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text != "" {
			out = append(out, b.Text)
		}
	})
	return out
}

func tr(id string, state contacts.TransferState, out bool) contacts.Transfer {
	return contacts.Transfer{
		ID: id, Conversation: "peer-bob", Outgoing: out, Name: id + ".pdf", Size: 2_400_000,
		MIME: "application/pdf", State: state, CreatedAt: time.Now().Add(-10 * time.Minute),
	}
}

// openBob opens Bob's conversation with the given transfers.
func openBob(t *testing.T, ts ...contacts.Transfer) (*MainWindow, *fakeBackend, uitest.Queue) {
	t.Helper()
	mw, b, q := newTestMain(t)
	b.locked(func() { b.files.transfers["peer-bob"] = ts })
	mw.OpenConversation("peer-bob")
	if mw.selected != "peer-bob" {
		t.Fatal("Bob's conversation did not open")
	}
	return mw, b, q
}

func row(t *testing.T, mw *MainWindow, id string) *transfer.Row {
	t.Helper()
	r := mw.chat.transfers[id]
	if r == nil {
		t.Fatalf("no row for transfer %q", id)
	}
	return r
}

func TestTransferRowStates(t *testing.T) {
	offIn := tr("off-in", contacts.Offered, false)
	offOut := tr("off-out", contacts.Offered, true)
	xfer := tr("xfer", contacts.Transferring, false)
	xfer.Size, xfer.Done = 1000, 500
	paused := tr("paused", contacts.Paused, true)
	paused.Size, paused.Done = 1000, 250
	verifying := tr("verifying", contacts.Verifying, false)
	clean := tr("clean", contacts.Done, false)
	clean.Scan, clean.Path = contacts.Clean, "/home/ann/Downloads/clean.pdf"
	notScanned := tr("notscanned", contacts.Done, false)
	notScanned.Path = "/home/ann/Downloads/notscanned.pdf"
	scanFailed := tr("scanfailed", contacts.Done, false)
	scanFailed.Path, scanFailed.Reason = "/home/ann/Downloads/huge.iso", "the file is too large for the virus scanner"
	sent := tr("sent", contacts.Done, true)
	sent.Path = "/home/ann/sent.pdf"
	quar := tr("quar", contacts.Quarantined, false)
	quar.Scan, quar.Signature = contacts.Infected, "Eicar-Test-Signature"
	declined := tr("declined", contacts.Declined, true)
	declined.Reason = "too large for the team's policy"
	cancelled := tr("cancelled", contacts.Cancelled, false)
	cancelled.Reason = "Bob cancelled"
	failed := tr("failed", contacts.Failed, false)
	failed.Reason = "the file did not match its checksum"

	mw, b, q := openBob(t, offIn, offOut, xfer, paused, verifying, clean, notScanned, scanFailed, sent, quar, declined, cancelled, failed)
	for _, c := range []struct {
		id      string
		want    []string
		buttons []string
	}{
		{"off-in", []string{"off-in.pdf", "2.4 MB"}, []string{"Accept", "Decline"}},
		{"off-out", []string{"Waiting for Bob to accept"}, []string{"Cancel"}},
		{"xfer", []string{"500 B of 1.0 kB", "Starting…"}, []string{"Pause", "Cancel"}},
		{"paused", []string{"Paused", "250 B of 1.0 kB"}, []string{"Resume", "Cancel"}},
		{"verifying", []string{"Checking…"}, nil},
		{"clean", []string{"Scanned, clean"}, []string{"Open", "Show in folder"}},
		{"notscanned", []string{"Received ✓"}, []string{"Open", "Show in folder"}},
		{"scanfailed", []string{"Not scanned: the file is too large for the virus scanner"}, []string{"Open", "Show in folder"}},
		{"sent", []string{"Sent ✓"}, nil},
		{"quar", []string{"Blocked: virus found (Eicar-Test-Signature). The file was moved to quarantine."}, nil},
		{"declined", []string{"Declined: too large for the team's policy"}, nil},
		{"cancelled", []string{"Cancelled: Bob cancelled"}, nil},
		{"failed", []string{"Failed: the file did not match its checksum"}, nil},
	} {
		r := row(t, mw, c.id)
		got := rowText(r)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q not shown in %q", c.id, w, got)
			}
		}
		if bs := buttonTexts(r); !slices.Equal(bs, c.buttons) {
			t.Errorf("%s: buttons %q, want %q", c.id, bs, c.buttons)
		}
	}
	if v := row(t, mw, "xfer").Progress.Value; v != 0.5 {
		t.Errorf("progress = %v, want 0.5", v)
	}
	if r := row(t, mw, "verifying"); !r.Busy.Visible() || r.Progress.Visible() {
		t.Error("Verifying shows no infinite progress bar")
	}
	for _, id := range []string{"declined", "cancelled", "failed"} {
		if r := row(t, mw, id); r.Name.Importance != widget.LowImportance {
			t.Errorf("%s is not greyed", id)
		}
	}
	// Outgoing rows sit on my side, incoming on theirs.
	if objs := row(t, mw, "off-out").Line.Objects; len(objs) != 2 || objs[0].MinSize().Width != 0 {
		t.Error("outgoing row is not right-aligned")
	}

	// The buttons call the backend with the transfer's ID.
	waitAction := func(want string) {
		t.Helper()
		q.WaitFor(t, want, func() bool {
			var ok bool
			b.locked(func() { ok = slices.Contains(b.files.actions, want) })
			return ok
		})
	}
	test.Tap(button(t, row(t, mw, "off-in").Root, "Accept"))
	waitAction("accept:off-in")
	test.Tap(button(t, row(t, mw, "off-in").Root, "Decline"))
	waitAction("decline:off-in")
	test.Tap(button(t, row(t, mw, "xfer").Root, "Pause"))
	waitAction("pause:xfer")
	test.Tap(button(t, row(t, mw, "paused").Root, "Resume"))
	waitAction("resume:paused")
	test.Tap(button(t, row(t, mw, "off-out").Root, "Cancel"))
	waitAction("cancel:off-out")
	test.Tap(button(t, row(t, mw, "clean").Root, "Open")) // the test app's OpenURL does nothing
}

func TestTransfersMergeWithMessages(t *testing.T) {
	mw, b, _ := newTestMain(t)
	now := time.Now()
	between := tr("between", contacts.Done, true)
	between.CreatedAt = now.Add(-55 * time.Minute) // after m1, before m2
	b.locked(func() { b.files.transfers["peer-bob"] = []contacts.Transfer{between} })
	mw.OpenConversation("peer-bob")
	var order []string
	for _, o := range mw.chat.msgs.Objects {
		switch {
		case uitest.HasText(o, "Are you coming"):
			order = append(order, "m1")
		case uitest.HasText(o, "between.pdf"):
			order = append(order, "between")
		case uitest.HasText(o, "bring the cake"):
			order = append(order, "m2")
		}
	}
	if !slices.Equal(order, []string{"m1", "between", "m2"}) {
		t.Errorf("timeline order %q", order)
	}
}

func TestTransferChangedUpdatesRowInPlace(t *testing.T) {
	x := tr("big", contacts.Transferring, false)
	x.Size, x.Done = 100_000_000, 0
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	mw, b, q := newTestMain(t)
	mw.chat.now = func() time.Time { return clock }
	b.locked(func() { b.files.transfers["peer-bob"] = []contacts.Transfer{x} })
	mw.OpenConversation("peer-bob")

	r := row(t, mw, "big")
	objs := slices.Clone(mw.chat.msgs.Objects)
	progress := func(done int64, at time.Duration) {
		t.Helper()
		x.Done = done
		// The clock moves before the update is sent, so the row sees the
		// update at that time whenever it gets to it.
		clock = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC).Add(at)
		b.events <- event.TransferChanged{Transfer: x}
		q.WaitFor(t, "the progress update", func() bool { return r.Transfer.Done == done })
	}
	progress(2_000_000, time.Second) // 2 MB in 1 s
	if r.Progress.Value != 0.02 || !strings.Contains(rowText(r), "2.0 MB/s · 45 s left") {
		t.Errorf("after 1 s: value %v, %q", r.Progress.Value, rowText(r))
	}
	progress(6_000_000, 2*time.Second) // 4 MB in the next second: smoothed 2.6 MB/s
	if r.Progress.Value != 0.06 || !strings.Contains(rowText(r), "2.6 MB/s") || !strings.Contains(rowText(r), "6.0 MB of 100 MB") {
		t.Errorf("after 2 s: value %v, %q", r.Progress.Value, rowText(r))
	}
	if mw.chat.transfers["big"] != r || !slices.Equal(objs, mw.chat.msgs.Objects) {
		t.Error("the conversation was rebuilt for a progress update")
	}

	// Done: the progress bar goes, Open appears; still the same row.
	x.State, x.Done, x.Path, x.Scan = contacts.Done, x.Size, "/home/ann/Downloads/big.pdf", contacts.Clean
	b.events <- event.TransferChanged{Transfer: x}
	q.WaitFor(t, "Done", func() bool { return r.Transfer.State == contacts.Done })
	if r.Progress.Visible() || !uitest.HasText(r.Root, "Scanned, clean") || mw.chat.transfers["big"] != r {
		t.Errorf("after Done: %q", rowText(r))
	}

	// Another conversation's transfer is not shown; a new one for this
	// conversation is added.
	other := tr("other", contacts.Offered, false)
	other.Conversation = "peer-cleo"
	fresh := tr("fresh", contacts.Offered, false)
	fresh.CreatedAt = time.Now()
	b.events <- event.TransferChanged{Transfer: other}
	b.events <- event.TransferChanged{Transfer: fresh}
	q.WaitFor(t, "the new transfer", func() bool { return mw.chat.transfers["fresh"] != nil })
	if mw.chat.transfers["other"] != nil {
		t.Error("another conversation's transfer shown")
	}
}

func TestDroppedFilesAreSent(t *testing.T) {
	mw, b, q := newTestMain(t)
	dir := t.TempDir()
	a, c := filepath.Join(dir, "a.txt"), filepath.Join(dir, "photo 1.jpg")
	for _, p := range []string{a, c} {
		if err := os.WriteFile(p, []byte("hello"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	uris := []fyne.URI{storage.NewFileURI(a), storage.NewFileURI(c)}

	// Nothing open: nothing sent, and the banner says why.
	mw.onDropped(fyne.NewPos(10, 10), uris)
	if !strings.Contains(mw.NoticeText(), "Open a conversation first") {
		t.Errorf("notice = %q", mw.NoticeText())
	}

	mw.OpenConversation("peer-bob")
	mw.onDropped(fyne.NewPos(10, 10), uris)
	q.WaitFor(t, "both rows", func() bool { return mw.chat.transfers["tr-1"] != nil && mw.chat.transfers["tr-2"] != nil })
	b.locked(func() {
		if !slices.Equal(b.files.sentFiles, []string{"peer-bob|" + a, "peer-bob|" + c}) {
			t.Errorf("SendFile calls %q", b.files.sentFiles)
		}
	})
	if !uitest.HasText(mw.chat.root, "photo 1.jpg") || !uitest.HasText(mw.chat.root, "Waiting for Bob to accept") {
		t.Errorf("rows: %q", uitest.Texts(mw.chat.root))
	}

	// A policy refusal shows in the banner.
	b.locked(func() { b.files.sendFileErr = errors.New("files of this kind are blocked by your team's policy") })
	mw.onDropped(fyne.NewPos(10, 10), uris[:1])
	q.WaitFor(t, "the refusal", func() bool { return strings.Contains(mw.NoticeText(), "blocked by your team's policy") })
	if !strings.Contains(mw.NoticeText(), "a.txt") {
		t.Errorf("notice does not name the file: %q", mw.NoticeText())
	}

	// A folder is not handed to the core.
	b.locked(func() { b.files.sendFileErr = nil })
	mw.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(dir)})
	q.WaitFor(t, "the folder notice", func() bool { return strings.Contains(mw.NoticeText(), "folder") })
	b.locked(func() {
		if len(b.files.sentFiles) != 3 {
			t.Errorf("SendFile calls %q", b.files.sentFiles)
		}
	})
}

// writeOgg writes a minimal Ogg Opus file of the given length: an OpusHead
// page and a last page whose granule position ends the stream.
func writeOgg(t *testing.T, path string, d time.Duration) {
	t.Helper()
	const preSkip = 312
	page := func(granule uint64, payload []byte) []byte {
		p := []byte("OggS\x00\x00")
		p = binary.LittleEndian.AppendUint64(p, granule)
		p = append(p, make([]byte, 12)...) // serial, sequence, CRC
		p = append(p, 1, byte(len(payload)))
		return append(p, payload...)
	}
	head := []byte("OpusHead\x01\x01")
	head = binary.LittleEndian.AppendUint16(head, preSkip)
	head = binary.LittleEndian.AppendUint32(head, 48000)
	head = append(head, 0, 0, 0)
	data := append(page(0, head), page(preSkip+uint64(d.Seconds()*48000), []byte("audio"))...)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestVoiceNoteRecordAndPlay(t *testing.T) {
	dir := t.TempDir()
	note := tr("voice-in", contacts.Done, false)
	note.VoiceNote, note.Name, note.MIME = true, "voice.ogg", "audio/ogg"
	note.Path = filepath.Join(dir, "voice.ogg")
	writeOgg(t, note.Path, 7*time.Second)
	mw, b, q := openBob(t, note)
	b.locked(func() { b.files.recNotice = "No microphone found: recording a synthetic tone" })
	cv := mw.chat

	// The incoming note plays, shows its length, and no Open button.
	r := row(t, mw, "voice-in")
	q.WaitFor(t, "the duration", func() bool { return uitest.HasText(r.Root, "0:07") })
	if !r.Play.Visible() || !uitest.HasText(r.Root, "Voice note") || slices.Contains(buttonTexts(r), "Open") {
		t.Errorf("voice row: %q", rowText(r))
	}
	test.Tap(r.Play)
	q.WaitFor(t, "PlayVoiceNote", func() bool { return cv.voice.Playing() == "voice-in" })
	b.locked(func() {
		if !slices.Equal(b.files.played, []string{"voice-in"}) {
			t.Errorf("PlayVoiceNote calls %q", b.files.played)
		}
	})
	test.Tap(r.Play) // stop
	q.WaitFor(t, "the stop func", func() bool {
		var n int
		b.locked(func() { n = b.files.playStops })
		return n == 1
	})
	if cv.voice.Playing() != "" {
		t.Error("still playing after Stop")
	}
	b.locked(func() { b.files.playErr = errors.New("no speaker found") })
	test.Tap(r.Play)
	q.WaitFor(t, "the playback error", func() bool { return strings.Contains(mw.NoticeText(), "No speaker found") })

	// Record: the strip replaces the composer and its clock runs.
	test.Tap(cv.mic)
	q.WaitFor(t, "the recorder", func() bool { return cv.voice.Rec != nil })
	if !cv.recorder.Visible() || cv.composer.Visible() || !uitest.HasText(cv.root, "synthetic tone") {
		t.Errorf("recorder strip not shown: %q", uitest.Texts(cv.root))
	}
	q.WaitFor(t, "the clock to tick", func() bool { return cv.voice.RecTime.Text == "0:01" })
	test.Tap(cv.voice.RecStop)
	var fr *fakeRecorder
	b.locked(func() { fr = b.files.recorders[0] })
	q.WaitFor(t, "the voice note row", func() bool { return cv.transfers["voice-1"] != nil })
	if s, c := fr.counts(); s != 1 || c != 0 || fr.peer != "peer-bob" {
		t.Errorf("Stop %d, Cancel %d, peer %q", s, c, fr.peer)
	}
	if cv.recorder.Visible() || !cv.composer.Visible() {
		t.Error("the recorder strip stayed")
	}

	// ✕ throws the recording away.
	test.Tap(cv.mic)
	q.WaitFor(t, "the recorder", func() bool { return cv.voice.Rec != nil })
	test.Tap(cv.voice.RecCancel)
	b.locked(func() { fr = b.files.recorders[1] })
	q.WaitFor(t, "Cancel", func() bool { _, c := fr.counts(); return c == 1 })
	if s, _ := fr.counts(); s != 0 {
		t.Error("a cancelled recording was sent")
	}

	// A recording is thrown away when the conversation changes.
	test.Tap(cv.mic)
	q.WaitFor(t, "the recorder", func() bool { return cv.voice.Rec != nil })
	b.locked(func() { fr = b.files.recorders[2] })
	mw.OpenConversation("peer-cleo")
	q.WaitFor(t, "Cancel", func() bool { _, c := fr.counts(); return c == 1 })

	b.locked(func() { b.files.recordErr = errors.New("no microphone and no tone") })
	test.Tap(cv.mic)
	q.WaitFor(t, "the record error", func() bool { return strings.Contains(mw.NoticeText(), "No microphone and no tone") })
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 0x80, A: 0xFF})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestImageThumbnail(t *testing.T) {
	dir := t.TempDir()
	pic := tr("pic", contacts.Done, false)
	pic.Name, pic.MIME, pic.Path, pic.Scan = "beach.png", "image/png", filepath.Join(dir, "beach.png"), contacts.Clean
	writePNG(t, pic.Path, 600, 400)
	garbage := tr("garbage", contacts.Done, false)
	garbage.Name, garbage.MIME, garbage.Path = "broken.png", "image/png", filepath.Join(dir, "broken.png")
	if err := os.WriteFile(garbage.Path, []byte("\x89PNG\r\n\x1a\nnot really a picture"), 0o600); err != nil {
		t.Fatal(err)
	}
	huge := tr("huge", contacts.Done, false)
	huge.Name, huge.MIME, huge.Path = "wide.png", "image/png", filepath.Join(dir, "wide.png")
	writePNG(t, huge.Path, 9000, 2)
	pending := tr("pending", contacts.Transferring, false)
	pending.Name, pending.MIME = "later.png", "image/png"

	mw, _, q := openBob(t, pic, garbage, huge, pending)
	r := row(t, mw, "pic")
	q.WaitFor(t, "the thumbnail", func() bool { return r.Thumb.Visible() && r.Thumb.Image != nil })
	if b := r.Thumb.Image.Bounds(); b.Dx() != 240 || b.Dy() != 160 {
		t.Errorf("thumbnail %v, want 240×160", b)
	}
	if !uitest.HasText(r.Root, "beach.png") || !slices.Contains(buttonTexts(r), "Open") {
		t.Errorf("image row: %q", rowText(r))
	}
	for _, id := range []string{"garbage", "huge"} {
		q.WaitFor(t, id+" to be tried", func() bool { _, ok := mw.chat.thumbs.Get(id); return ok })
		r := row(t, mw, id)
		if r.Thumb.Visible() || !r.Icon.Visible() || !slices.Contains(buttonTexts(r), "Open") {
			t.Errorf("%s: thumb %v, %q", id, r.Thumb.Visible(), rowText(r))
		}
	}
	if _, ok := mw.chat.thumbs.Get("pending"); ok || row(t, mw, "pending").Thumb.Visible() {
		t.Error("an unfinished picture was decoded")
	}

	// The cache serves a reopened conversation without decoding again.
	mw.OpenConversation("peer-cleo")
	mw.OpenConversation("peer-bob")
	if r := row(t, mw, "pic"); !r.Thumb.Visible() {
		t.Error("the cached thumbnail was not shown at once")
	}
}

func TestSettingsShowsPolicy(t *testing.T) {
	mw, b, _ := newTestMain(t)
	d := mw.showSettings()
	top := mw.win.Canvas().Overlays().Top()
	for _, want := range []string{"/home/ann/Downloads", "No limit", "Any", "Never"} {
		if !uitest.HasText(top, want) {
			t.Errorf("%q not in %q", want, uitest.Texts(top))
		}
	}
	// At home, with no policy and no scanner, nothing about either.
	for _, unwanted := range []string{"policy", "scan", "Virus"} {
		if uitest.HasText(top, unwanted) {
			t.Errorf("%q shown at home: %q", unwanted, uitest.Texts(top))
		}
	}
	d.Close()
	if mw.modal != nil {
		t.Error("settings still open")
	}

	b.locked(func() {
		b.files.policy = transfers.PolicyView{Installed: true, MaxSize: 2_000_000_000, BlockedKinds: []string{".exe", ".msi"},
			AutoAcceptBelow: 10_000_000, ScannerAvailable: true}
	})
	mw.ShowSettings()
	top = mw.win.Canvas().Overlays().Top()
	for _, want := range []string{"Set by your team's policy", "2.0 GB", ".exe, .msi", "Files under 10 MB", "ClamAV"} {
		if !uitest.HasText(top, want) {
			t.Errorf("%q not in %q", want, uitest.Texts(top))
		}
	}
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape did not close the settings")
	}
}
