package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/core/nearby"
	"hearth/app/core/people"
	"hearth/app/ui/addcontact"
	"hearth/app/ui/archivedlg"
	"hearth/app/ui/area"
	"hearth/app/ui/callwin"
	"hearth/app/ui/contactdlg"
	"hearth/app/ui/groupdlg"
	"hearth/app/ui/kit"
	"hearth/app/ui/notify"
	"hearth/app/ui/search"
	"hearth/app/ui/start"
)

// MainWindow is Hearth's main window: contacts on the left, the open
// conversation on the right. All its fields are touched on the Fyne UI
// goroutine only; one goroutine reads Backend.Events and hands each event
// to the UI goroutine through do (fyne.Do in the app).
type MainWindow struct {
	app fyne.App
	win fyne.Window
	b   *area.Backend // the whole bundle; views get their areas
	do  func(func())  // runs a function on the UI goroutine
	// kill makes do a no-op (shutdown).
	kill func()
	// endedEarly: calls that ended before their window opened.
	endedEarly map[string]event.CallEnded

	stop      chan struct{}
	wg        sync.WaitGroup // the event loop and background calls
	closeOnce sync.Once

	// fields below are used on the UI goroutine only
	all      []people.ContactView // accepted contacts, sorted by name
	shown    []people.ContactView // all, filtered by the search text
	pending  []people.ContactView // requests both ways
	blocked  []people.ContactView // people I blocked (contactmenu.go)
	nearby   []nearby.Peer
	asked    map[string]bool // nearby peers I sent a request to
	selected string          // peer ID of the open conversation

	myName      *widget.Label
	presenceSel *widget.Select
	statusEntry *kit.EscEntry
	search      *kit.EscEntry
	filter      *widget.Select // by group, or the blocked (contactmenu.go)
	filterRow   *fyne.Container
	list        *widget.List
	listEmpty   fyne.CanvasObject
	requests    *fyne.Container
	requestsBox *container.Scroll
	nearbyList  *fyne.Container
	nearbyBox   *container.Scroll

	notice     *fyne.Container
	noticeText *widget.Label
	// noticeAction is the notice's one button ("Compare safety codes"),
	// hidden when the notice has none.
	noticeAction *widget.Button
	noticeTimer  *time.Timer

	empty fyne.CanvasObject
	chat  *chatView

	archive archiveState // archive.go: search, export, compliance banner

	calls   map[string]*callwin.CallWindow
	ringing map[string]dialog.Dialog
	callers map[string]event.IncomingCall
	modal   dialog.Dialog // the dialog Escape closes
	escape  func()        // what Escape does while modal is shown

	add          *addcontact.Dialogs // the add-contact dialogs (app/ui/addcontact)
	groupDlg     *groupdlg.Dialogs   // the group dialogs (app/ui/groupdlg)
	contactDlg   *contactdlg.Dialogs // the contact dialogs (app/ui/contactdlg)
	archiveDlg   *archivedlg.Dialogs // the export and retention dialogs (app/ui/archivedlg)
	find         *search.Finder      // the search panel (app/ui/search)
	grp          *groupsSection      // the sidebar's groups (groupsview.go)
	pairBtn      *widget.Button      // Pair nearby / Visible until … (presenceui.go)
	lastActivity time.Time           // last activity reported to the core
	// expecting: until when the next new contact is someone being added
	// (addcontact.go); loaded: the contact list was read once.
	expecting time.Time
	loaded    bool

	// lock.go: the lock screen while locked, what it covers, the last
	// input, and how to log out (Run's; nil in view tests)
	launcher  area.Launcher
	lock      *start.LockScreen
	unlocked  fyne.CanvasObject
	lastInput time.Time
	onLogOut  func()
	lockBtn   *widget.Button // beside Settings, shown when CanLock

	// conversation features (notify.go)
	notify  *notify.Notifier
	focused bool            // the app has the keyboard focus
	typing  map[string]bool // contacts typing to me

	// The tray icon is shown; its menu and status line (background.go).
	tray       bool
	trayMenu   *fyne.Menu
	trayStatus *fyne.MenuItem
}

// NewMainWindow creates, fills and shows a main window for an open
// backend, and starts reading its events. Close it with Close.
func NewMainWindow(a fyne.App, b *area.Backend) *MainWindow {
	w := a.NewWindow("Hearth")
	w.SetIcon(kit.AppIcon)
	mw := newMainWindow(a, w, b, fyne.Do)
	w.Resize(WindowSize(a))
	w.Show()
	return mw
}

// newMainWindow fills w. do runs a function on the UI goroutine: fyne.Do
// in the app, a queue the test drains in view tests.
func newMainWindow(a fyne.App, w fyne.Window, b *area.Backend, uiDo func(func())) *MainWindow {
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
		app: a, win: w, b: b, do: do, kill: kill, endedEarly: map[string]event.CallEnded{},
		stop:    make(chan struct{}),
		asked:   map[string]bool{},
		calls:   map[string]*callwin.CallWindow{},
		ringing: map[string]dialog.Dialog{},
		typing:  map[string]bool{},
		notify:  notify.New(a),
	}
	mw.add = addcontact.New(mw, b.Contacts)
	mw.groupDlg = groupdlg.New(mw, b.Groups, b.Me)
	mw.contactDlg = contactdlg.New(mw, b.Contacts)
	mw.archiveDlg = archivedlg.New(mw, b.Archive)
	mw.find = search.New(mw, b.Archive)
	mw.watchFocus()
	w.SetIcon(kit.AppIcon)
	split := container.NewHSplit(mw.buildSidebar(), mw.buildRight())
	split.Offset = 0.3
	w.SetContent(container.New(&capLayout{floor: minRemembered}, split))
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			if mw.modal == nil && mw.escape == nil && mw.chat.voice.Recording() {
				mw.chat.voice.Cancel() // Escape throws a voice note away
				return
			}
			mw.closeModal()
		}
	})
	w.SetOnDropped(mw.onDropped)
	mw.watchActivity()
	mw.addArchiveShortcuts() // archive.go: Ctrl+F searches every conversation
	mw.watchIdle()           // lock.go: Ctrl+L, lock after idle
	// Closing the main window hides it, or quits (ending the calls).
	mw.setupBackground(a) // background.go
	mw.refreshContacts()
	mw.refreshNearby()
	mw.RefreshGroups()
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
			cw.HangupOnly()
		}
		if mw.noticeTimer != nil {
			mw.noticeTimer.Stop()
		}
		mw.chat.voice.Shutdown()
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
func (mw *MainWindow) apply(ev event.Event) {
	switch e := ev.(type) {
	case event.ContactsChanged:
		mw.refreshContacts()
		mw.RefreshGroups() // unread counts of groups change with MarkRead too
	case event.GroupsChanged:
		mw.RefreshGroups()
	case event.RequestReceived:
		mw.refreshContacts()
	case event.NearbyChanged:
		mw.refreshNearby()
	case event.MessageAdded:
		if e.Message.Conversation == mw.selected {
			mw.chat.add(e.Message)
			if !e.Message.Outgoing && !e.Message.Read && mw.focused {
				mw.markRead(mw.selected)
			}
		}
		mw.notifyMessage(e.Message)
	case event.MessageStatusChanged:
		if e.Conversation == mw.selected {
			mw.chat.setStatus(e.ID, e.Status)
		}
	case event.IncomingCall:
		mw.ring(e)
	case event.CallConnected:
		if cw := mw.calls[e.CallID]; cw != nil {
			cw.Connected()
		}
	case event.CallEnded:
		if d, ok := mw.ringing[e.CallID]; ok {
			delete(mw.ringing, e.CallID)
			mw.HideModal(d)
			mw.ringingEnded(e) // missedcall.go
		}
		if cw := mw.calls[e.CallID]; cw != nil {
			cw.Ended(e.Reason)
			mw.callEndedNotice(cw, e) // callnotice.go
		} else {
			// A Busy or Decline can beat StartCall's return: the window
			// opened right after must end at once.
			mw.endedEarly[e.CallID] = e
		}
	case event.Notice:
		mw.ShowNotice(e.Text)
	case event.PairingSucceeded, event.PairingFailed:
		mw.add.PairingEvent(e)
	case event.PresenceChanged:
		mw.showMyPresence(e.Presence)
	case event.NearbyVisibilityChanged:
		mw.ShowNearbyWindow(e.Until)
	case event.TransferChanged:
		if e.Transfer.Conversation == mw.selected {
			mw.chat.setTransfer(e.Transfer)
		}
	case event.ComplianceChanged, event.ConversationPruned:
		mw.applyArchive(ev) // archive.go
	default:
		mw.applyConvo(ev)
	}
}

// Background runs fn off the UI goroutine and then done with its error on
// it. Network calls (requests, calls) go through here.
func (mw *MainWindow) Background(fn func() error, done func(error)) {
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
