package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hearth/app/core/event"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// newGroupMain is newTestMain over groupBackend.
func newGroupMain(t *testing.T) (*MainWindow, *fakeBackend, uitest.Queue) {
	t.Helper()
	a := test.NewTempApp(t)
	b := groupBackend()
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

func groupCalls(b *fakeBackend) []string {
	var out []string
	b.locked(func() { out = slices.Clone(b.groups.calls) })
	return out
}

func TestGroupListedWithMemberCount(t *testing.T) {
	mw, _, _ := newGroupMain(t)
	side := mw.grp.root
	for _, want := range []string{"GROUPS", "Family", "3 members", "1", "New group", "Send to several"} {
		if !uitest.HasText(side, want) {
			t.Errorf("%q not shown; texts: %q", want, uitest.Texts(side))
		}
	}
}

func TestGroupChatShowsAuthorsAndSends(t *testing.T) {
	mw, b, q := newGroupMain(t)
	button(t, mw.grp.root, "Family").OnTapped()
	if mw.selected != contacts.GroupConversation("fam") {
		t.Fatalf("selected %q", mw.selected)
	}
	pane := mw.chat.root
	// Bob is my contact: his name in my list wins over the listed one;
	// Gus is not, so the name the creator listed is shown.
	for _, want := range []string{"Family", "3 members", "Gus", "Dinner on Sunday?", "Bob", "I'll bring bread", "Members"} {
		if !uitest.HasText(pane, want) {
			t.Errorf("%q not shown; texts: %q", want, uitest.Texts(pane))
		}
	}
	if uitest.HasText(pane, "Robert") || mw.chat.call.Visible() || !mw.chat.attach.Visible() {
		t.Error("contact name not preferred, call shown or attach hidden in a group")
	}
	q.WaitFor(t, "the group marked read", func() bool {
		read := false
		b.locked(func() { read = slices.Contains(b.chat.read, contacts.GroupConversation("fam")) })
		return read
	})
	test.Type(mw.chat.entry, "Count me in")
	enter(mw.chat.entry)
	if got := groupCalls(b); !slices.Contains(got, "sendgroup:fam:Count me in") {
		t.Fatalf("calls %q", got)
	}
	if !uitest.HasText(pane, "Count me in") || mw.chat.entry.Text != "" {
		t.Error("sent message not shown or composer not cleared")
	}
	// Someone else's message arrives with its author's name.
	b.events <- event.MessageAdded{Message: contacts.Message{
		ID: "g9", Conversation: contacts.GroupConversation("fam"), From: "peer-gus", Body: "Great!",
		SentAt: time.Now(), Status: contacts.Received,
	}}
	q.WaitFor(t, "the new message", func() bool { return uitest.HasText(pane, "Great!") })

	// Opening a contact restores the 1:1 pane.
	mw.OpenConversation("peer-bob")
	if !mw.chat.call.Visible() || mw.chat.members.Visible() || uitest.HasText(pane, "Gus") {
		t.Error("1:1 pane still looks like a group")
	}
	// A group change event refreshes the list.
	b.locked(func() { b.groups.groups[0].Name = "Whole family" })
	b.events <- event.GroupsChanged{}
	q.WaitFor(t, "the renamed group", func() bool { return uitest.HasText(mw.grp.root, "Whole family") })
}

func TestNewGroupDialog(t *testing.T) {
	mw, b, q := newGroupMain(t)
	d := mw.groupDlg.ShowNewGroup()
	// Nothing chosen: an inline error, nothing sent.
	test.Tap(d.Create)
	if !d.Err.Visible() || len(groupCalls(b)) != 0 {
		t.Fatalf("empty choice: err %v, calls %q", d.Err.Visible(), groupCalls(b))
	}
	test.Type(d.Name, "Bakers")
	d.Picker.Checks["peer-bob"].SetChecked(true)
	d.Picker.Checks["peer-cleo"].SetChecked(true)
	if !strings.HasPrefix(d.Count.Text, "2 of at most 49") {
		t.Errorf("count %q", d.Count.Text)
	}
	// Requests and strangers are not offered.
	if _, ok := d.Picker.Checks["peer-dan"]; ok {
		t.Error("an incoming request is offered as a member")
	}
	// A backend error stays in the dialog.
	b.locked(func() { b.groups.err = errors.New("a group can have at most 50 members") })
	enter(d.Name)
	q.WaitFor(t, "the inline error", func() bool { return d.Err.Visible() && mw.modal != nil })
	b.locked(func() { b.groups.err = nil })
	enter(d.Name)
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	if got := groupCalls(b); got[len(got)-1] != "create:Bakers:[peer-bob peer-cleo]" {
		t.Fatalf("calls %q", got)
	}
	if !uitest.HasText(mw.grp.root, "Bakers") || !strings.HasPrefix(mw.selected, contacts.GroupPrefix) {
		t.Errorf("new group not listed and opened; selected %q", mw.selected)
	}
}

func TestEscapeClosesGroupDialogs(t *testing.T) {
	mw, _, _ := newGroupMain(t)
	d := mw.groupDlg.ShowNewGroup()
	d.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape did not close New group")
	}
	s := mw.groupDlg.ShowSendToSeveral()
	s.Text.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape did not close Send to several")
	}
	mw.groupDlg.ShowGroupMembers(mw.grp.groups[0])
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape on the window did not close Members")
	}
}

func TestMembersDialogAdmin(t *testing.T) {
	mw, b, q := newGroupMain(t)
	md := mw.groupDlg.ShowGroupMembers(mw.grp.groups[0])
	for _, want := range []string{"Ann (you)", "Bob", "Gus", "Remove", "Leave group", "Rename", "Add chosen"} {
		if !uitest.HasText(mw.win.Canvas().Overlays().Top(), want) {
			t.Errorf("%q not shown; texts: %q", want, uitest.Texts(mw.win.Canvas().Overlays().Top()))
		}
	}
	// Only contacts not in the group can be added.
	if _, ok := md.Picker.Checks["peer-bob"]; ok {
		t.Error("a member is offered to be added")
	}
	md.Picker.Checks["peer-cleo"].SetChecked(true)
	md.Add()
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	md = mw.groupDlg.ShowGroupMembers(mw.grp.groups[0])
	md.Remove("peer-gus")
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	md = mw.groupDlg.ShowGroupMembers(mw.grp.groups[0])
	md.Rename.SetText("Kin")
	enter(md.Rename)
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	mw.groupDlg.ShowGroupMembers(mw.grp.groups[0])
	button(t, mw.win.Canvas().Overlays().Top(), "Leave group").OnTapped()
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	want := []string{"add:fam:[peer-cleo]", "remove:fam:peer-gus", "rename:fam:Kin", "leave:fam"}
	if got := groupCalls(b); !slices.Equal(got, want) {
		t.Fatalf("calls %q, want %q", got, want)
	}
}

func TestMembersDialogNotAdmin(t *testing.T) {
	mw, _, _ := newGroupMain(t)
	g := mw.grp.groups[0]
	g.Admin = false
	g.Creator = "peer-bob"
	md := mw.groupDlg.ShowGroupMembers(g)
	top := mw.win.Canvas().Overlays().Top()
	if uitest.HasText(top, "Remove") || uitest.HasText(top, "Rename") || md.Picker != nil {
		t.Errorf("a member who is not the creator may change the group: %q", uitest.Texts(top))
	}
	if !uitest.HasText(top, "Leave group") || !uitest.HasText(top, "(created the group)") {
		t.Errorf("texts %q", uitest.Texts(top))
	}
}

func TestSendToSeveralDialog(t *testing.T) {
	mw, b, q := newGroupMain(t)
	s := mw.groupDlg.ShowSendToSeveral()
	test.Type(s.Text, "Happy new year!")
	enter(s.Text)
	if !s.Err.Visible() || len(groupCalls(b)) != 0 {
		t.Fatal("sent to nobody")
	}
	s.Picker.Checks["peer-bob"].SetChecked(true)
	s.Picker.Checks["peer-cleo"].SetChecked(true)
	enter(s.Text)
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	if got := groupCalls(b); !slices.Equal(got, []string{"several:[peer-bob peer-cleo]:Happy new year!"}) {
		t.Fatalf("calls %q", got)
	}
	if !strings.Contains(mw.NoticeText(), "Sent to 2") {
		t.Errorf("notice %q", mw.NoticeText())
	}
}
