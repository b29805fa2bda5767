package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
	"hearth/app/ui/notify"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// bubbleMenuLabels lists a menu's items.
func bubbleMenuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		out = append(out, it.Label)
	}
	return out
}

// bubbleAction runs the item of a message's bubble menu labelled label.
func bubbleAction(t *testing.T, cv *chatView, id, label string) {
	t.Helper()
	for _, it := range cv.bubbleMenu(cv.shown[id]).Items {
		if it.Label == label {
			it.Action()
			return
		}
	}
	t.Fatalf("no %q in the menu of %s: %q", label, id, bubbleMenuLabels(cv.bubbleMenu(cv.shown[id])))
}

func TestBubbleMenuOffersWhatIsAllowed(t *testing.T) {
	mw, _, _ := newTestMain(t)
	mw.list.Select(0)
	if got, want := bubbleMenuLabels(mw.chat.bubbleMenu(mw.chat.shown["m2"])), []string{"Reply", "Copy", "React…", "Edit", "Delete for everyone"}; !slices.Equal(got, want) {
		t.Errorf("my message's menu = %q, want %q", got, want)
	}
	if got, want := bubbleMenuLabels(mw.chat.bubbleMenu(mw.chat.shown["m1"])), []string{"Reply", "Copy", "React…"}; !slices.Equal(got, want) {
		t.Errorf("Bob's message's menu = %q, want %q", got, want)
	}
	bubbleAction(t, mw.chat, "m1", "Copy")
	if got := mw.app.Clipboard().Content(); got != "Are you coming on Sunday?" {
		t.Errorf("clipboard = %q", got)
	}
	// A right click on a bubble opens the same menu as a pop-up.
	var bubble *kit.TapBubble
	uitest.Visible(mw.chat.rows["m1"], func(o fyne.CanvasObject) {
		if b, ok := o.(*kit.TapBubble); ok && b.OnContext != nil && bubble == nil {
			bubble = b
		}
	})
	if bubble == nil {
		t.Fatal("no bubble for m1")
	}
	test.TapSecondaryAt(bubble, fyne.NewPos(5, 5))
	top := mw.win.Canvas().Overlays().Top()
	if top == nil || !uitest.HasText(top, "Reply") || uitest.HasText(top, "Edit") {
		t.Fatalf("right click menu: %v", top)
	}
	mw.win.Canvas().Overlays().Remove(top)
}

func TestReplyShowsQuoteAndEscCancels(t *testing.T) {
	mw, b, _ := newTestMain(t)
	mw.list.Select(0)
	cv := mw.chat
	bubbleAction(t, cv, "m1", "Reply")
	if !cv.modeBar.Visible() || !strings.Contains(cv.modeText.Text, "Replying to Bob: Are you coming on Sunday?") {
		t.Fatalf("reply bar %v %q", cv.modeBar.Visible(), cv.modeText.Text)
	}
	// The bar takes room of its own above the entry.
	d := fyne.CurrentApp().Driver()
	barBottom := d.AbsolutePositionForObject(cv.modeBar).Y + cv.modeBar.Size().Height
	if entryTop := d.AbsolutePositionForObject(cv.entry).Y; barBottom > entryTop || cv.modeBar.Size().Height == 0 {
		t.Fatalf("reply bar (bottom %v) overlaps the entry (top %v)", barBottom, entryTop)
	}
	test.Type(cv.entry, "Sure!")
	enter(cv.entry)
	var sent contacts.Message
	b.locked(func() { sent = b.chat.sent[len(b.chat.sent)-1] })
	if sent.ReplyTo != "m1" || sent.Body != "Sure!" {
		t.Fatalf("sent %+v", sent)
	}
	if cv.modeBar.Visible() || cv.entry.Text != "" {
		t.Fatal("reply mode still on after sending")
	}
	if !uitest.HasText(cv.rows[sent.ID], "Bob: Are you coming on Sunday?") {
		t.Fatalf("no quote in the reply: %q", uitest.Texts(cv.rows[sent.ID]))
	}

	// Esc leaves reply mode and the next message is a plain one.
	bubbleAction(t, cv, "m2", "Reply")
	if !strings.Contains(cv.modeText.Text, "Replying to You") {
		t.Fatalf("reply bar %q", cv.modeText.Text)
	}
	cv.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if cv.modeBar.Visible() {
		t.Fatal("Esc did not cancel the reply")
	}
	test.Type(cv.entry, "plain")
	enter(cv.entry)
	b.locked(func() { sent = b.chat.sent[len(b.chat.sent)-1] })
	if sent.ReplyTo != "" || sent.Body != "plain" {
		t.Fatalf("after Esc sent %+v", sent)
	}
}

func TestQuoteScrollsToTheOriginal(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.locked(func() {
		h := b.chat.history["peer-bob"]
		for i := range 40 {
			h = append(h, contacts.Message{ID: fmt.Sprint("x", i), Conversation: "peer-bob", From: "peer-bob",
				Body: fmt.Sprint("filler ", i), SentAt: time.Now(), Status: contacts.Received})
		}
		h = append(h, contacts.Message{ID: "r1", Conversation: "peer-bob", From: "peer-bob", Body: "about Sunday: yes",
			SentAt: time.Now(), Status: contacts.Received, ReplyTo: "m1"})
		b.chat.history["peer-bob"] = h
	})
	mw.list.Select(0)
	q.Drain()
	cv := mw.chat
	var quote *kit.TapBubble
	uitest.Visible(cv.rows["r1"], func(o fyne.CanvasObject) {
		if b, ok := o.(*kit.TapBubble); ok && b.QuoteOf == "m1" {
			quote = b
		}
	})
	if quote == nil {
		t.Fatalf("no quote in %q", uitest.Texts(cv.rows["r1"]))
	}
	cv.scroll.ScrollToBottom()
	if cv.scroll.Offset.Y == 0 {
		t.Fatal("the conversation does not scroll: the test proves nothing")
	}
	test.Tap(quote)
	if want := cv.rows["m1"].Position().Y; cv.scroll.Offset.Y != want {
		t.Fatalf("after tapping the quote the offset is %v, want %v", cv.scroll.Offset.Y, want)
	}
}

func TestUpEditsMyLastMessage(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	cv := mw.chat
	cv.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if cv.mode != modeEdit || cv.target.ID != "m2" || cv.entry.Text != "Yes! I'll bring the cake." {
		t.Fatalf("Up: mode %v target %q text %q", cv.mode, cv.target.ID, cv.entry.Text)
	}
	// Esc gives the composer back, empty.
	cv.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if cv.mode != modeNone || cv.entry.Text != "" || cv.modeBar.Visible() {
		t.Fatalf("Esc: mode %v text %q", cv.mode, cv.entry.Text)
	}
	// Up with text in the composer moves the cursor, as usual.
	test.Type(cv.entry, "draft")
	cv.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if cv.mode != modeNone || cv.entry.Text != "draft" {
		t.Fatalf("Up in a non-empty composer: mode %v text %q", cv.mode, cv.entry.Text)
	}
	cv.entry.SetText("")

	cv.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	cv.entry.SetText("Yes! I'll bring two cakes.")
	enter(cv.entry)
	b.locked(func() {
		if !slices.Equal(b.chat.edits, []string{"m2|Yes! I'll bring two cakes."}) || len(b.chat.sent) != 0 {
			t.Fatalf("edits %q, sent %d", b.chat.edits, len(b.chat.sent))
		}
	})
	if !uitest.HasText(cv.rows["m2"], "two cakes") || !uitest.HasText(cv.rows["m2"], "edited") {
		t.Fatalf("edited bubble: %q", uitest.Texts(cv.rows["m2"]))
	}
	if cv.mode != modeNone || cv.entry.Text != "" {
		t.Fatal("still editing after Enter")
	}
	// Their edits arrive as events.
	b.events <- event.MessageChanged{Message: contacts.Message{ID: "m1", Conversation: "peer-bob", From: "peer-bob",
		Body: "Are you coming on Saturday?", SentAt: time.Now(), Edited: time.Now(), Status: contacts.Received}}
	q.WaitFor(t, "Bob's edit", func() bool {
		return uitest.HasText(cv.rows["m1"], "Saturday") && uitest.HasText(cv.rows["m1"], "edited")
	})
}

func TestDeleteAsksThenShowsDeleted(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	cv := mw.chat
	bubbleAction(t, cv, "m2", "Delete for everyone")
	top := mw.win.Canvas().Overlays().Top()
	if top == nil || !uitest.HasText(top, "Delete for everyone?") || !uitest.HasText(top, "for you and for Bob") {
		t.Fatalf("no confirmation: %v", top)
	}
	// Esc closes it without deleting.
	mw.win.Canvas().(test.WindowlessCanvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc did not close the confirmation")
	}
	b.locked(func() {
		if len(b.chat.deletes) != 0 {
			t.Fatal("deleted without confirmation")
		}
	})
	bubbleAction(t, cv, "m2", "Delete for everyone")
	test.Tap(button(t, mw.win.Canvas().Overlays().Top(), "Delete"))
	b.locked(func() {
		if !slices.Equal(b.chat.deletes, []string{"m2"}) {
			t.Fatalf("deletes %q", b.chat.deletes)
		}
	})
	b.events <- event.MessageChanged{Message: contacts.Message{ID: "m2", Conversation: "peer-bob", Outgoing: true,
		SentAt: time.Now(), Edited: time.Now(), Deleted: true, Status: contacts.Delivered}}
	q.WaitFor(t, "the deleted bubble", func() bool { return uitest.HasText(cv.rows["m2"], deletedText) })
	if uitest.HasText(cv.root, "cake") {
		t.Fatal("deleted text still shown")
	}
	if len(cv.bubbleMenu(cv.shown["m2"]).Items) != 0 {
		t.Fatal("a deleted message still has a menu")
	}
	uitest.Visible(cv.rows["m2"], func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok {
			t.Fatalf("a deleted message still has a button: %v", b)
		}
	})
}

func TestReadReceiptAndTypingShown(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	cv := mw.chat
	b.events <- event.MessageStatusChanged{ID: "m2", Conversation: "peer-bob", Status: contacts.Read}
	q.WaitFor(t, "Read", func() bool { return uitest.HasText(cv.rows["m2"], "Read") })
	if !cv.ids["m2"].icon2.Visible() {
		t.Error("Read shows one tick, want two")
	}

	b.events <- event.TypingChanged{PeerID: "peer-bob", Typing: true}
	q.WaitFor(t, "typing", func() bool { return cv.status.Text == "Bob is typing…" })
	b.events <- event.TypingChanged{PeerID: "peer-bob", Typing: false}
	q.WaitFor(t, "typing ends", func() bool { return cv.status.Text == "Online · Baking bread" })

	// Typing in the composer tells the contact (the backend throttles).
	test.Type(cv.entry, "hi")
	b.locked(func() {
		if len(b.chat.typing) == 0 || b.chat.typing[0] != "peer-bob" {
			t.Fatalf("typing sent %q", b.chat.typing)
		}
	})
}

func TestMuteAndReadReceiptSettings(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	test.Tap(mw.chat.mute)
	q.WaitFor(t, "muted", func() bool {
		var ok bool
		b.locked(func() { ok = b.chat.muted["peer-bob"] })
		return ok
	})
	b.events <- event.ContactsChanged{}
	q.WaitFor(t, "the muted icon in the list", func() bool {
		shown := 0
		uitest.Visible(mw.list, func(o fyne.CanvasObject) {
			if r, ok := o.(*kit.ContactRow); ok && r.Muted.Visible() {
				shown++
			}
		})
		return shown == 1
	})

	mw.ShowSettings()
	top := mw.win.Canvas().Overlays().Top()
	var check *widget.Check
	uitest.Visible(top, func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && c.Text == "Send read receipts" {
			check = c
		}
	})
	if check == nil || !check.Checked {
		t.Fatalf("no checked read receipt setting: %v", check)
	}
	test.Tap(check)
	q.WaitFor(t, "receipts off", func() bool { return !b.me.ReadReceipts() })
}

func TestNotifications(t *testing.T) {
	mw, b, q := newTestMain(t)
	var sent []string
	clock := time.Now()
	mw.notify.Send = func(n *fyne.Notification) { sent = append(sent, n.Title+"|"+n.Content) }
	mw.notify.Available = func() bool { return true }
	mw.notify.Now = func() time.Time { return clock }
	msg := func(id, from, body string) {
		b.events <- event.MessageAdded{Message: contacts.Message{ID: id, Conversation: from, From: from, Body: body,
			SentAt: time.Now(), Status: contacts.Received}}
	}
	// Events apply in order: once a notice sent after a message shows,
	// the message was handled.
	waitShown := func(id string) {
		b.events <- event.Notice{Text: "after " + id, At: time.Now()}
		q.WaitFor(t, id, func() bool { return mw.NoticeText() == "after "+id })
	}

	msg("n1", "peer-bob", "while focused")
	waitShown("n1")
	if len(sent) != 0 {
		t.Fatalf("notified while focused: %q", sent)
	}
	mw.setFocused(false)
	msg("n2", "peer-bob", "dinner at 8?")
	waitShown("n2")
	msg("n3", "peer-bob", "a burst gives one notification")
	waitShown("n3")
	if !slices.Equal(sent, []string{"Bob|dinner at 8?"}) {
		t.Fatalf("notifications %q", sent)
	}
	clock = clock.Add(notify.Every)
	b.chat.SetMuted("peer-bob", true)
	b.events <- event.ContactsChanged{}
	msg("n4", "peer-bob", "muted")
	waitShown("n4")
	b.me.SetPresence(contacts.Busy, "")
	msg("n5", "peer-cleo", "busy")
	waitShown("n5")
	if len(sent) != 1 {
		t.Fatalf("notified while muted or busy: %q", sent)
	}
	b.me.SetPresence(contacts.Online, "")
	mw.notify.Available = func() bool { return false }
	msg("n6", "peer-cleo", "no D-Bus")
	waitShown("n6")
	if len(sent) != 1 {
		t.Fatalf("notified without D-Bus: %q", sent)
	}
	mw.notify.Available = func() bool { return true }
	msg("n7", "peer-cleo", "hello from Cleo")
	waitShown("n7")
	if !slices.Equal(sent, []string{"Bob|dinner at 8?", "Cleo|hello from Cleo"}) {
		t.Fatalf("notifications %q", sent)
	}
}

// Messages are marked read only while the window has the focus: coming
// back to it marks the open conversation read.
func TestFocusMarksRead(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.setFocused(false)
	mw.list.Select(0) // opening a conversation is reading it
	q.WaitFor(t, "read on open", func() bool {
		var n int
		b.locked(func() { n = len(b.chat.read) })
		return n == 1
	})
	mw.setFocused(true)
	q.WaitFor(t, "read on focus", func() bool {
		var n int
		b.locked(func() { n = len(b.chat.read) })
		return n == 2
	})
}

func TestNotificationsAvailableWithoutDBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+t.TempDir()+"/no-bus")
	if notify.Available() {
		t.Fatal("a bus socket that does not exist counted as available")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", "")
	if notify.Available() {
		t.Fatal("no bus address at all counted as available")
	}
}

// In a group only Copy is offered, Up does not start an edit and there is
// no mute button: replies, edits, deletes and mute are 1:1 features.
func TestGroupBubblesOnlyCopy(t *testing.T) {
	mw, _, _ := newGroupMain(t)
	button(t, mw.grp.root, "Family").OnTapped()
	cv := mw.chat
	if len(cv.order) == 0 {
		t.Fatal("no group messages shown")
	}
	for _, id := range cv.order {
		if got := bubbleMenuLabels(cv.bubbleMenu(cv.shown[id])); !slices.Equal(got, []string{"Copy"}) {
			t.Errorf("group message %s menu = %q", id, got)
		}
	}
	test.Type(cv.entry, "my group message")
	enter(cv.entry)
	if !slices.ContainsFunc(cv.order, func(id string) bool { return cv.shown[id].Outgoing }) {
		t.Fatal("no message of mine in the group: the Up test proves nothing")
	}
	cv.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if cv.mode != modeNone {
		t.Fatal("Up started an edit in a group")
	}
	if cv.mute.Visible() {
		t.Fatal("mute shown in a group")
	}
	mw.OpenConversation("peer-bob")
	if !cv.mute.Visible() || len(cv.bubbleMenu(cv.shown["m2"]).Items) != 5 {
		t.Fatal("1:1 features not back in a contact's conversation")
	}
}

func TestEditModeSaysSaveWithoutAReplyArrow(t *testing.T) {
	mw, _, _ := newTestMain(t)
	mw.OpenConversation("peer-bob")
	cv := mw.chat
	cv.startEdit(cv.shown["m2"])
	if cv.send.Text != "Save" || cv.modeIcon.Resource.Name() == theme.MailReplyIcon().Name() {
		t.Errorf("edit mode: button %q, icon %s", cv.send.Text, cv.modeIcon.Resource.Name())
	}
	cv.startReply(cv.shown["m1"])
	if cv.send.Text != "Send" || cv.modeIcon.Resource.Name() != theme.MailReplyIcon().Name() {
		t.Errorf("reply mode: button %q, icon %s", cv.send.Text, cv.modeIcon.Resource.Name())
	}
	cv.startEdit(cv.shown["m2"])
	cv.cancelMode()
	if cv.send.Text != "Send" {
		t.Errorf("after Esc the button reads %q", cv.send.Text)
	}
}

func TestMuteButtonSaysWhatItDoes(t *testing.T) {
	mw, _, _ := newTestMain(t)
	mw.OpenConversation("peer-bob")
	cv := mw.chat
	if cv.mute.Text != "Mute" {
		t.Fatalf("mute button reads %q", cv.mute.Text)
	}
	test.Tap(cv.mute)
	if cv.mute.Text != "Unmute" {
		t.Errorf("after muting it reads %q", cv.mute.Text)
	}
}

func TestEmojiPickerInsertsAtTheCursor(t *testing.T) {
	mw, _, _ := newTestMain(t)
	mw.OpenConversation("peer-bob")
	cv := mw.chat
	test.Type(cv.entry, "See you ")
	test.Tap(cv.emoji)
	if cv.picker == nil || !cv.picker.Pop.Visible() {
		t.Fatal("no picker")
	}
	test.Tap(cv.picker.Buttons[2]) // 🙂
	if cv.entry.Text != "See you 🙂" || cv.picker.Pop.Visible() {
		t.Errorf("entry %q, picker open %v", cv.entry.Text, cv.picker.Pop.Visible())
	}
	if mw.win.Canvas().Focused() != cv.entry {
		t.Error("the entry lost the focus")
	}
}
