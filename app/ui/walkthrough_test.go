package ui

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/core/people"
	"hearth/app/ui/archivedlg"
	"hearth/app/ui/callwin"
	"hearth/contacts"
)

// Fixes from a walk through the whole GUI as a new user.

var ctrlF = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}

// typeShortcut delivers s the way the desktop driver does: to the focused
// widget when it takes shortcuts, else to the canvas.
func typeShortcut(t *testing.T, c fyne.Canvas, s fyne.Shortcut) {
	t.Helper()
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(s)
}

func TestCtrlFWorksWhileTypingAMessage(t *testing.T) {
	mw, _, _ := newTestMain(t)
	mw.OpenConversation("peer-bob")
	c := mw.win.Canvas()
	c.Focus(mw.chat.entry)
	if c.Focused() != mw.chat.entry {
		t.Fatal("the message entry does not have the focus")
	}
	typeShortcut(t, c, ctrlF)
	p := mw.find.Open
	if p == nil {
		t.Fatal("Ctrl+F in the message entry did not open the search panel")
	}
	// The entry's own shortcuts still work.
	mw.chat.entry.SetText("draft")
	mw.chat.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	if mw.chat.entry.SelectedText() != "draft" {
		t.Errorf("select all in the entry selected %q", mw.chat.entry.SelectedText())
	}
	mw.HideModal(mw.modal)
	mw.find.Open = nil

	// The same from the contact search field.
	c.Focus(mw.search)
	typeShortcut(t, c, ctrlF)
	if mw.find.Open == nil {
		t.Fatal("Ctrl+F in the contact search did not open the search panel")
	}
}

func TestCtrlFInADialogFieldStaysInTheDialog(t *testing.T) {
	mw, _, _ := newTestMain(t)
	mw.OpenConversation("peer-bob")
	mw.archiveDlg.ShowRetention("peer-bob")
	before := mw.modal
	mw.chat.entry.TypedShortcut(ctrlF)
	if mw.find.Open != nil || mw.modal != before {
		t.Error("Ctrl+F opened the search panel on top of another dialog")
	}
}

func TestThumbnailGetsRoomWhenDecoded(t *testing.T) {
	dir := t.TempDir()
	pic := tr("pic", contacts.Done, false)
	pic.Name, pic.MIME, pic.Path = "beach.png", "image/png", filepath.Join(dir, "beach.png")
	writePNG(t, pic.Path, 600, 400)
	mw, _, q := openBob(t, tr("b1", contacts.Done, false))
	plain := row(t, mw, "b1")
	// The picture arrives while the conversation is open.
	mw.chat.setTransfer(pic)
	r := row(t, mw, "pic")
	q.WaitFor(t, "the thumbnail", func() bool { return r.Thumb.Visible() && r.Thumb.Image != nil })
	if s := r.Thumb.Size(); s.Width < 240 || s.Height < 160 {
		t.Errorf("thumbnail laid out at %v, want 240×160", s)
	}
	if r.Root.Size().Height < 160+plain.Root.Size().Height/2 {
		t.Errorf("row height %v does not hold the %v picture", r.Root.Size().Height, r.Thumb.Size())
	}
}

func TestRetentionDialogIsNotANarrowColumn(t *testing.T) {
	mw, _, _ := newTestMain(t)
	sel := mw.archiveDlg.ShowRetention("peer-bob")
	if w := sel.Size().Width; w < 380 {
		t.Errorf("retention dialog content is %v wide", w)
	}
}

func TestCallThatNeverConnectedLeavesItsReason(t *testing.T) {
	callwin.EndedLinger = 10 * time.Millisecond
	mw, b, q := newTestMain(t)
	mw.OpenConversation("peer-bob")
	mw.startCall()
	q.WaitFor(t, "the call window", func() bool { return mw.calls["call-out"] != nil })
	b.events <- event.CallEnded{CallID: "call-out", Reason: "Busy"}
	q.WaitFor(t, "the call window to close", func() bool { return mw.calls["call-out"] == nil })
	if got := mw.NoticeText(); got != "Call with Bob: Busy" {
		t.Errorf("notice %q after a Busy answer", got)
	}

	// Hanging up myself before it connected needs no explanation.
	mw.hideNotice()
	mw.startCall()
	q.WaitFor(t, "the call window", func() bool { return mw.calls["call-out"] != nil })
	b.events <- event.CallEnded{CallID: "call-out", Reason: "Hung up", ByMe: true}
	q.WaitFor(t, "the call window to close", func() bool { return mw.calls["call-out"] == nil })
	if got := mw.NoticeText(); got != "" {
		t.Errorf("notice %q after I hung up", got)
	}

	// A call that connected and was then hung up leaves no notice.
	mw.hideNotice()
	mw.startCall()
	q.WaitFor(t, "the call window", func() bool { return mw.calls["call-out"] != nil })
	b.events <- event.CallConnected{CallID: "call-out"}
	q.WaitFor(t, "Connected", func() bool { return mw.calls["call-out"].Status.Text == "Connected" })
	b.events <- event.CallEnded{CallID: "call-out", Reason: "The other side hung up"}
	q.WaitFor(t, "the call window to close", func() bool { return mw.calls["call-out"] == nil })
	if got := mw.NoticeText(); got != "" {
		t.Errorf("notice %q after a call that connected", got)
	}
}

// uriWriter is a save dialog's writer: it knows its file.
type uriWriter struct {
	nopCloser
	uri fyne.URI
}

func (w uriWriter) URI() fyne.URI { return w.uri }

func TestExportNoticeSaysWhere(t *testing.T) {
	mw, _, _ := archiveBackend(t)
	old := archivedlg.ChooseSaveFile
	t.Cleanup(func() { archivedlg.ChooseSaveFile = old })
	var buf bytes.Buffer
	path := filepath.Join(t.TempDir(), "Conversation with Bob.html")
	archivedlg.ChooseSaveFile = func(_ fyne.Window, name string, done func(io.WriteCloser, error)) {
		done(uriWriter{nopCloser{&buf}, storage.NewFileURI(path)}, nil)
	}
	e := mw.archiveDlg.ShowExport("peer-bob")
	test.Tap(e.Save)
	if want := "Conversation exported to " + path + "."; mw.NoticeText() != want {
		t.Errorf("notice %q, want %q", mw.NoticeText(), want)
	}
}

func TestPairNearbyKeepsTheSidebarWidth(t *testing.T) {
	mw, _, _ := newTestMain(t)
	idle := mw.pairBtn.MinSize().Width
	for _, until := range []time.Time{time.Date(2026, 1, 1, 23, 59, 0, 0, time.Local), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		mw.ShowNearbyWindow(until)
		if w := mw.pairBtn.MinSize().Width; w > idle {
			t.Errorf("%q is %v wide, Pair nearby %v: the sidebar widens", mw.pairBtn.Text, w, idle)
		}
	}
	mw.ShowNearbyWindow(time.Time{})
	if mw.pairBtn.Text != "Pair nearby" {
		t.Errorf("button %q after visibility ended", mw.pairBtn.Text)
	}
}

func TestRequestRowKeepsNameAndNoteTogether(t *testing.T) {
	mw, _, _ := newTestMain(t)
	for _, note := range []string{"", "It's Dan from the choir"} {
		row := mw.requestRow(people.ContactView{Contact: contacts.Contact{PeerID: "peer-x", Name: "Xavier", State: contacts.Incoming, Message: note}})
		w := test.NewTempWindow(t, row)
		w.Resize(fyne.NewSize(320, 200))
		name := findLabel(t, row, "Xavier")
		second := "wants to connect"
		if note != "" {
			second = "“" + note + "”"
		}
		sub := findLabel(t, row, second)
		d := fyne.CurrentApp().Driver()
		nameBottom := d.AbsolutePositionForObject(name).Y + name.Size().Height
		if top := d.AbsolutePositionForObject(sub).Y; top >= nameBottom {
			t.Errorf("%q starts %v below the name's box: the request row has a gap", second, top-nameBottom)
		}
	}
}

// findLabel is the label showing text under root.
func findLabel(t *testing.T, root fyne.CanvasObject, text string) *widget.Label {
	t.Helper()
	var found *widget.Label
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch c := o.(type) {
		case *widget.Label:
			if c.Text == text && found == nil {
				found = c
			}
		case *fyne.Container:
			for _, ch := range c.Objects {
				walk(ch)
			}
		}
	}
	walk(root)
	if found == nil {
		t.Fatalf("no label %q", text)
	}
	return found
}
