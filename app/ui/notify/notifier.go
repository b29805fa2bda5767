package notify

import (
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// Every is the shortest gap between two notifications for one
// conversation: a burst (a contact's backlog arriving) gives one.
const Every = 5 * time.Second

// Notifier sends desktop notifications for new messages while the window
// is not focused, except for muted conversations and while I am Busy.
type Notifier struct {
	Send func(*fyne.Notification)
	// Available reports, once, whether notifications can be shown: on
	// Linux and the BSDs they need a D-Bus session, and without one Fyne
	// logs an error for every notification.
	Available func() bool
	Now       func() time.Time
	Last      map[string]time.Time // conversation → last notification
}

// New makes the notifier of app a.
func New(a fyne.App) *Notifier {
	return &Notifier{
		Send:      a.SendNotification,
		Available: sync.OnceValue(Available),
		Now:       time.Now,
		Last:      map[string]time.Time{},
	}
}

// Available looks for the D-Bus session bus the way godbus
// does (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus) and checks
// that a unix socket there answers. Other systems need no D-Bus.
func Available() bool {
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
