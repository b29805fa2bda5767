package ui

// Contact management in the main window: the contact menu (right-click on
// a row, or "…" in the chat header) with Rename, Notes, Groups, Verify,
// Block, Unblock and Remove; the dialogs behind it; the group filter above
// the contact list; Block on incoming requests.

import (
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/people"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// Group filter choices besides the group names themselves.
const (
	filterAll     = "All contacts"
	filterBlocked = "Blocked"
)

// suggestedGroups are offered in the Groups dialog before anyone has made
// their own.
var suggestedGroups = []string{"Family", "Friends", "Team"}

// contactView finds a contact, a blocked person or a request by peer ID.
func (mw *MainWindow) contactView(peerID string) (people.ContactView, bool) {
	for _, list := range [][]people.ContactView{mw.all, mw.blocked, mw.pending} {
		if i := slices.IndexFunc(list, func(c people.ContactView) bool { return c.PeerID == peerID }); i >= 0 {
			return list[i], true
		}
	}
	return people.ContactView{}, false
}

// contactMenu lists what can be done with one contact.
func (mw *MainWindow) contactMenu(peerID string) *fyne.Menu {
	c, _ := mw.contactView(peerID)
	var items []*fyne.MenuItem
	if c.State != contacts.Blocked {
		items = append(items,
			fyne.NewMenuItem("Rename…", func() { mw.showRename(peerID) }),
			fyne.NewMenuItem("Notes…", func() { mw.showNotes(peerID) }),
			fyne.NewMenuItem("Groups…", func() { mw.showGroups(peerID) }),
			fyne.NewMenuItem("Verify…", func() { mw.showVerify(peerID) }),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Block…", func() { mw.confirmBlock(peerID) }),
		)
	} else {
		items = append(items, fyne.NewMenuItem("Unblock", func() { mw.unblock(peerID) }))
	}
	items = append(items, fyne.NewMenuItem("Remove…", func() { mw.confirmRemove(peerID) }))
	return fyne.NewMenu("", items...)
}

// showContactMenu pops the contact menu up at pos (window coordinates).
func (mw *MainWindow) showContactMenu(peerID string, pos fyne.Position) {
	widget.ShowPopUpMenuAtPosition(mw.contactMenu(peerID), mw.win.Canvas(), pos)
}

// textDialog edits one piece of text about a contact (name, notes).
type textDialog struct {
	mw    *MainWindow
	d     *dialog.CustomDialog
	entry *kit.EscEntry
	save  *widget.Button
	err   *widget.Label
}

// showTextDialog opens a dialog that edits text and saves it with save,
// off the UI goroutine. Enter saves a single line; Escape closes.
func (mw *MainWindow) showTextDialog(title, help, text string, multiLine bool, save func(string) error) *textDialog {
	td := &textDialog{mw: mw, err: kit.ErrorLabel()}
	td.entry = kit.NewEscEntry(multiLine)
	td.entry.SetText(text)
	td.entry.OnEscape = td.close
	if multiLine {
		td.entry.SetMinRowsVisible(5)
	} else {
		td.entry.OnSubmitted = func(string) { td.submit(save) }
	}
	td.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { td.submit(save) })
	td.save.Importance = widget.HighImportance
	td.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(kit.Wrapped(help), td.entry, td.err), mw.win)
	td.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", td.close), td.save})
	td.d.Resize(fyne.NewSize(460, 0))
	mw.ShowModal(td.d, td.close)
	mw.win.Canvas().Focus(td.entry)
	return td
}

func (td *textDialog) close() { td.mw.HideModal(td.d) }

func (td *textDialog) submit(save func(string) error) {
	if td.save.Disabled() {
		return
	}
	td.save.Disable()
	text := td.entry.Text
	td.mw.Background(func() error { return save(text) }, func(err error) {
		td.save.Enable()
		if err != nil {
			kit.ShowError(td.err, err)
			return
		}
		td.close()
	})
}

func (mw *MainWindow) showRename(peerID string) *textDialog {
	c, _ := mw.contactView(peerID)
	return mw.showTextDialog("Rename", "The name you see for this person. Only you see it.",
		c.Name, false, func(s string) error { return mw.b.Contacts.Rename(peerID, s) })
}

func (mw *MainWindow) showNotes(peerID string) *textDialog {
	c, _ := mw.contactView(peerID)
	return mw.showTextDialog("Notes about "+kit.DisplayName(c.Name, c.PeerID), "Private notes. They are never sent.",
		c.Notes, true, func(s string) error { return mw.b.Contacts.SetNotes(peerID, s) })
}

// groupsDialog puts a contact in groups: ticks for the known groups and a
// field for a new one.
type groupsDialog struct {
	mw     *MainWindow
	people area.ContactsBackend
	peerID string
	d      *dialog.CustomDialog
	checks *widget.CheckGroup
	name   *kit.EscEntry
	add    *widget.Button
	save   *widget.Button
	err    *widget.Label
}

func (mw *MainWindow) showGroups(peerID string) *groupsDialog {
	c, _ := mw.contactView(peerID)
	g := &groupsDialog{mw: mw, people: mw.b.Contacts, peerID: peerID, err: kit.ErrorLabel()}
	options := mw.b.Contacts.Labels()
	for _, l := range append(slices.Clone(suggestedGroups), c.Labels...) {
		if !containsFold(options, l) {
			options = append(options, l)
		}
	}
	sortFold(options)
	g.checks = widget.NewCheckGroup(options, nil)
	g.checks.SetSelected(slices.Clone(c.Labels))
	g.name = kit.NewEscEntry(false)
	g.name.SetPlaceHolder("New group, e.g. Choir")
	g.name.OnEscape = g.close
	g.name.OnSubmitted = func(string) { g.addGroup() }
	g.add = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), g.addGroup)
	g.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), g.submit)
	g.save.Importance = widget.HighImportance
	content := container.NewVBox(
		kit.Wrapped("Groups sort your contact list (Family, Team …). A contact can be in several. Only you see them."),
		g.checks,
		container.NewBorder(nil, nil, nil, g.add, g.name),
		g.err,
	)
	g.d = dialog.NewCustomWithoutButtons("Groups for "+kit.DisplayName(c.Name, c.PeerID), content, mw.win)
	g.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", g.close), g.save})
	g.d.Resize(fyne.NewSize(420, 0))
	mw.ShowModal(g.d, g.close)
	return g
}

func (g *groupsDialog) close() { g.mw.HideModal(g.d) }

// addGroup adds the typed name to the list, ticked.
func (g *groupsDialog) addGroup() {
	name := strings.Join(strings.Fields(g.name.Text), " ")
	if name == "" {
		return
	}
	if i := slices.IndexFunc(g.checks.Options, func(o string) bool { return strings.EqualFold(o, name) }); i >= 0 {
		name = g.checks.Options[i]
	} else {
		g.checks.Append(name)
	}
	if !slices.Contains(g.checks.Selected, name) {
		g.checks.SetSelected(append(slices.Clone(g.checks.Selected), name))
	}
	g.name.SetText("")
}

func (g *groupsDialog) submit() {
	if g.save.Disabled() {
		return
	}
	if strings.TrimSpace(g.name.Text) != "" {
		g.addGroup() // typed but not added: the user means it
	}
	labels := slices.Clone(g.checks.Selected)
	g.save.Disable()
	g.mw.Background(func() error { return g.people.SetLabels(g.peerID, labels) }, func(err error) {
		g.save.Enable()
		if err != nil {
			kit.ShowError(g.err, err)
			return
		}
		g.close()
	})
}

// confirmDialog asks before something that cannot be undone quietly.
type confirmDialog struct {
	d  *dialog.CustomDialog
	ok *widget.Button
}

func (mw *MainWindow) confirm(title, text, action string, do func() error, done func()) *confirmDialog {
	c := &confirmDialog{}
	errL := kit.ErrorLabel()
	c.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(kit.Wrapped(text), errL), mw.win)
	c.ok = widget.NewButton(action, func() {
		c.ok.Disable()
		mw.Background(do, func(err error) {
			c.ok.Enable()
			if err != nil {
				kit.ShowError(errL, err)
				return
			}
			mw.HideModal(c.d)
			if done != nil {
				done()
			}
		})
	})
	c.ok.Importance = widget.DangerImportance
	c.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { mw.HideModal(c.d) }), c.ok})
	c.d.Resize(fyne.NewSize(440, 0))
	mw.ShowModal(c.d, nil)
	return c
}

func (mw *MainWindow) confirmBlock(peerID string) *confirmDialog {
	c, _ := mw.contactView(peerID)
	name := kit.DisplayName(c.Name, peerID)
	return mw.confirm("Block "+name+"?",
		name+" will not be told. To them you will look offline, and their messages, files and calls will not reach you. "+
			"You can unblock them in Settings.",
		"Block", func() error { return mw.b.Contacts.Block(peerID) },
		func() { mw.ShowNotice(name + " is blocked.") })
}

func (mw *MainWindow) confirmRemove(peerID string) *confirmDialog {
	c, _ := mw.contactView(peerID)
	name := kit.DisplayName(c.Name, peerID)
	text := name + " will be taken off your list and told so. Your conversation stays. To talk again, one of you must send a new request."
	title, action := "Remove "+name+"?", "Remove"
	switch c.State {
	case contacts.Blocked:
		text = name + " will be taken off your list and is no longer blocked: they could send you a new request."
	case contacts.Outgoing:
		title, action = "Withdraw your request to "+name+"?", "Withdraw"
		text = "Your request will be taken back. You can send a new one later."
	}
	return mw.confirm(title, text, action, func() error { return mw.b.Contacts.Remove(peerID) }, nil)
}

// withdrawButton takes back a request I sent (after asking).
func (mw *MainWindow) withdrawButton(peerID string) fyne.CanvasObject {
	b := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { mw.confirmRemove(peerID) })
	b.Importance = widget.LowImportance
	return container.NewCenter(b)
}

func (mw *MainWindow) unblock(peerID string) {
	mw.Background(func() error { return mw.b.Contacts.Unblock(peerID) }, func(err error) {
		if err != nil {
			mw.ShowNotice("Could not unblock: " + kit.UserText(err))
		}
	})
}

// blockRequestButton blocks an incoming request (after asking).
func (mw *MainWindow) blockRequestButton(peerID string) *widget.Button {
	b := widget.NewButtonWithIcon("Block", theme.VisibilityOffIcon(), func() { mw.confirmBlock(peerID) })
	b.Importance = widget.DangerImportance
	return b
}

// warningLabel shows a contact's warning (a verified contact's name on
// another key).
func warningLabel(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Importance = widget.WarningImportance
	l.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, l)
}

// sortByPresence orders contacts as the list shows them: online (any
// presence but Offline) first, then by name.
func sortByPresence(cs []people.ContactView) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if (a.Presence != contacts.Offline) != (b.Presence != contacts.Offline) {
			return a.Presence != contacts.Offline
		}
		return strings.ToLower(kit.DisplayName(a.Name, a.PeerID)) < strings.ToLower(kit.DisplayName(b.Name, b.PeerID))
	})
}

// refreshFilter rebuilds the group filter's choices from the contacts'
// groups, keeping the current choice while it still exists.
func (mw *MainWindow) refreshFilter() {
	var groups []string
	for _, c := range mw.all {
		for _, l := range c.Labels {
			if !containsFold(groups, l) {
				groups = append(groups, l)
			}
		}
	}
	sortFold(groups)
	opts := append([]string{filterAll}, groups...)
	if len(mw.blocked) > 0 {
		opts = append(opts, filterBlocked)
	}
	mw.filter.SetOptions(opts)
	if !slices.Contains(opts, mw.filter.Selected) {
		mw.filter.SetSelectedIndex(0) // calls applyFilter through OnChanged
	}
	if show := len(opts) > 1; show != mw.filter.Visible() {
		if show {
			mw.filter.Show()
		} else {
			mw.filter.Hide()
		}
		mw.filterRow.Refresh()
	}
}

// filterSource is the list the filter and search look through.
func (mw *MainWindow) filterSource() []people.ContactView {
	if mw.filter != nil && mw.filter.Selected == filterBlocked {
		return mw.blocked
	}
	return mw.all
}

// matchesFilter reports whether c belongs in the list for the chosen group
// and the search text q (lower case): name, status, notes or group.
func (mw *MainWindow) matchesFilter(c people.ContactView, q string) bool {
	if g := mw.filter.Selected; g != "" && g != filterAll && g != filterBlocked && !containsFold(c.Labels, g) {
		return false
	}
	if q == "" {
		return true
	}
	for _, s := range append([]string{c.Name, c.StatusText, c.Notes}, c.Labels...) {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// selectBlocked: a blocked person's row offers Unblock and Remove instead
// of a conversation.
func (mw *MainWindow) selectBlocked(peerID string) {
	mw.list.UnselectAll()
	c, _ := mw.contactView(peerID)
	name := kit.DisplayName(c.Name, peerID)
	var d *dialog.CustomDialog
	unblock := widget.NewButton("Unblock", func() {
		mw.HideModal(d)
		mw.unblock(peerID)
	})
	unblock.Importance = widget.HighImportance
	remove := widget.NewButton("Remove…", func() {
		mw.HideModal(d)
		mw.confirmRemove(peerID)
	})
	d = dialog.NewCustomWithoutButtons(name+" is blocked", kit.Wrapped("They see you offline and cannot reach you. They were not told."), mw.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", func() { mw.HideModal(d) }), remove, unblock})
	mw.ShowModal(d, nil)
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func sortFold(s []string) {
	sort.SliceStable(s, func(i, j int) bool { return strings.ToLower(s[i]) < strings.ToLower(s[j]) })
}
