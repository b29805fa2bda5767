package ui

import (
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// notifyEvery is the shortest gap between two notifications for one
// conversation: a burst (a contact's backlog arriving) gives one.
const notifyEvery = 5 * time.Second

// notifier sends desktop notifications for new messages while the window
// is not focused, except for muted conversations and while I am Busy.
type notifier struct {
	send func(*fyne.Notification)
	// available reports, once, whether notifications can be shown: on
	// Linux and the BSDs they need a D-Bus session, and without one Fyne
	// logs an error for every notification.
	available func() bool
	now       func() time.Time
	last      map[string]time.Time // conversation → last notification
}

func newNotifier(a fyne.App) *notifier {
	return &notifier{
		send:      a.SendNotification,
		available: sync.OnceValue(notificationsAvailable),
		now:       time.Now,
		last:      map[string]time.Time{},
	}
}

// notificationsAvailable looks for the D-Bus session bus the way godbus
// does (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus) and checks
// that a unix socket there answers. Other systems need no D-Bus.
func notificationsAvailable() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
	default:
		return true
	}
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		dir := os.Getenv("XDG_RUNTIME_DIR")
		if dir == "" {
			return false
		}
		addr = "unix:path=" + filepath.Join(dir, "bus")
	}
	for _, a := range strings.Split(addr, ";") {
		kind, params, _ := strings.Cut(a, ":")
		if kind != "unix" {
			return kind != "" // tcp and others: let Fyne try
		}
		for _, p := range strings.Split(params, ",") {
			k, v, _ := strings.Cut(p, "=")
			var sock string
			switch k {
			case "path":
				sock = v
			case "abstract":
				sock = "@" + v
			default:
				continue
			}
			c, err := net.DialTimeout("unix", sock, time.Second)
			if err == nil {
				c.Close()
				return true
			}
		}
	}
	return false
}

// notifyMessage notifies of a message from a contact when it should.
func (mw *MainWindow) notifyMessage(m contacts.Message) {
	n := mw.notify
	if m.Outgoing || mw.focused || n == nil {
		return
	}
	c := mw.contact(m.Conversation)
	if c == nil || c.Muted {
		return
	}
	if p, _ := mw.b.Me.Presence(); p == contacts.Busy {
		return // do not disturb
	}
	now := n.now()
	if last, ok := n.last[m.Conversation]; ok && now.Sub(last) < notifyEvery {
		return
	}
	if !n.available() {
		return
	}
	n.last[m.Conversation] = now
	n.send(fyne.NewNotification(kit.DisplayName(c.Name, c.PeerID), snippet(m, 120)))
}

// watchFocus follows whether the app has the keyboard focus: messages are
// read (and receipts sent) only while it has, and notifications come only
// while it has not.
func (mw *MainWindow) watchFocus() {
	mw.focused = true
	lc := mw.app.Lifecycle()
	// Fyne keeps one hook each: coming to the front is also activity
	// for auto-away (presenceui.go).
	lc.SetOnEnteredForeground(func() {
		mw.do(func() {
			mw.setFocused(true)
			mw.activity()
		})
	})
	lc.SetOnExitedForeground(func() { mw.do(func() { mw.setFocused(false) }) })
}

func (mw *MainWindow) setFocused(on bool) {
	mw.focused = on
	if !on || mw.selected == "" {
		return
	}
	if c := mw.contact(mw.selected); c != nil && c.Unread > 0 {
		mw.markRead(mw.selected)
	}
}

// applyConvo handles the conversation features' events.
func (mw *MainWindow) applyConvo(ev event.Event) {
	switch e := ev.(type) {
	case event.MessageChanged:
		if e.Message.Conversation == mw.selected {
			mw.chat.update(e.Message)
		}
	case event.TypingChanged:
		if e.Typing {
			mw.typing[e.PeerID] = true
		} else {
			delete(mw.typing, e.PeerID)
		}
		if e.PeerID == mw.selected {
			mw.chat.setTyping(e.Typing)
		}
	}
}
