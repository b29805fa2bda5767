package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/nearby"
	"hearth/app/core/people"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// buildSidebar is the left side: me and my status, the contact search and
// list, requests, groups and the people nearby.
func (mw *MainWindow) buildSidebar() fyne.CanvasObject {
	icon := canvas.NewImageFromResource(kit.AppIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(36))
	mw.myName = kit.Heading(mw.b.Me.MyName())
	mw.myName.Truncation = fyne.TextTruncateEllipsis

	p, text := mw.b.Me.Presence()
	mw.presenceSel = widget.NewSelect(kit.PresenceNames(), nil)
	mw.presenceSel.SetSelected(p.String())
	if p == contacts.Offline {
		mw.presenceSel.SetSelected(contacts.Online.String())
	}
	mw.presenceSel.OnChanged = func(string) { mw.savePresence() }
	mw.statusEntry = kit.NewEscEntry(false)
	mw.statusEntry.SetPlaceHolder(lang.L("Status message"))
	mw.statusEntry.SetText(text)
	mw.statusEntry.OnSubmitted = func(string) { mw.savePresence() }

	mw.search = kit.NewEscEntry(false)
	mw.search.SetPlaceHolder(lang.L("Search contacts"))
	mw.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	mw.search.OnChanged = func(string) { mw.applyFilter() }
	mw.search.OnEscape = func() { mw.search.SetText("") }
	mw.filter = widget.NewSelect([]string{filterAll}, func(string) { mw.applyFilter() })
	mw.filter.Selected = filterAll
	mw.filter.Hide()
	mw.filterRow = container.NewBorder(nil, nil, nil, mw.filter, mw.search)

	settings := widget.NewButtonWithIcon("", theme.SettingsIcon(), mw.ShowSettings)
	settings.Importance = widget.LowImportance
	// The name gets the whole first row; presence sits beside the status
	// text it goes with, so a name longer than four letters still shows.
	mw.lockBtn = widget.NewButtonWithIcon("", theme.VisibilityOffIcon(), mw.Lock) // lock.go
	mw.lockBtn.Importance = widget.LowImportance
	mw.lockBtn.Hide()
	me := container.NewBorder(nil, nil, icon, container.NewCenter(container.NewHBox(mw.lockBtn, settings)), mw.myName)
	top := container.NewVBox(
		me,
		container.NewBorder(nil, nil, mw.presenceSel, nil, mw.statusEntry),
		widget.NewSeparator(),
		mw.filterRow,
	)

	mw.list = widget.NewList(
		func() int { return len(mw.shown) },
		func() fyne.CanvasObject {
			r := kit.NewContactRow()
			r.OnMenu = mw.showContactMenu
			r.OnTap = mw.OpenConversation
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(mw.shown) {
				o.(*kit.ContactRow).Set(mw.shown[i])
			}
		})
	mw.list.OnSelected = func(i widget.ListItemID) {
		if i < len(mw.shown) && mw.shown[i].State == contacts.Blocked {
			mw.selectBlocked(mw.shown[i].PeerID)
		} else if i < len(mw.shown) {
			mw.openConversation(mw.shown[i].PeerID)
		}
	}
	hint := kit.Caption(lang.L("No contacts yet.\nClick “Add contact” and share your invite code."))
	hint.Alignment = fyne.TextAlignCenter
	hint.Wrapping = fyne.TextWrapWord
	mw.listEmpty = container.NewVBox(hint)

	mw.requests = container.NewVBox()
	mw.requestsBox = container.NewVScroll(mw.requests)
	mw.requestsBox.Hide()
	mw.nearbyList = container.NewVBox()
	mw.nearbyBox = container.NewVScroll(mw.nearbyList)
	mw.nearbyBox.Hide()

	add := widget.NewButtonWithIcon(lang.L("Add contact"), theme.ContentAddIcon(), mw.ShowAddContact)
	add.Importance = widget.HighImportance

	center := container.NewBorder(container.NewVBox(mw.requestsBox, mw.buildGroups()), nil, nil, nil, container.NewStack(mw.list, mw.listEmpty))
	bottom := container.NewVBox(mw.nearbyBox, container.NewGridWithColumns(2, add, mw.pairNearbyButton()))
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, center))
}

func (mw *MainWindow) savePresence() {
	p := kit.PresenceFromName(mw.presenceSel.Selected)
	text := strings.TrimSpace(mw.statusEntry.Text)
	mw.Background(func() error { return mw.b.Me.SetPresence(p, text) }, func(err error) {
		if err != nil {
			mw.ShowNotice(lang.L("Could not change your status: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
		}
	})
}

// refreshContacts re-reads the contact list from the backend.
func (mw *MainWindow) refreshContacts() {
	cs, err := mw.b.Contacts.Contacts()
	if err != nil {
		mw.ShowNotice(lang.L("Could not read your contacts: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
		return
	}
	before := map[string]bool{}
	for _, c := range mw.all {
		before[c.PeerID] = true
	}
	mw.all = mw.all[:0]
	mw.pending = mw.pending[:0]
	mw.blocked = mw.blocked[:0]
	for _, c := range cs {
		switch c.State {
		case contacts.Accepted:
			mw.all = append(mw.all, c)
		case contacts.Incoming, contacts.Outgoing:
			mw.pending = append(mw.pending, c)
		case contacts.Blocked:
			mw.blocked = append(mw.blocked, c)
		}
	}
	byName := func(s []people.ContactView) {
		sort.SliceStable(s, func(i, j int) bool {
			return strings.ToLower(kit.DisplayName(s[i].Name, s[i].PeerID)) < strings.ToLower(kit.DisplayName(s[j].Name, s[j].PeerID))
		})
	}
	sortByPresence(mw.all) // online first, then by name
	byName(mw.blocked)
	// Incoming requests first: they need an answer.
	sort.SliceStable(mw.pending, func(i, j int) bool {
		return mw.pending[i].State == contacts.Incoming && mw.pending[j].State != contacts.Incoming
	})
	mw.refreshFilter()
	mw.applyFilter()
	mw.rebuildRequests()
	mw.refreshNearbyRows() // a nearby peer who became a contact drops out

	unread := 0
	for _, c := range mw.all {
		unread += c.Unread
		if c.PeerID == mw.selected {
			mw.chat.setContact(c)
			if c.Unread > 0 && mw.focused {
				mw.markRead(c.PeerID)
			}
		}
	}
	if _, group := contacts.GroupID(mw.selected); mw.selected != "" && !group && mw.contact(mw.selected) == nil {
		mw.closeConversation() // removed or blocked
	}
	// The name tells two profiles' windows apart; the count is what a
	// taskbar shows.
	name := mw.b.Me.MyName()
	if mw.myName != nil && mw.myName.Text != name {
		mw.myName.SetText(name)
	}
	title := "Hearth — " + name
	if unread > 0 {
		title = fmt.Sprintf("(%d) %s", unread, title)
	}
	mw.win.SetTitle(title)
	mw.newContacts(before) // addcontact.go
}

func (mw *MainWindow) contact(peerID string) *people.ContactView {
	for i := range mw.all {
		if mw.all[i].PeerID == peerID {
			return &mw.all[i]
		}
	}
	return nil
}

func (mw *MainWindow) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(mw.search.Text))
	mw.shown = mw.shown[:0]
	for _, c := range mw.filterSource() {
		if mw.matchesFilter(c, q) {
			mw.shown = append(mw.shown, c)
		}
	}
	if len(mw.filterSource()) == 0 {
		mw.listEmpty.Show()
	} else {
		mw.listEmpty.Hide()
	}
	mw.list.Refresh()
	// Keep the highlight on the open conversation without reopening it.
	mw.list.UnselectAll()
	for i, c := range mw.shown {
		if c.PeerID == mw.selected {
			sel := mw.list.OnSelected
			mw.list.OnSelected = nil
			mw.list.Select(i)
			mw.list.OnSelected = sel
		}
	}
}

// rebuildRequests fills the requests section: incoming with Accept and
// Decline, outgoing with "Request sent".
func (mw *MainWindow) rebuildRequests() {
	mw.requests.RemoveAll()
	if len(mw.pending) == 0 {
		mw.requestsBox.Hide()
		return
	}
	mw.requests.Add(kit.SectionTitle(lang.L("Requests")))
	for _, c := range mw.pending {
		mw.requests.Add(mw.requestRow(c))
	}
	mw.requests.Add(widget.NewSeparator())
	h := min(mw.requests.MinSize().Height, 220)
	mw.requestsBox.SetMinSize(fyne.NewSize(0, h))
	mw.requestsBox.Show()
}

func (mw *MainWindow) requestRow(c people.ContactView) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(kit.DisplayName(c.Name, c.PeerID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	if c.State == contacts.Outgoing {
		// Wrapped, not cut: "waiting for them to acc…" said nothing.
		sent := kit.Caption(lang.L("Asked: waiting for their answer"))
		sent.Wrapping = fyne.TextWrapWord
		return container.NewBorder(nil, nil, widget.NewIcon(theme.MailSendIcon()), mw.withdrawButton(c.PeerID),
			kit.TightVBox(name, sent))
	}
	rows := []fyne.CanvasObject{name}
	if c.Warning != "" {
		rows = append(rows, warningLabel(c.Warning))
	}
	if note := strings.TrimSpace(c.Message); note != "" {
		n := widget.NewLabel("“" + note + "”")
		n.TextStyle.Italic = true
		n.Wrapping = fyne.TextWrapWord
		rows = append(rows, n)
	} else {
		rows = append(rows, kit.Caption(lang.L("wants to connect")))
	}
	var accept, decline *widget.Button
	peerID := c.PeerID
	accept = widget.NewButtonWithIcon(lang.L("Accept"), theme.ConfirmIcon(), func() {
		accept.Disable()
		decline.Disable()
		mw.Background(func() error { return mw.b.Contacts.Accept(peerID) }, func(err error) {
			if err != nil {
				accept.Enable()
				decline.Enable()
				mw.ShowNotice(lang.L("Could not accept: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			}
		})
	})
	accept.Importance = widget.SuccessImportance
	decline = widget.NewButtonWithIcon(lang.L("Decline"), theme.CancelIcon(), func() {
		accept.Disable()
		decline.Disable()
		mw.Background(func() error { return mw.b.Contacts.Decline(peerID) }, func(err error) {
			if err != nil {
				accept.Enable()
				decline.Enable()
				mw.ShowNotice(lang.L("Could not decline: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			}
		})
	})
	// The name and its note stack tight, as in the other rows.
	return container.NewVBox(kit.TightVBox(rows...),
		container.NewGridWithColumns(3, accept, decline, mw.blockRequestButton(peerID)))
}

// refreshNearby re-reads the Hearth users found on the LAN.
func (mw *MainWindow) refreshNearby() {
	mw.nearby = mw.b.Contacts.Nearby()
	mw.refreshNearbyRows()
}

func (mw *MainWindow) refreshNearbyRows() {
	known := map[string]bool{}
	for _, c := range mw.all {
		known[c.PeerID] = true
	}
	for _, c := range mw.pending {
		known[c.PeerID] = true
	}
	mw.nearbyList.RemoveAll()
	for _, p := range mw.nearby {
		if known[p.PeerID] {
			continue
		}
		mw.nearbyList.Add(mw.nearbyRow(p))
	}
	if len(mw.nearbyList.Objects) == 0 {
		mw.nearbyBox.Hide()
		return
	}
	mw.nearbyList.Objects = append([]fyne.CanvasObject{widget.NewSeparator(), kit.SectionTitle(lang.L("Nearby on this network"))}, mw.nearbyList.Objects...)
	mw.nearbyList.Refresh()
	mw.nearbyBox.SetMinSize(fyne.NewSize(0, min(mw.nearbyList.MinSize().Height, 180)))
	mw.nearbyBox.Show()
}

func (mw *MainWindow) nearbyRow(p nearby.Peer) fyne.CanvasObject {
	label := kit.DisplayName(p.Name, p.PeerID)
	if p.Name != "" {
		// Anyone on the LAN can announce any name: the ID's end tells two
		// "Mum"s apart.
		label += "  " + kit.ShortID(p.PeerID)
	}
	name := widget.NewLabel(label)
	name.Truncation = fyne.TextTruncateEllipsis
	var add *widget.Button
	peerID := p.PeerID
	add = widget.NewButtonWithIcon(lang.L("Add"), theme.ContentAddIcon(), func() {
		add.Disable()
		add.SetText(lang.L("Sending…"))
		mw.Background(func() error { return mw.b.Contacts.RequestNearby(peerID, "") }, func(err error) {
			if err != nil {
				add.Enable()
				add.SetText(lang.L("Add"))
				mw.ShowNotice(lang.L("Could not send the request: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
				return
			}
			mw.asked[peerID] = true
			add.SetText(lang.L("Sent"))
		})
	})
	if mw.asked[peerID] {
		add.Disable()
		add.SetText(lang.L("Sent"))
	}
	return container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), add, name)
}
