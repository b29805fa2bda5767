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
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/people"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// Group filter choices besides the group names themselves.
const (
	filterAll     = "All contacts"
	filterBlocked = "Blocked"
)

// ContactView finds a contact, a blocked person or a request by peer ID.
func (mw *MainWindow) ContactView(peerID string) (people.ContactView, bool) {
	for _, list := range [][]people.ContactView{mw.all, mw.blocked, mw.pending} {
		if i := slices.IndexFunc(list, func(c people.ContactView) bool { return c.PeerID == peerID }); i >= 0 {
			return list[i], true
		}
	}
	return people.ContactView{}, false
}

// contactMenu lists what can be done with one contact.
func (mw *MainWindow) contactMenu(peerID string) *fyne.Menu {
	c, _ := mw.ContactView(peerID)
	var items []*fyne.MenuItem
	if c.State != contacts.Blocked {
		items = append(items,
			fyne.NewMenuItem(lang.L("Rename…"), func() { mw.contactDlg.ShowRename(peerID) }),
			fyne.NewMenuItem(lang.L("Notes…"), func() { mw.contactDlg.ShowNotes(peerID) }),
			fyne.NewMenuItem(lang.L("Groups…"), func() { mw.contactDlg.ShowGroups(peerID) }),
			fyne.NewMenuItem(lang.L("Verify…"), func() { mw.contactDlg.ShowVerify(peerID) }),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(lang.L("Block…"), func() { mw.contactDlg.ConfirmBlock(peerID) }),
		)
	} else {
		items = append(items, fyne.NewMenuItem(lang.L("Unblock"), func() { mw.unblock(peerID) }))
	}
	items = append(items, fyne.NewMenuItem(lang.L("Remove…"), func() { mw.contactDlg.ConfirmRemove(peerID) }))
	return fyne.NewMenu("", items...)
}

// showContactMenu pops the contact menu up at pos (window coordinates).
func (mw *MainWindow) showContactMenu(peerID string, pos fyne.Position) {
	widget.ShowPopUpMenuAtPosition(mw.contactMenu(peerID), mw.win.Canvas(), pos)
}

// withdrawButton takes back a request I sent (after asking).
func (mw *MainWindow) withdrawButton(peerID string) fyne.CanvasObject {
	b := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { mw.contactDlg.ConfirmRemove(peerID) })
	b.Importance = widget.LowImportance
	return container.NewCenter(b)
}

func (mw *MainWindow) unblock(peerID string) {
	mw.Background(func() error { return mw.b.Contacts.Unblock(peerID) }, func(err error) {
		if err != nil {
			mw.ShowNotice(lang.L("Could not unblock: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
		}
	})
}

// blockRequestButton blocks an incoming request (after asking).
func (mw *MainWindow) blockRequestButton(peerID string) *widget.Button {
	b := widget.NewButtonWithIcon(lang.L("Block"), theme.VisibilityOffIcon(), func() { mw.contactDlg.ConfirmBlock(peerID) })
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
			if !kit.ContainsFold(groups, l) {
				groups = append(groups, l)
			}
		}
	}
	kit.SortFold(groups)
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
	if g := mw.filter.Selected; g != "" && g != filterAll && g != filterBlocked && !kit.ContainsFold(c.Labels, g) {
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
	c, _ := mw.ContactView(peerID)
	name := kit.DisplayName(c.Name, peerID)
	var d *dialog.CustomDialog
	unblock := widget.NewButton(lang.L("Unblock"), func() {
		mw.HideModal(d)
		mw.unblock(peerID)
	})
	unblock.Importance = widget.HighImportance
	remove := widget.NewButton(lang.L("Remove…"), func() {
		mw.HideModal(d)
		mw.contactDlg.ConfirmRemove(peerID)
	})
	d = dialog.NewCustomWithoutButtons(lang.L("{{.Name}} is blocked", map[string]any{"Name": name}), kit.Wrapped(lang.L("They see you offline and cannot reach you. They were not told.")), mw.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Close"), func() { mw.HideModal(d) }), remove, unblock})
	mw.ShowModal(d, nil)
}
