package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/core/people"
	"hearth/app/ui/kit"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// waitCall waits until the fake backend saw a contact-management call.
func waitCall(t *testing.T, q uitest.Queue, b *fakeBackend, call string) {
	t.Helper()
	q.WaitFor(t, call, func() bool { return slices.Contains(b.people.cmCalls(), call) })
}

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if !it.IsSeparator {
			out = append(out, it.Label)
		}
	}
	return out
}

func menuItem(t *testing.T, m *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no %q in %q", label, menuLabels(m))
	return nil
}

func shownNames(mw *MainWindow) []string {
	var out []string
	for _, c := range mw.shown {
		out = append(out, c.Name)
	}
	return out
}

func TestContactMenu(t *testing.T) {
	mw, b, q := newTestMain(t)
	want := []string{"Rename…", "Notes…", "Groups…", "Verify…", "Block…", "Remove…"}
	if got := menuLabels(mw.contactMenu("peer-bob")); !slices.Equal(got, want) {
		t.Errorf("menu %q, want %q", got, want)
	}
	// A right-click on a row opens it.
	var row *kit.ContactRow
	uitest.Visible(mw.list, func(o fyne.CanvasObject) {
		if r, ok := o.(*kit.ContactRow); ok && row == nil && r.PeerID != "" {
			row = r
		}
	})
	if row == nil {
		t.Fatal("no contact row shown")
	}
	before := len(mw.win.Canvas().Overlays().List())
	test.TapSecondary(row)
	if len(mw.win.Canvas().Overlays().List()) != before+1 || !uitest.HasText(mw.win.Canvas().Overlays().Top(), "Verify…") {
		t.Error("right-click opened no menu")
	}
	mw.win.Canvas().Overlays().Top().Hide()

	// A blocked person's menu offers Unblock instead.
	b.people.Block("peer-cleo")
	q.WaitFor(t, "cleo blocked", func() bool { return len(mw.blocked) == 1 })
	if got := menuLabels(mw.contactMenu("peer-cleo")); !slices.Equal(got, []string{"Unblock", "Remove…"}) {
		t.Errorf("blocked menu %q", got)
	}
	menuItem(t, mw.contactMenu("peer-cleo"), "Unblock").Action()
	waitCall(t, q, b, "unblock:peer-cleo")
}

func TestRenameDialog(t *testing.T) {
	mw, b, q := newTestMain(t)
	menuItem(t, mw.contactMenu("peer-bob"), "Rename…").Action()
	if mw.modal == nil {
		t.Fatal("Rename… opened nothing")
	}
	mw.closeModal()
	td := mw.contactDlg.ShowRename("peer-bob")
	if td.Entry.Text != "Bob" {
		t.Fatalf("entry starts with %q", td.Entry.Text)
	}
	td.Entry.SetText("")
	test.Type(td.Entry, "Uncle Bob")
	enter(td.Entry)
	waitCall(t, q, b, "rename:peer-bob:Uncle Bob")
	q.WaitFor(t, "the dialog to close and the list to follow", func() bool {
		return mw.modal == nil && slices.Contains(shownNames(mw), "Uncle Bob")
	})

	// Escape closes without saving.
	td = mw.contactDlg.ShowRename("peer-bob")
	test.Type(td.Entry, " Jr")
	td.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape did not close the dialog")
	}
	if n := len(b.people.cmCalls()); n != 1 {
		t.Errorf("%d calls, want the one rename", n)
	}
}

func TestNotesDialog(t *testing.T) {
	mw, b, q := newTestMain(t)
	td := mw.contactDlg.ShowNotes("peer-bob")
	test.Type(td.Entry, "Bakes on Sundays")
	test.Tap(td.Save)
	waitCall(t, q, b, "notes:peer-bob:Bakes on Sundays")
	// Notes are searchable.
	q.WaitFor(t, "the list to follow", func() bool { return mw.contact("peer-bob").Notes != "" })
	test.Type(mw.search, "sunday")
	if got := shownNames(mw); !slices.Equal(got, []string{"Bob"}) {
		t.Errorf("search by notes shows %q", got)
	}
}

func TestGroupsDialogAndFilter(t *testing.T) {
	mw, b, q := newTestMain(t)
	if mw.filter.Visible() {
		t.Error("group filter shown before there are groups")
	}
	g := mw.contactDlg.ShowGroups("peer-bob")
	for _, want := range []string{"Family", "Friends", "Team"} {
		if !slices.Contains(g.Checks.Options, want) {
			t.Errorf("%q not offered: %q", want, g.Checks.Options)
		}
	}
	g.Checks.SetSelected([]string{"Family"})
	test.Type(g.Name, "choir")
	test.Tap(g.Add)
	test.Type(g.Name, "FAMILY") // the same group, other case: not added twice
	enter(g.Name)
	if n := len(g.Checks.Options); n != 4 {
		t.Errorf("options %q", g.Checks.Options)
	}
	test.Tap(g.Save)
	waitCall(t, q, b, "labels:peer-bob:Family,choir")
	q.WaitFor(t, "the filter to offer the groups", func() bool {
		return mw.filter.Visible() && slices.Equal(mw.filter.Options, []string{filterAll, "choir", "Family"})
	})
	mw.filter.SetSelected("Family")
	if got := shownNames(mw); !slices.Equal(got, []string{"Bob"}) {
		t.Errorf("Family shows %q", got)
	}
	test.Type(mw.search, "fam") // search matches groups too
	if got := shownNames(mw); !slices.Equal(got, []string{"Bob"}) {
		t.Errorf("search by group shows %q", got)
	}
	mw.search.SetText("")
	mw.filter.SetSelected(filterAll)
	if got := shownNames(mw); len(got) != 2 {
		t.Errorf("all shows %q", got)
	}
}

func TestVerifyDialog(t *testing.T) {
	mw, b, q := newTestMain(t)
	v := mw.contactDlg.ShowVerify("peer-bob")
	if !strings.Contains(v.Code.Text, "01234  56789") || strings.Count(v.Code.Text, "\n") != 2 {
		t.Errorf("code shown as %q", v.Code.Text)
	}
	if v.QR == nil {
		t.Error("no QR")
	}
	test.Type(v.Check, "12345")
	if !v.Result.Visible() || !strings.Contains(v.Result.Text, "do not match") {
		t.Errorf("wrong code: %q", v.Result.Text)
	}
	v.Check.SetText(fakeCode)
	if !strings.Contains(v.Result.Text, "The codes match") {
		t.Errorf("right code: %q", v.Result.Text)
	}
	if v.Mark.Text != "Mark as verified" {
		t.Fatalf("button %q", v.Mark.Text)
	}
	test.Tap(v.Mark)
	waitCall(t, q, b, "verified:peer-bob")
	q.WaitFor(t, "the list to show the mark", func() bool { return mw.modal == nil && mw.contact("peer-bob").Verified })

	// The shield, in the list and in the chat header.
	shields := 0
	uitest.Visible(mw.list, func(o fyne.CanvasObject) {
		if i, ok := o.(*widget.Icon); ok && i.Resource == kit.VerifiedIcon {
			shields++
		}
	})
	if shields != 1 {
		t.Errorf("%d shields in the list, want 1", shields)
	}
	mw.OpenConversation("peer-bob")
	if !mw.chat.verified.Visible() {
		t.Error("no shield in the chat header")
	}
	v = mw.contactDlg.ShowVerify("peer-bob")
	if v.Mark.Text != "Remove verified mark" {
		t.Errorf("verified contact's button %q", v.Mark.Text)
	}
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Error("Escape did not close the dialog")
	}
}

func TestBlockRequestThenUnblock(t *testing.T) {
	mw, b, q := newTestMain(t)
	test.Tap(button(t, mw.requests, "Block"))
	top := mw.win.Canvas().Overlays().Top()
	if !uitest.HasText(top, "will not be told") {
		t.Fatalf("confirm dialog: %q", uitest.Texts(top))
	}
	test.Tap(button(t, top, "Block"))
	waitCall(t, q, b, "block:peer-dan")
	q.WaitFor(t, "the request to go and Blocked to appear", func() bool {
		return len(mw.pending) == 1 && slices.Contains(mw.filter.Options, filterBlocked)
	})
	mw.filter.SetSelected(filterBlocked)
	if got := shownNames(mw); !slices.Equal(got, []string{"Dan"}) {
		t.Fatalf("Blocked shows %q", got)
	}
	mw.list.Select(0)
	top = mw.win.Canvas().Overlays().Top()
	if !uitest.HasText(top, "Dan is blocked") || mw.selected != "" {
		t.Fatalf("selecting a blocked person: %q, selected %q", uitest.Texts(top), mw.selected)
	}
	test.Tap(button(t, top, "Unblock"))
	waitCall(t, q, b, "unblock:peer-dan")
}

func TestRemoveAsksFirst(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.contactDlg.ConfirmRemove("peer-bob")
	top := mw.win.Canvas().Overlays().Top()
	if !uitest.HasText(top, "Your conversation stays") {
		t.Errorf("confirm text %q", uitest.Texts(top))
	}
	test.Tap(button(t, top, "Cancel"))
	if mw.modal != nil || len(b.people.cmCalls()) != 0 {
		t.Fatal("Cancel did not just close")
	}
	d := mw.contactDlg.ConfirmRemove("peer-bob")
	test.Tap(d.OK)
	waitCall(t, q, b, "remove:peer-bob")
	q.WaitFor(t, "bob gone", func() bool { return mw.modal == nil && mw.contact("peer-bob") == nil })
}

func TestPrivacySettings(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.people.Block("peer-cleo")
	q.WaitFor(t, "cleo blocked", func() bool { return len(mw.blocked) == 1 })
	s := mw.showSettings()
	if s.Privacy.Who.Selected != people.RequestsFromAnyone.String() {
		t.Errorf("policy shown %q", s.Privacy.Who.Selected)
	}
	s.Privacy.Who.SetSelected(people.RequestsFromNobody.String())
	waitCall(t, q, b, "policy:Nobody")
	if b.people.RequestPolicy() != people.RequestsFromNobody {
		t.Error("policy not saved")
	}
	if !uitest.HasText(s.Privacy.Blocked, "Cleo") {
		t.Fatalf("blocked list %q", uitest.Texts(s.Privacy.Blocked))
	}
	test.Tap(button(t, s.Privacy.Blocked, "Unblock"))
	waitCall(t, q, b, "unblock:peer-cleo")
	q.WaitFor(t, "the list to empty", func() bool { return uitest.HasText(s.Privacy.Blocked, "Nobody.") })
}

func TestRequestShowsKeyWarning(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.locked(func() {
		b.people.contacts[2].Warning = "This is a different key from the Dan you verified."
	})
	b.events <- event.ContactsChanged{}
	q.WaitFor(t, "the warning", func() bool { return uitest.HasText(mw.requests, "different key from the Dan you verified") })
}

func TestListSortsOnlineFirst(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.locked(func() {
		b.people.contacts = append(b.people.contacts, people.ContactView{Contact: contacts.Contact{PeerID: "peer-abe", Name: "Abe", State: contacts.Accepted}})
		b.people.contacts[0].Presence = contacts.Offline // Bob
	})
	b.events <- event.ContactsChanged{}
	q.WaitFor(t, "three contacts", func() bool { return len(mw.shown) == 3 })
	if got := shownNames(mw); !slices.Equal(got, []string{"Cleo", "Abe", "Bob"}) {
		t.Errorf("order %q, want the one online first, then by name", got)
	}
}

// TestContactWarningInRowAndHeader: a contact using a verified contact's
// name shows the warning where its status would be.
func TestContactWarningInRowAndHeader(t *testing.T) {
	mw, b, q := newTestMain(t)
	const w = "This is a different key from the Bob you verified."
	b.locked(func() { b.people.contacts[1].Warning = w }) // Cleo's entry stands in
	b.events <- event.ContactsChanged{}
	q.WaitFor(t, "the row's warning", func() bool { return uitest.HasText(mw.list, w) })
	mw.OpenConversation("peer-cleo")
	if !strings.Contains(mw.chat.status.Text, w) {
		t.Errorf("header status %q", mw.chat.status.Text)
	}
}

func TestWithdrawOutgoingRequest(t *testing.T) {
	mw, b, q := newTestMain(t)
	var withdraw *widget.Button
	uitest.Visible(mw.requests, func(o fyne.CanvasObject) {
		if bt, ok := o.(*widget.Button); ok && bt.Text == "" {
			withdraw = bt
		}
	})
	if withdraw == nil {
		t.Fatal("no withdraw button on Eve's request")
	}
	test.Tap(withdraw)
	top := mw.win.Canvas().Overlays().Top()
	if !uitest.HasText(top, "Withdraw your request to Eve?") {
		t.Fatalf("confirm: %q", uitest.Texts(top))
	}
	test.Tap(button(t, top, "Withdraw"))
	waitCall(t, q, b, "remove:peer-eve")
	q.WaitFor(t, "the request to go", func() bool { return len(mw.pending) == 1 })
}
