package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// button finds a visible, enabled button by its text.
func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	uitest.Visible(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && !b.Disabled() && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no %q button in %q", text, uitest.Texts(o))
	}
	return found
}

func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// ---- main window ----

func newTestMain(t *testing.T) (*MainWindow, *fakeBackend, uitest.Queue) {
	t.Helper()
	a := test.NewTempApp(t)
	b := sampleBackend()
	q := uitest.NewQueue()
	w := a.NewWindow("Hearth")
	mw := newMainWindow(a, w, b.backend(), q.Do)
	w.Resize(fyne.NewSize(1000, 680))
	t.Cleanup(func() {
		q.Drain()
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
	for _, want := range []string{"Bob", "Cleo", "Baking bread", "2", "Dan", "Hi, it's Dan from the choir", "Eve", "waiting for their answer", "Finn"} {
		if !uitest.HasText(content, want) {
			t.Errorf("%q not shown; texts: %q", want, uitest.Texts(content))
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
	if !mw.empty.Visible() || !uitest.HasText(mw.win.Content(), "invite code") {
		t.Error("no empty state before a contact is selected")
	}
	mw.list.Select(0)
	if mw.selected != "peer-bob" || mw.empty.Visible() {
		t.Fatalf("selected %q", mw.selected)
	}
	for _, want := range []string{"Are you coming on Sunday?", "Yes! I'll bring the cake.", "Delivered"} {
		if !uitest.HasText(mw.chat.root, want) {
			t.Errorf("%q not in the conversation: %q", want, uitest.Texts(mw.chat.root))
		}
	}
	q.WaitFor(t, "MarkRead", func() bool {
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
	if !uitest.HasText(mw.chat.root, "line two") || !uitest.HasText(mw.chat.root, "Pending") {
		t.Errorf("sent message not shown: %q", uitest.Texts(mw.chat.root))
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
	q.WaitFor(t, "Accept", func() bool {
		var ok bool
		b.locked(func() { ok = slices.Equal(b.people.accepted, []string{"peer-dan"}) })
		return ok
	})
}

func TestEscapeClosesAddContact(t *testing.T) {
	mw, _, _ := newTestMain(t)
	d := mw.add.ShowAddContact()
	d.Field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape did not close the dialog")
	}
	mw.add.ShowAddContact()
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape on the window did not close the dialog")
	}
}

// ---- events ----

func TestMessageAddedEventAppears(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	b.events <- event.MessageAdded{Message: contacts.Message{
		ID: "m3", Conversation: "peer-bob", From: "peer-bob", Body: "See you there",
		SentAt: time.Now(), Status: contacts.Received,
	}}
	b.events <- event.MessageAdded{Message: contacts.Message{
		ID: "m4", Conversation: "peer-cleo", From: "peer-cleo", Body: "Not for this chat", SentAt: time.Now(),
	}}
	q.WaitFor(t, "the new message", func() bool { return uitest.HasText(mw.chat.root, "See you there") })
	if uitest.HasText(mw.chat.root, "Not for this chat") {
		t.Error("another conversation's message shown")
	}

	// Delivery updates reach my message's status line.
	b.events <- event.MessageStatusChanged{ID: "m2", Conversation: "peer-bob", Status: contacts.Delivered}
	b.events <- event.Notice{Text: "Camera not found", At: time.Now()}
	q.WaitFor(t, "the notice", func() bool { return mw.NoticeText() == "Camera not found" })
}

// TestClickingARowOpensTheConversation: the row takes right-clicks for its
// menu, so it must pass a plain click on as a selection.
func TestClickingARowOpensTheConversation(t *testing.T) {
	mw, _, _ := newTestMain(t)
	var row *kit.ContactRow
	uitest.Visible(mw.win.Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*kit.ContactRow); ok && r.PeerID == "peer-bob" {
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
