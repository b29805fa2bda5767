//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"

	"hearth/app/ui/notify"
)

// trayHost reports whether the desktop shows tray icons: a
// StatusNotifierWatcher (KDE, Xfce, GNOME with the AppIndicator
// extension …) owns its name on the session bus. Without D-Bus, or with
// no watcher, Hearth shows no tray icon instead of registering one nobody
// displays; closing the window then still hides it, and starting Hearth
// again brings it back.
func trayHost() bool {
	if !notify.Available() {
		return false
	}
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return false
	}
	defer conn.Close()
	if conn.Auth(nil) != nil || conn.Hello() != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
