package ui

import (
	"errors"
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/contacts"
)

// visible walks what is shown under o: containers' children and widgets'
// rendered objects, skipping hidden ones.
func visible(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			visible(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			visible(c, visit)
		}
	}
}

// texts lists the visible labels, buttons and canvas texts under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	visible(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *canvas.Text:
			out = append(out, x.Text)
		}
	})
	return out
}

func hasText(o fyne.CanvasObject, want string) bool {
	return slices.ContainsFunc(texts(o), func(s string) bool { return strings.Contains(s, want) })
}

// button finds a visible, enabled button by its text.
func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	visible(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && !b.Disabled() && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no %q button in %q", text, texts(o))
	}
	return found
}

func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// ---- first run and unlock ----

func TestFirstRunCreatesProfile(t *testing.T) {
	test.NewTempApp(t)
	q := newQueue()
	l := &fakeLauncher{}
	var got *Backend
	s := newStartScreen(l, q.do, func(b *Backend) { got = b })
	test.NewTempWindow(t, s.content)

	test.Type(s.name, "Grandma Rose")
	test.Type(s.pass, "sunflower")
	test.Type(s.confirm, "sunflower")
	test.Tap(s.create)
	q.waitFor(t, "the profile to open", func() bool { return got != nil })
	l.locked(func() {
		if !slices.Equal(l.created, []string{"Grandma Rose/sunflower"}) {
			t.Errorf("Create calls = %q", l.created)
		}
	})
}

func TestFirstRunMismatchedPassphrase(t *testing.T) {
	test.NewTempApp(t)
	q := newQueue()
	l := &fakeLauncher{}
	s := newStartScreen(l, q.do, func(*Backend) { t.Error("opened despite mismatch") })
	test.NewTempWindow(t, s.content)

	test.Type(s.name, "Rose")
	test.Type(s.pass, "sunflower")
	test.Type(s.confirm, "sunflowr")
	test.Tap(s.create)
	time.Sleep(20 * time.Millisecond)
	q.drain()
	if !s.errText.Visible() || !strings.Contains(s.errText.Text, "not the same") {
		t.Errorf("error shown = %v %q", s.errText.Visible(), s.errText.Text)
	}
	l.locked(func() {
		if len(l.created) != 0 {
			t.Errorf("Create called: %q", l.created)
		}
	})
}

func TestFirstRunNeedsName(t *testing.T) {
	test.NewTempApp(t)
	s := newStartScreen(&fakeLauncher{}, newQueue().do, func(*Backend) { t.Error("opened without a name") })
	test.NewTempWindow(t, s.content)
	test.Tap(s.create)
	if !s.errText.Visible() {
		t.Error("no error for a missing name")
	}
}

func TestUnlockWrongThenRight(t *testing.T) {
	test.NewTempApp(t)
	q := newQueue()
	l := &fakeLauncher{exists: true, needsPass: true, pass: "right"}
	var got *Backend
	s := newStartScreen(l, q.do, func(b *Backend) { got = b })
	w := test.NewTempWindow(t, s.content)
	if s.unlockPass == nil {
		t.Fatal("no unlock screen")
	}

	test.Type(s.unlockPass, "wrong")
	enter(s.unlockPass) // Enter submits
	q.waitFor(t, "the wrong-passphrase message", func() bool { return s.errText.Visible() })
	if !strings.Contains(s.errText.Text, "not right") {
		t.Errorf("message = %q", s.errText.Text)
	}
	if got != nil || w.Content() != s.content || s.unlock.Disabled() {
		t.Fatal("the unlock screen did not stay usable")
	}

	test.Type(s.unlockPass, "right")
	test.Tap(s.unlock)
	q.waitFor(t, "the profile to open", func() bool { return got != nil })
	l.locked(func() {
		if !slices.Equal(l.tries, []string{"wrong", "right"}) {
			t.Errorf("Unlock calls = %q", l.tries)
		}
	})
}

func TestNoPassphraseSkipsUnlock(t *testing.T) {
	test.NewTempApp(t)
	s := newStartScreen(&fakeLauncher{exists: true}, newQueue().do, nil)
	if s.view != nil || s.backend == nil || s.err != nil {
		t.Fatalf("view=%v backend=%v err=%v", s.view, s.backend, s.err)
	}
}

// ---- main window ----

func newTestMain(t *testing.T) (*MainWindow, *fakeBackend, uiQueue) {
	t.Helper()
	a := test.NewTempApp(t)
	b := sampleBackend()
	q := newQueue()
	w := a.NewWindow("Hearth")
	mw := newMainWindow(a, w, b.backend(), q.do)
	w.Resize(fyne.NewSize(1000, 680))
	t.Cleanup(func() {
		q.drain()
		mw.Close()
		w.Close()
	})
	return mw, b, q
}

func TestContactListShowsNamesAndUnread(t *testing.T) {
	mw, fb, _ := newTestMain(t)
	if mw.list.Length() != 2 {
		t.Fatalf("list has %d rows, want the 2 accepted contacts", mw.list.Length())
	}
	content := mw.win.Content()
	for _, want := range []string{"Bob", "Cleo", "Baking bread", "2", "Dan", "Hi, it's Dan from the choir", "Eve", "Request sent", "Finn"} {
		if !hasText(content, want) {
			t.Errorf("%q not shown; texts: %q", want, texts(content))
		}
	}
	if mw.win.Title() != "(2) Hearth — "+fb.me.MyName() {
		t.Errorf("title = %q", mw.win.Title())
	}
}

func TestSearchFiltersContacts(t *testing.T) {
	mw, _, _ := newTestMain(t)
	test.Type(mw.search, "cle")
	if mw.list.Length() != 1 || mw.shown[0].Name != "Cleo" {
		t.Errorf("filtered = %v", mw.shown)
	}
}

func TestSelectShowsHistoryAndMarksRead(t *testing.T) {
	mw, b, q := newTestMain(t)
	if !mw.empty.Visible() || !hasText(mw.win.Content(), "invite code") {
		t.Error("no empty state before a contact is selected")
	}
	mw.list.Select(0)
	if mw.selected != "peer-bob" || mw.empty.Visible() {
		t.Fatalf("selected %q", mw.selected)
	}
	for _, want := range []string{"Are you coming on Sunday?", "Yes! I'll bring the cake.", "Delivered"} {
		if !hasText(mw.chat.root, want) {
			t.Errorf("%q not in the conversation: %q", want, texts(mw.chat.root))
		}
	}
	q.waitFor(t, "MarkRead", func() bool {
		var ok bool
		b.locked(func() { ok = slices.Contains(b.chat.read, "peer-bob") })
		return ok
	})
}

func TestEnterSendsShiftEnterAddsLine(t *testing.T) {
	mw, b, _ := newTestMain(t)
	mw.list.Select(0)
	e := mw.chat.entry

	test.Type(e, "line one")
	e.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	enter(e)
	e.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	test.Type(e, "line two")
	if e.Text != "line one\nline two" {
		t.Fatalf("after Shift+Enter the entry holds %q", e.Text)
	}
	b.locked(func() {
		if len(b.chat.sent) != 0 {
			t.Fatalf("Shift+Enter sent %q", b.chat.sent[0].Body)
		}
	})

	enter(e)
	b.locked(func() {
		if len(b.chat.sent) != 1 || b.chat.sent[0].Body != "line one\nline two" || b.chat.sent[0].Conversation != "peer-bob" {
			t.Fatalf("sent = %+v", b.chat.sent)
		}
	})
	if e.Text != "" {
		t.Errorf("entry not cleared: %q", e.Text)
	}
	if !hasText(mw.chat.root, "line two") || !hasText(mw.chat.root, "Pending") {
		t.Errorf("sent message not shown: %q", texts(mw.chat.root))
	}

	// An empty entry sends nothing.
	enter(e)
	b.locked(func() {
		if len(b.chat.sent) != 1 {
			t.Errorf("an empty message was sent")
		}
	})
}

func TestAcceptRequest(t *testing.T) {
	mw, b, q := newTestMain(t)
	test.Tap(button(t, mw.requests, "Accept"))
	q.waitFor(t, "Accept", func() bool {
		var ok bool
		b.locked(func() { ok = slices.Equal(b.people.accepted, []string{"peer-dan"}) })
		return ok
	})
}

func TestAddContactDialog(t *testing.T) {
	mw, b, q := newTestMain(t)
	code, _ := b.people.InviteCode()
	d := mw.showAddContact()
	if got := strings.ReplaceAll(d.codeTxt.Text, "\n", ""); got != code {
		t.Errorf("invite code shown = %q", got)
	}
	if d.qr == nil {
		t.Error("no QR code")
	}
	test.Tap(d.copyBtn)
	if mw.app.Clipboard().Content() != code {
		t.Errorf("clipboard = %q", mw.app.Clipboard().Content())
	}

	// A backend error stays inside the dialog.
	b.locked(func() { b.people.addErr = errors.New("this invite code is damaged or incomplete") })
	test.Type(d.paste, "hearth1-bob\n-code")
	test.Type(d.note, "It's Ann")
	test.Tap(d.send)
	q.waitFor(t, "the inline error", func() bool { return d.err.Visible() })
	if d.err.Text != "This invite code is damaged or incomplete" || mw.modal == nil {
		t.Errorf("error %q, dialog open %v", d.err.Text, mw.modal != nil)
	}

	b.locked(func() { b.people.addErr = nil })
	test.Tap(d.send)
	q.waitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	b.locked(func() {
		if !slices.Equal(b.people.invites, []string{"hearth1-bob-code", "hearth1-bob-code"}) || b.people.notes[1] != "It's Ann" {
			t.Errorf("AddByInvite calls = %q %q", b.people.invites, b.people.notes)
		}
	})
	if !strings.Contains(mw.NoticeText(), "Request sent") {
		t.Errorf("notice = %q", mw.NoticeText())
	}
}

func TestEscapeClosesAddContact(t *testing.T) {
	mw, _, _ := newTestMain(t)
	d := mw.showAddContact()
	d.paste.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape did not close the dialog")
	}
	mw.showAddContact()
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape on the window did not close the dialog")
	}
}

// ---- events ----

func TestMessageAddedEventAppears(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	b.events <- core.MessageAdded{Message: contacts.Message{
		ID: "m3", Conversation: "peer-bob", From: "peer-bob", Body: "See you there",
		SentAt: time.Now(), Status: contacts.Received,
	}}
	b.events <- core.MessageAdded{Message: contacts.Message{
		ID: "m4", Conversation: "peer-cleo", From: "peer-cleo", Body: "Not for this chat", SentAt: time.Now(),
	}}
	q.waitFor(t, "the new message", func() bool { return hasText(mw.chat.root, "See you there") })
	if hasText(mw.chat.root, "Not for this chat") {
		t.Error("another conversation's message shown")
	}

	// Delivery updates reach my message's status line.
	b.events <- core.MessageStatusChanged{ID: "m2", Conversation: "peer-bob", Status: contacts.Delivered}
	b.events <- core.Notice{Text: "Camera not found", At: time.Now()}
	q.waitFor(t, "the notice", func() bool { return mw.NoticeText() == "Camera not found" })
}

func TestIncomingCallAcceptAndEnd(t *testing.T) {
	endedLinger = 10 * time.Millisecond
	mw, b, q := newTestMain(t)
	b.events <- core.IncomingCall{CallID: "call-1", PeerID: "peer-bob", Name: "Bob"}
	q.waitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-1"] != nil })
	top := mw.win.Canvas().Overlays().Top()
	if !hasText(top, "Bob is calling") {
		t.Errorf("dialog texts %q", texts(top))
	}
	button(t, top, "Decline")
	test.Tap(button(t, top, "Accept"))
	q.waitFor(t, "the call window", func() bool { return mw.calls["call-1"] != nil })
	b.locked(func() {
		if !slices.Equal(b.calls.accCalls, []string{"call-1"}) {
			t.Errorf("AcceptCall calls = %q", b.calls.accCalls)
		}
	})
	cw := mw.calls["call-1"]
	b.events <- core.CallConnected{CallID: "call-1"}
	q.waitFor(t, "Connected", func() bool { return cw.status.Text == "Connected" })
	b.events <- core.CallEnded{CallID: "call-1", Reason: "Bob hung up"}
	q.waitFor(t, "the call window to close", func() bool { return mw.calls["call-1"] == nil })
	if cw.status.Text != "Bob hung up" {
		t.Errorf("status = %q", cw.status.Text)
	}
}

func TestIncomingCallDeclineAndMissed(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.events <- core.IncomingCall{CallID: "call-2", PeerID: "peer-bob", Name: "Bob"}
	q.waitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-2"] != nil })
	test.Tap(button(t, mw.win.Canvas().Overlays().Top(), "Decline"))
	q.waitFor(t, "DeclineCall", func() bool {
		var ok bool
		b.locked(func() { ok = slices.Equal(b.calls.decCalls, []string{"call-2"}) })
		return ok
	})

	b.events <- core.IncomingCall{CallID: "call-3", PeerID: "peer-bob", Name: "Bob"}
	q.waitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-3"] != nil })
	b.events <- core.CallEnded{CallID: "call-3", Reason: "Missed call"}
	q.waitFor(t, "the missed-call notice", func() bool { return mw.NoticeText() == "Missed call" })
	if mw.modal != nil {
		t.Error("ringing dialog still open after the caller gave up")
	}
}

// ---- call window ----

func TestCallWindowVideoAndHangup(t *testing.T) {
	a := test.NewTempApp(t)
	q := newQueue()
	c := &fakeCall{id: "c1", peer: "peer-bob", notice: "Synthetic test picture — no camera found"}
	cw := newCallWindow(a, c, "Bob", "Calling…", q.do)
	remote, local := c.sinks()
	if remote == nil || local == nil {
		t.Fatal("SetVideoSinks got nil sinks")
	}
	if !hasText(cw.win.Content(), "Synthetic test picture") || !hasText(cw.win.Content(), "Calling…") {
		t.Errorf("texts %q", texts(cw.win.Content()))
	}

	frame := func(c color.Color) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, 64, 48))
		for i := 0; i < len(img.Pix); i += 4 {
			r, g, b, _ := c.RGBA()
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = byte(r>>8), byte(g>>8), byte(b>>8), 255
		}
		return img
	}
	// A hundred frames from a media goroutine queue one UI update only,
	// and that update shows the newest frame.
	last := frame(color.RGBA{G: 200, A: 255})
	done := make(chan struct{})
	go func() {
		for i := 0; i < 99; i++ {
			remote(frame(color.RGBA{R: byte(i), A: 255}))
		}
		remote(last)
		local(frame(color.RGBA{B: 200, A: 255}))
		close(done)
	}()
	<-done
	if n := len(q); n != 2 {
		t.Errorf("%d UI updates queued for 101 frames, want 2 (one per sink)", n)
	}
	q.drain()
	if cw.remote.img.Image != last {
		t.Error("the remote image is not the newest frame")
	}
	if cw.local.img.Image == nil {
		t.Error("no local preview")
	}
	if cw.waiting.Visible() {
		t.Error("the waiting text still covers the video")
	}

	test.Tap(cw.mute)
	test.Tap(cw.camera)
	c.mu.Lock()
	if !c.muted || !c.camOff {
		t.Errorf("muted=%v camOff=%v", c.muted, c.camOff)
	}
	c.mu.Unlock()
	if cw.mute.Text != "Unmute" || cw.camera.Text != "Camera on" {
		t.Errorf("buttons %q %q", cw.mute.Text, cw.camera.Text)
	}

	test.Tap(cw.hangup)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hungUp != 1 || !cw.closed {
		t.Errorf("hung up %d times, closed %v", c.hungUp, cw.closed)
	}
	if c.remote != nil {
		t.Error("sinks still set after the window closed")
	}
}

func TestCallWindowCloseHangsUp(t *testing.T) {
	a := test.NewTempApp(t)
	c := &fakeCall{id: "c2"}
	cw := newCallWindow(a, c, "Bob", "Calling…", newQueue().do)
	cw.Close()
	cw.Close()
	if c.hungUp != 1 {
		t.Errorf("hung up %d times", c.hungUp)
	}
}

func TestStartCallOpensWindow(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	test.Tap(mw.chat.call)
	q.waitFor(t, "the call window", func() bool { return mw.calls["call-out"] != nil })
	b.locked(func() {
		if len(b.calls.calls) != 1 || b.calls.calls[0].peer != "peer-bob" {
			t.Errorf("StartCall calls = %v", b.calls.calls)
		}
	})
	if mw.calls["call-out"].status.Text != "Calling…" {
		t.Errorf("status %q", mw.calls["call-out"].status.Text)
	}
}

// TestClickingARowOpensTheConversation: the row takes right-clicks for its
// menu, so it must pass a plain click on as a selection.
func TestClickingARowOpensTheConversation(t *testing.T) {
	mw, _, _ := newTestMain(t)
	var row *contactRow
	visible(mw.win.Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*contactRow); ok && r.peerID == "peer-bob" {
			row = r
		}
	})
	if row == nil {
		t.Fatal("no row for Bob")
	}
	test.Tap(row)
	if mw.selected != "peer-bob" || !mw.chat.root.Visible() {
		t.Fatalf("a click on Bob's row opened %q", mw.selected)
	}
}
