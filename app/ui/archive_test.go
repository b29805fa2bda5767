package ui

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/archive"
	"hearth/app/core/event"
	"hearth/app/core/groups"
	"hearth/app/ui/archivedlg"
	"hearth/app/ui/search"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// archiveBackend adds an old message of Bob's, outside the loaded
// history, that search finds.
func archiveBackend(t *testing.T) (*MainWindow, *fakeBackend, uitest.Queue) {
	mw, fb, q := newTestMain(t)
	old := contacts.Message{ID: "old1", Conversation: "peer-bob", From: "peer-bob",
		Body: "The holiday cottage is booked", SentAt: time.Now().Add(-400 * 24 * time.Hour), Status: contacts.Received}
	fb.locked(func() {
		fb.archive.hits = []archive.SearchHit{
			{Message: old, ContactName: "Bob", Snippet: old.Body, Match: [2]int{4, 11}},
			{Message: contacts.Message{ID: "c1", Conversation: "peer-cleo", Body: "holiday photos"}, ContactName: "Cleo", Snippet: "holiday photos", Match: [2]int{0, 7}},
		}
		fb.archive.around = map[string][]contacts.Message{"old1": {
			{ID: "old0", Conversation: "peer-bob", Body: "Where shall we go?", SentAt: old.SentAt.Add(-time.Minute), Outgoing: true, Status: contacts.Delivered},
			old,
		}}
	})
	return mw, fb, q
}

func TestCtrlFSearchOpensResultInContext(t *testing.T) {
	mw, fb, q := archiveBackend(t)
	// Ctrl+F opens the panel.
	mw.win.Canvas().(interface {
		TypedShortcut(fyne.Shortcut)
	}).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	p := mw.find.Open
	if p == nil || mw.modal == nil {
		t.Fatal("Ctrl+F did not open the search panel")
	}
	test.Type(p.Entry, "holi")
	q.WaitFor(t, "results", func() bool { return len(p.Hits) == 2 })
	if p.Status.Text != "2 messages found." {
		t.Errorf("status = %q", p.Status.Text)
	}
	// Rows show contact, time and the snippet with the match in bold.
	row := p.List.CreateItem()
	search.SetRow(row, p.Hits[0])
	if !uitest.HasText(row, "Bob") {
		t.Errorf("row texts %q", uitest.Texts(row))
	}
	rt := row.(*fyne.Container).Objects[1].(*widget.RichText)
	if len(rt.Segments) != 3 || rt.Segments[1].(*widget.TextSegment).Text != "holiday" ||
		!rt.Segments[1].(*widget.TextSegment).Style.TextStyle.Bold {
		t.Errorf("snippet segments = %#v", rt.Segments)
	}
	test.Type(p.Entry, "zzz")
	q.WaitFor(t, "no results", func() bool { return p.Status.Text == "No messages found." })
	p.Entry.SetText("holiday cottage")
	q.WaitFor(t, "one result", func() bool { return len(p.Hits) == 1 })

	// Enter opens the first result: Bob's conversation, loaded around the
	// old message (not in the last 300), which is highlighted.
	enter(p.Entry)
	if mw.modal != nil || mw.find.Open != nil {
		t.Error("the panel stayed open")
	}
	if mw.selected != "peer-bob" || mw.archive.highlighted != "old1" {
		t.Fatalf("selected %q, highlighted %q", mw.selected, mw.archive.highlighted)
	}
	for _, want := range []string{"Where shall we go?", "The holiday cottage is booked"} {
		if !uitest.HasText(mw.chat.root, want) {
			t.Errorf("%q not shown: %q", want, uitest.Texts(mw.chat.root))
		}
	}
	if uitest.HasText(mw.chat.root, "Are you coming on Sunday?") {
		t.Error("the latest history is shown instead of the result's context")
	}
	fb.locked(func() {
		if len(fb.archive.queries) == 0 || fb.archive.queries[len(fb.archive.queries)-1] != "holiday cottage" {
			t.Errorf("queries = %q", fb.archive.queries)
		}
	})

	// Escape closes the panel.
	p = mw.find.Show()
	p.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil || mw.find.Open != nil {
		t.Error("Escape did not close the search panel")
	}
}

func TestSearchResultGoneSaysSo(t *testing.T) {
	mw, fb, q := archiveBackend(t)
	fb.locked(func() { fb.archive.around = nil })
	p := mw.find.Show()
	test.Type(p.Entry, "cottage")
	q.WaitFor(t, "result", func() bool { return len(p.Hits) == 1 })
	p.List.Select(0)
	if !strings.Contains(mw.NoticeText(), "no longer in the conversation") {
		t.Errorf("notice = %q", mw.NoticeText())
	}
}

func TestExportDialogSavesAndPrints(t *testing.T) {
	mw, _, q := archiveBackend(t)
	mw.list.Select(0)
	var saved bytes.Buffer
	var savedName string
	oldSave, oldPrint := archivedlg.ChooseSaveFile, archivedlg.PrintFile
	t.Cleanup(func() { archivedlg.ChooseSaveFile, archivedlg.PrintFile = oldSave, oldPrint })
	archivedlg.ChooseSaveFile = func(_ fyne.Window, name string, done func(io.WriteCloser, error)) {
		savedName = name
		done(nopCloser{&saved}, nil)
	}
	var printed string
	archivedlg.PrintFile = func(path string) (string, error) {
		printed = path
		return "Sent to the printer.", nil
	}

	// From the conversation's menu.
	var item *fyne.MenuItem
	for _, it := range mw.conversationMenu().Items {
		if strings.HasPrefix(it.Label, "Export") {
			item = it
		}
	}
	if item == nil {
		t.Fatal("no Export item in the conversation menu")
	}
	item.Action()
	if mw.modal == nil {
		t.Fatal("no export dialog")
	}
	e := mw.archiveDlg.ShowExport("peer-bob")
	if e.Format.Selected != archivedlg.FormatHTML {
		t.Errorf("default format %q", e.Format.Selected)
	}
	test.Tap(e.Save)
	if savedName != "Conversation with Bob.html" || !strings.Contains(saved.String(), "<!DOCTYPE html>") ||
		!strings.Contains(saved.String(), "I&#39;ll bring the cake.") {
		t.Errorf("saved %q:\n%.300s", savedName, saved.String())
	}
	if mw.modal != nil || !strings.Contains(mw.NoticeText(), "exported") {
		t.Errorf("after save: modal %v, notice %q", mw.modal != nil, mw.NoticeText())
	}

	e = mw.archiveDlg.ShowExport("peer-bob")
	e.Format.SetSelected(archivedlg.FormatText)
	saved.Reset()
	test.Tap(e.Save)
	if savedName != "Conversation with Bob.txt" || !strings.Contains(saved.String(), "Ann: Yes! I'll bring the cake.") {
		t.Errorf("text export %q:\n%s", savedName, saved.String())
	}

	e = mw.archiveDlg.ShowExport("peer-bob")
	test.Tap(e.Print)
	q.WaitFor(t, "the print notice", func() bool { return mw.NoticeText() == "Sent to the printer." })
	if !strings.HasSuffix(printed, ".html") {
		t.Errorf("printed %q", printed)
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestComplianceBannerAndRetention(t *testing.T) {
	mw, fb, q := archiveBackend(t)
	mw.list.Select(0)
	// The header's Archive button opens the menu.
	test.Tap(button(t, mw.chat.root, "Archive"))
	if top := mw.win.Canvas().Overlays().Top(); top == nil || !uitest.HasText(top, "Export or print…") {
		t.Fatal("the Archive button shows no menu")
	}
	mw.win.Canvas().Overlays().Top().Hide()
	mw.win.Canvas().Overlays().Remove(mw.win.Canvas().Overlays().Top())
	if mw.ComplianceBannerShown() {
		t.Fatal("banner shown before the flag is set")
	}
	// The contact set the flag: the event shows the banner.
	fb.locked(func() { fb.archive.compliance = map[string]bool{"peer-bob": true} })
	fb.events <- event.ComplianceChanged{PeerID: "peer-bob", On: true}
	q.WaitFor(t, "the banner", mw.ComplianceBannerShown)
	if !uitest.HasText(mw.chat.root, "archived for compliance") {
		t.Errorf("banner text missing: %q", uitest.Texts(mw.chat.root))
	}
	// Turning it off from the menu hides it.
	items := mw.conversationMenu().Items
	if items[3].Label != "Stop archiving for compliance" {
		t.Fatalf("menu item %q", items[3].Label)
	}
	items[3].Action()
	q.WaitFor(t, "the banner to go", func() bool { return !mw.ComplianceBannerShown() })

	// Another conversation has no banner.
	fb.locked(func() { fb.archive.compliance["peer-cleo"] = false })
	sel := mw.archiveDlg.ShowRetention("peer-bob")
	if sel.Selected != "Forever" {
		t.Errorf("retention shown %q", sel.Selected)
	}
	sel.SetSelected("30 days")
	// Save is the dialog's confirm button.
	test.Tap(button(t, mw.win.Canvas().Overlays().Top(), "Save"))
	q.WaitFor(t, "retention saved", func() bool { return fb.archive.Retention("peer-bob") == 30 })
	q.WaitFor(t, "the notice", func() bool { return strings.Contains(mw.NoticeText(), "kept for 30 days") })
}

func TestSearchResultInAGroupOpensTheGroup(t *testing.T) {
	mw, fb, q := archiveBackend(t)
	conv := contacts.GroupConversation("g7")
	hit := contacts.Message{ID: "gm1", Conversation: conv, From: "peer-cleo", Body: "bring the tent"}
	fb.locked(func() {
		fb.groups.groups = []groups.GroupView{{Group: contacts.Group{ID: "g7", Name: "Campers"}}}
		fb.groups.history = map[string][]contacts.Message{"g7": {hit}}
		fb.archive.hits = []archive.SearchHit{{Message: hit, ContactName: "Campers", Snippet: hit.Body}}
	})
	mw.RefreshGroups()
	// A banner from a one-to-one conversation does not follow into the group.
	fb.locked(func() { fb.archive.compliance = map[string]bool{"peer-bob": true} })
	mw.list.Select(0)
	if !mw.ComplianceBannerShown() {
		t.Fatal("no banner on Bob's conversation")
	}
	p := mw.find.Show()
	test.Type(p.Entry, "tent")
	q.WaitFor(t, "the group result", func() bool { return len(p.Hits) == 1 })
	enter(p.Entry)
	if mw.selected != conv || mw.archive.highlighted != "gm1" {
		t.Fatalf("selected %q, highlighted %q", mw.selected, mw.archive.highlighted)
	}
	if mw.ComplianceBannerShown() {
		t.Error("the compliance banner stayed on for the group")
	}
	if items := mw.conversationMenu().Items; len(items) != 1 {
		t.Errorf("group archive menu has %d items, want only search", len(items))
	}
}
