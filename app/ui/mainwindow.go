package ui

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/contacts"
)

// historyLimit is how many messages a conversation loads when opened.
const historyLimit = 300

// MainWindow is Hearth's main window: contacts on the left, the open
// conversation on the right. All its fields are touched on the Fyne UI
// goroutine only; one goroutine reads Backend.Events and hands each event
// to the UI goroutine through do (fyne.Do in the app).
type MainWindow struct {
	app fyne.App
	win fyne.Window
	b   *Backend     // the whole bundle; views get their areas
	do  func(func()) // runs a function on the UI goroutine
	// kill makes do a no-op (shutdown).
	kill func()
	// endedEarly: calls that ended before their window opened.
	endedEarly map[string]core.CallEnded

	stop      chan struct{}
	wg        sync.WaitGroup // the event loop and background calls
	closeOnce sync.Once

	// fields below are used on the UI goroutine only
	all      []core.ContactView // accepted contacts, sorted by name
	shown    []core.ContactView // all, filtered by the search text
	pending  []core.ContactView // requests both ways
	blocked  []core.ContactView // people I blocked (contactmenu.go)
	nearby   []core.NearbyPeer
	asked    map[string]bool // nearby peers I sent a request to
	selected string          // peer ID of the open conversation

	myName      *widget.Label
	presenceSel *widget.Select
	statusEntry *escEntry
	search      *escEntry
	filter      *widget.Select // by group, or the blocked (contactmenu.go)
	filterRow   *fyne.Container
	list        *widget.List
	listEmpty   fyne.CanvasObject
	requests    *fyne.Container
	requestsBox *container.Scroll
	nearbyList  *fyne.Container
	nearbyBox   *container.Scroll

	notice      *fyne.Container
	noticeText  *widget.Label
	noticeTimer *time.Timer

	empty fyne.CanvasObject
	chat  *chatView

	archive archiveState // archive.go: search, export, compliance banner

	calls   map[string]*CallWindow
	ringing map[string]dialog.Dialog
	modal   dialog.Dialog // the dialog Escape closes
	escape  func()        // what Escape does while modal is shown

	shortCode    *shortCodeDialog // the open short-code dialog (shortcode.go)
	grp          *groupsSection   // the sidebar's groups (groupsview.go)
	pairBtn      *widget.Button   // Pair nearby / Visible until … (presenceui.go)
	lastActivity time.Time        // last activity reported to the core

	// conversation features (notify.go)
	notify  *notifier
	focused bool            // the app has the keyboard focus
	typing  map[string]bool // contacts typing to me
}

// NewMainWindow creates, fills and shows a main window for an open
// backend, and starts reading its events. Close it with Close.
func NewMainWindow(a fyne.App, b *Backend) *MainWindow {
	w := a.NewWindow("Hearth")
	w.SetIcon(AppIcon)
	mw := newMainWindow(a, w, b, fyne.Do)
	w.Resize(fyne.NewSize(1000, 680))
	w.Show()
	return mw
}

// newMainWindow fills w. do runs a function on the UI goroutine: fyne.Do
// in the app, a queue the test drains in view tests.
func newMainWindow(a fyne.App, w fyne.Window, b *Backend, uiDo func(func())) *MainWindow {
	// After the app stops, fyne.Do runs functions on the caller's goroutine;
	// once shutdown starts nothing more may reach the widgets.
	var doMu sync.RWMutex
	dead := false
	do := func(f func()) {
		doMu.RLock()
		defer doMu.RUnlock()
		if !dead {
			uiDo(f)
		}
	}
	kill := func() {
		doMu.Lock()
		dead = true
		doMu.Unlock()
	}
	mw := &MainWindow{
		app: a, win: w, b: b, do: do, kill: kill, endedEarly: map[string]core.CallEnded{},
		stop:    make(chan struct{}),
		asked:   map[string]bool{},
		calls:   map[string]*CallWindow{},
		ringing: map[string]dialog.Dialog{},
		typing:  map[string]bool{},
		notify:  newNotifier(a),
	}
	mw.watchFocus()
	w.SetIcon(AppIcon)
	split := container.NewHSplit(mw.buildSidebar(), mw.buildRight())
	split.Offset = 0.3
	w.SetContent(split)
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			if mw.modal == nil && mw.escape == nil && mw.chat.rec != nil {
				mw.chat.stopRecording(false) // Escape throws a voice note away
				return
			}
			mw.closeModal()
		}
	})
	w.SetOnDropped(mw.onDropped)
	mw.watchActivity()
	mw.addArchiveShortcuts() // archive.go: Ctrl+F searches every conversation
	// Closing the main window ends the calls with it.
	w.SetCloseIntercept(func() {
		for _, cw := range mw.calls {
			cw.Close()
		}
		w.Close()
	})
	mw.refreshContacts()
	mw.refreshNearby()
	mw.refreshGroups()
	mw.wg.Add(1)
	go mw.loop()
	return mw
}

// Window is the Fyne window.
func (mw *MainWindow) Window() fyne.Window { return mw.win }

// Close closes the call windows (hanging up), stops reading events, waits
// for background calls and closes the backend. Call it on the UI goroutine.
func (mw *MainWindow) Close() {
	for _, cw := range mw.calls {
		cw.Close()
	}
	mw.shutdown()
}

// shutdown hangs up running calls without touching their windows, stops
// reading events and closes the backend. Run calls it after the app has
// stopped.
func (mw *MainWindow) shutdown() {
	mw.closeOnce.Do(func() {
		mw.kill()
		for _, cw := range mw.calls {
			cw.hangupOnly()
		}
		if mw.noticeTimer != nil {
			mw.noticeTimer.Stop()
		}
		mw.chat.shutdown()
		close(mw.stop)
		// Closing the backend first ends network calls still running.
		mw.b.Close()
		mw.wg.Wait()
	})
}

// loop is the one goroutine that reads the backend's events.
func (mw *MainWindow) loop() {
	defer mw.wg.Done()
	events := mw.b.Events()
	for {
		select {
		case <-mw.stop:
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			mw.do(func() { mw.apply(ev) })
		}
	}
}

// apply updates the widgets for one event, on the UI goroutine.
func (mw *MainWindow) apply(ev core.Event) {
	switch e := ev.(type) {
	case core.ContactsChanged:
		mw.refreshContacts()
		mw.refreshGroups() // unread counts of groups change with MarkRead too
	case core.GroupsChanged:
		mw.refreshGroups()
	case core.RequestReceived:
		mw.refreshContacts()
	case core.NearbyChanged:
		mw.refreshNearby()
	case core.MessageAdded:
		if e.Message.Conversation == mw.selected {
			mw.chat.add(e.Message)
			if !e.Message.Outgoing && !e.Message.Read && mw.focused {
				mw.markRead(mw.selected)
			}
		}
		mw.notifyMessage(e.Message)
	case core.MessageStatusChanged:
		if e.Conversation == mw.selected {
			mw.chat.setStatus(e.ID, e.Status)
		}
	case core.IncomingCall:
		mw.ring(e)
	case core.CallConnected:
		if cw := mw.calls[e.CallID]; cw != nil {
			cw.connected()
		}
	case core.CallEnded:
		if d, ok := mw.ringing[e.CallID]; ok {
			delete(mw.ringing, e.CallID)
			mw.hideModal(d)
			mw.showNotice(e.Reason)
		}
		if cw := mw.calls[e.CallID]; cw != nil {
			cw.ended(e.Reason)
			mw.callEndedNotice(cw, e) // callnotice.go
		} else {
			// A Busy or Decline can beat StartCall's return: the window
			// opened right after must end at once.
			mw.endedEarly[e.CallID] = e
		}
	case core.Notice:
		mw.showNotice(e.Text)
	case core.PairingSucceeded, core.PairingFailed:
		mw.pairingEvent(e)
	case core.PresenceChanged:
		mw.showMyPresence(e.Presence)
	case core.NearbyVisibilityChanged:
		mw.showNearbyWindow(e.Until)
	case core.TransferChanged:
		if e.Transfer.Conversation == mw.selected {
			mw.chat.setTransfer(e.Transfer)
		}
	case core.ComplianceChanged, core.ConversationPruned:
		mw.applyArchive(ev) // archive.go
	default:
		mw.applyConvo(ev)
	}
}

// background runs fn off the UI goroutine and then done with its error on
// it. Network calls (requests, calls) go through here.
func (mw *MainWindow) background(fn func() error, done func(error)) {
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		err := fn()
		mw.do(func() {
			if done != nil {
				done(err)
			}
		})
	}()
}

// ---- sidebar ----

func (mw *MainWindow) buildSidebar() fyne.CanvasObject {
	icon := canvas.NewImageFromResource(AppIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(36))
	mw.myName = heading(mw.b.Me.MyName())
	mw.myName.Truncation = fyne.TextTruncateEllipsis

	p, text := mw.b.Me.Presence()
	mw.presenceSel = widget.NewSelect(presenceNames(), nil)
	mw.presenceSel.SetSelected(p.String())
	if p == contacts.Offline {
		mw.presenceSel.SetSelected(contacts.Online.String())
	}
	mw.presenceSel.OnChanged = func(string) { mw.savePresence() }
	mw.statusEntry = newEscEntry(false)
	mw.statusEntry.SetPlaceHolder("Status message")
	mw.statusEntry.SetText(text)
	mw.statusEntry.OnSubmitted = func(string) { mw.savePresence() }

	mw.search = newEscEntry(false)
	mw.search.SetPlaceHolder("Search contacts")
	mw.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	mw.search.OnChanged = func(string) { mw.applyFilter() }
	mw.search.onEscape = func() { mw.search.SetText("") }
	mw.filter = widget.NewSelect([]string{filterAll}, func(string) { mw.applyFilter() })
	mw.filter.Selected = filterAll
	mw.filter.Hide()
	mw.filterRow = container.NewBorder(nil, nil, nil, mw.filter, mw.search)

	settings := widget.NewButtonWithIcon("", theme.SettingsIcon(), mw.ShowSettings)
	settings.Importance = widget.LowImportance
	// The name gets the whole first row; presence sits beside the status
	// text it goes with, so a name longer than four letters still shows.
	me := container.NewBorder(nil, nil, icon, container.NewCenter(settings), mw.myName)
	top := container.NewVBox(
		me,
		container.NewBorder(nil, nil, mw.presenceSel, nil, mw.statusEntry),
		widget.NewSeparator(),
		mw.filterRow,
	)

	mw.list = widget.NewList(
		func() int { return len(mw.shown) },
		func() fyne.CanvasObject {
			r := newContactRow()
			r.onMenu = mw.showContactMenu
			r.onTap = mw.OpenConversation
			return r
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(mw.shown) {
				o.(*contactRow).set(mw.shown[i])
			}
		})
	mw.list.OnSelected = func(i widget.ListItemID) {
		if i < len(mw.shown) && mw.shown[i].State == contacts.Blocked {
			mw.selectBlocked(mw.shown[i].PeerID)
		} else if i < len(mw.shown) {
			mw.openConversation(mw.shown[i].PeerID)
		}
	}
	hint := caption("No contacts yet.\nClick “Add contact” and share your invite code.")
	hint.Alignment = fyne.TextAlignCenter
	hint.Wrapping = fyne.TextWrapWord
	mw.listEmpty = container.NewVBox(hint)

	mw.requests = container.NewVBox()
	mw.requestsBox = container.NewVScroll(mw.requests)
	mw.requestsBox.Hide()
	mw.nearbyList = container.NewVBox()
	mw.nearbyBox = container.NewVScroll(mw.nearbyList)
	mw.nearbyBox.Hide()

	add := widget.NewButtonWithIcon("Add contact", theme.ContentAddIcon(), mw.ShowAddContact)
	add.Importance = widget.HighImportance

	center := container.NewBorder(container.NewVBox(mw.requestsBox, mw.buildGroups()), nil, nil, nil, container.NewStack(mw.list, mw.listEmpty))
	bottom := container.NewVBox(mw.nearbyBox, container.NewGridWithColumns(2, add, mw.pairNearbyButton()))
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, center))
}

func (mw *MainWindow) savePresence() {
	p := presenceFromName(mw.presenceSel.Selected)
	text := strings.TrimSpace(mw.statusEntry.Text)
	mw.background(func() error { return mw.b.Me.SetPresence(p, text) }, func(err error) {
		if err != nil {
			mw.showNotice("Could not change your status: " + userText(err))
		}
	})
}

// refreshContacts re-reads the contact list from the backend.
func (mw *MainWindow) refreshContacts() {
	cs, err := mw.b.Contacts.Contacts()
	if err != nil {
		mw.showNotice("Could not read your contacts: " + userText(err))
		return
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
	byName := func(s []core.ContactView) {
		sort.SliceStable(s, func(i, j int) bool {
			return strings.ToLower(displayName(s[i].Name, s[i].PeerID)) < strings.ToLower(displayName(s[j].Name, s[j].PeerID))
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
}

func (mw *MainWindow) contact(peerID string) *core.ContactView {
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
	mw.requests.Add(sectionTitle("Requests"))
	for _, c := range mw.pending {
		mw.requests.Add(mw.requestRow(c))
	}
	mw.requests.Add(widget.NewSeparator())
	h := min(mw.requests.MinSize().Height, 220)
	mw.requestsBox.SetMinSize(fyne.NewSize(0, h))
	mw.requestsBox.Show()
}

func (mw *MainWindow) requestRow(c core.ContactView) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(displayName(c.Name, c.PeerID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	if c.State == contacts.Outgoing {
		sent := caption("Request sent — waiting for them to accept")
		sent.Truncation = fyne.TextTruncateEllipsis
		return container.NewBorder(nil, nil, widget.NewIcon(theme.MailSendIcon()), mw.withdrawButton(c.PeerID),
			tightVBox(name, sent))
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
		rows = append(rows, caption("wants to connect"))
	}
	var accept, decline *widget.Button
	peerID := c.PeerID
	accept = widget.NewButtonWithIcon("Accept", theme.ConfirmIcon(), func() {
		accept.Disable()
		decline.Disable()
		mw.background(func() error { return mw.b.Contacts.Accept(peerID) }, func(err error) {
			if err != nil {
				accept.Enable()
				decline.Enable()
				mw.showNotice("Could not accept: " + userText(err))
			}
		})
	})
	accept.Importance = widget.SuccessImportance
	decline = widget.NewButtonWithIcon("Decline", theme.CancelIcon(), func() {
		accept.Disable()
		decline.Disable()
		mw.background(func() error { return mw.b.Contacts.Decline(peerID) }, func(err error) {
			if err != nil {
				accept.Enable()
				decline.Enable()
				mw.showNotice("Could not decline: " + userText(err))
			}
		})
	})
	// The name and its note stack tight, as in the other rows.
	return container.NewVBox(tightVBox(rows...),
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
	mw.nearbyList.Objects = append([]fyne.CanvasObject{widget.NewSeparator(), sectionTitle("Nearby on this network")}, mw.nearbyList.Objects...)
	mw.nearbyList.Refresh()
	mw.nearbyBox.SetMinSize(fyne.NewSize(0, min(mw.nearbyList.MinSize().Height, 180)))
	mw.nearbyBox.Show()
}

func (mw *MainWindow) nearbyRow(p core.NearbyPeer) fyne.CanvasObject {
	label := displayName(p.Name, p.PeerID)
	if p.Name != "" {
		// Anyone on the LAN can announce any name: the ID's end tells two
		// "Mum"s apart.
		label += "  " + shortID(p.PeerID)
	}
	name := widget.NewLabel(label)
	name.Truncation = fyne.TextTruncateEllipsis
	var add *widget.Button
	peerID := p.PeerID
	add = widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), func() {
		add.Disable()
		add.SetText("Sending…")
		mw.background(func() error { return mw.b.Contacts.RequestNearby(peerID, "") }, func(err error) {
			if err != nil {
				add.Enable()
				add.SetText("Add")
				mw.showNotice("Could not send the request: " + userText(err))
				return
			}
			mw.asked[peerID] = true
			add.SetText("Sent")
		})
	})
	if mw.asked[peerID] {
		add.Disable()
		add.SetText("Sent")
	}
	return container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), add, name)
}

// ---- right side ----

func (mw *MainWindow) buildRight() fyne.CanvasObject {
	mw.chat = newChatView(mw, mw.b.Chat, mw.b.Files)
	mw.chat.root.Hide()

	icon := canvas.NewImageFromResource(AppIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(112))
	title := widget.NewLabelWithStyle("Welcome to Hearth", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	hint := widget.NewLabel("Pick someone on the left to start chatting.\nAdd a contact with their invite code, or share yours.")
	hint.Alignment = fyne.TextAlignCenter
	add := widget.NewButtonWithIcon("Add contact", theme.ContentAddIcon(), mw.ShowAddContact)
	mw.empty = container.NewCenter(container.NewVBox(container.NewCenter(icon), title, hint, container.NewCenter(add)))

	mw.noticeText = widget.NewLabel("")
	mw.noticeText.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	bg.CornerRadius = theme.InputRadiusSize()
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), mw.hideNotice)
	closeBtn.Importance = widget.LowImportance
	mw.notice = container.NewStack(bg, container.NewBorder(nil, nil,
		container.NewCenter(widget.NewIcon(theme.InfoIcon())), container.NewCenter(closeBtn), mw.noticeText))
	mw.notice.Hide()

	return container.NewBorder(container.NewPadded(mw.notice), nil, nil, nil,
		container.NewStack(mw.empty, mw.chat.root))
}

// OpenConversation shows the conversation with an accepted contact, as if
// it had been picked in the list.
func (mw *MainWindow) OpenConversation(peerID string) {
	for i, c := range mw.shown {
		if c.PeerID == peerID {
			mw.list.Select(i) // calls openConversation
			return
		}
	}
	mw.openConversation(peerID)
}

func (mw *MainWindow) openConversation(peerID string) {
	c := mw.contact(peerID)
	if c == nil {
		return
	}
	if peerID == mw.selected {
		return
	}
	mw.chat.leave()
	mw.activity()
	mw.selected = peerID
	mw.chat.setOneToOne()
	mw.chat.typing = mw.typing[peerID]
	mw.chat.setContact(*c)
	msgs, err := mw.b.Chat.History(peerID, historyLimit)
	if err != nil {
		mw.showNotice("Could not read this conversation: " + userText(err))
	}
	transfers, err := mw.b.Files.Transfers(peerID)
	if err != nil {
		mw.showNotice("Could not read the files of this conversation: " + userText(err))
	}
	mw.chat.setHistory(msgs, transfers)
	mw.updateComplianceBar() // archive.go
	mw.empty.Hide()
	mw.chat.root.Show()
	mw.win.Canvas().Focus(mw.chat.entry)
	if c.Unread > 0 {
		mw.markRead(peerID)
	}
}

func (mw *MainWindow) closeConversation() {
	mw.chat.leave()
	mw.selected = ""
	mw.chat.root.Hide()
	mw.empty.Show()
	mw.list.UnselectAll()
}

func (mw *MainWindow) markRead(peerID string) {
	mw.background(func() error { return mw.b.Chat.MarkRead(peerID) }, nil)
}

// send is the composer's action.
func (mw *MainWindow) send(text string) {
	if strings.TrimSpace(text) == "" || mw.selected == "" {
		return
	}
	if mw.chat.sendInMode(text) {
		return
	}
	var msg contacts.Message
	var err error
	if gid, ok := contacts.GroupID(mw.selected); ok {
		msg, err = mw.b.Groups.SendGroup(gid, text)
	} else {
		msg, err = mw.b.Chat.Send(mw.selected, text)
	}
	if err != nil {
		showError(mw.chat.sendErr, err)
		return
	}
	showError(mw.chat.sendErr, nil)
	mw.chat.entry.SetText("")
	mw.chat.add(msg)
}

// ---- notices and dialogs ----

// showNotice shows a non-blocking banner above the conversation for a
// while.
func (mw *MainWindow) showNotice(text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	mw.noticeText.SetText(text)
	mw.notice.Show()
	if mw.noticeTimer != nil {
		mw.noticeTimer.Stop()
	}
	shown := text
	mw.noticeTimer = time.AfterFunc(12*time.Second, func() {
		mw.do(func() {
			if mw.noticeText.Text == shown {
				mw.hideNotice()
			}
		})
	})
}

func (mw *MainWindow) hideNotice() { mw.notice.Hide() }

// NoticeText is the banner's text, empty when it is hidden (for tests).
func (mw *MainWindow) NoticeText() string {
	if !mw.notice.Visible() {
		return ""
	}
	return mw.noticeText.Text
}

// showModal shows d and makes Escape run onEscape (or hide d).
func (mw *MainWindow) showModal(d dialog.Dialog, onEscape func()) {
	mw.modal = d
	mw.escape = onEscape
	d.SetOnClosed(func() {
		if mw.modal == d {
			mw.modal, mw.escape = nil, nil
		}
	})
	d.Show()
}

func (mw *MainWindow) hideModal(d dialog.Dialog) {
	d.Hide()
	if mw.modal == d {
		mw.modal, mw.escape = nil, nil
	}
}

func (mw *MainWindow) closeModal() {
	switch {
	case mw.escape != nil:
		mw.escape()
	case mw.modal != nil:
		mw.hideModal(mw.modal)
	}
}

// ---- calls ----

func (mw *MainWindow) ring(e core.IncomingCall) {
	name := displayName(e.Name, e.PeerID)
	if c := mw.contact(e.PeerID); c != nil && e.Name == "" {
		name = displayName(c.Name, c.PeerID)
	}
	t := heading(name + " is calling")
	t.Alignment = fyne.TextAlignCenter
	sub := widget.NewLabelWithStyle("Video call", fyne.TextAlignCenter, fyne.TextStyle{})
	icon := widget.NewIcon(theme.MediaVideoIcon())
	content := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(48), icon)), t, sub)
	d := dialog.NewCustomWithoutButtons("Incoming call", content, mw.win)
	callID := e.CallID
	var accept, decline *widget.Button
	answer := func(ok bool) {
		delete(mw.ringing, callID)
		mw.hideModal(d)
		if !ok {
			mw.background(func() error { return mw.b.Calls.DeclineCall(callID) }, nil)
			return
		}
		var call core.Call
		mw.background(func() (err error) {
			call, err = mw.b.Calls.AcceptCall(callID)
			return err
		}, func(err error) {
			if err != nil {
				mw.showNotice("Could not answer the call: " + userText(err))
				return
			}
			mw.openCall(call, name, "Connecting…")
		})
	}
	decline = widget.NewButtonWithIcon("Decline", theme.CancelIcon(), func() { answer(false) })
	decline.Importance = widget.DangerImportance
	accept = widget.NewButtonWithIcon("Accept", theme.MediaVideoIcon(), func() { answer(true) })
	accept.Importance = widget.SuccessImportance
	d.SetButtons([]fyne.CanvasObject{decline, accept})
	mw.ringing[callID] = d
	mw.showModal(d, func() { answer(false) })
	mw.win.RequestFocus()
}

// startCall calls the open conversation's contact.
func (mw *MainWindow) startCall() {
	c := mw.contact(mw.selected)
	if c == nil {
		return
	}
	if len(mw.calls) > 0 {
		mw.showNotice("You are already in a call.")
		return
	}
	peerID, name := c.PeerID, displayName(c.Name, c.PeerID)
	mw.chat.call.Disable()
	var call core.Call
	mw.background(func() (err error) {
		call, err = mw.b.Calls.StartCall(peerID)
		return err
	}, func(err error) {
		mw.chat.call.Enable()
		if err != nil {
			mw.showNotice("Could not call " + name + ": " + userText(err))
			return
		}
		mw.openCall(call, name, "Calling…")
	})
}

func (mw *MainWindow) openCall(call core.Call, name, status string) {
	cw := newCallWindow(mw.app, call, name, status, mw.do)
	id := call.ID()
	mw.calls[id] = cw
	cw.onClosed = func() { delete(mw.calls, id) }
	cw.Window().Show()
	if e, ok := mw.endedEarly[id]; ok {
		delete(mw.endedEarly, id)
		cw.ended(e.Reason)
		mw.callEndedNotice(cw, e)
	}
}

// ---- the chat pane ----

// layoutSpacer is a fixed-size gap.
func layoutSpacer(w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}
