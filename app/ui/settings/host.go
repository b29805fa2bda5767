package settings

import (
	"time"

	"hearth/app/ui/kit"
)

// Host is what the settings dialog needs of the main window: its window,
// background work, the modal that Escape closes, notices, and the
// sidebar's "visible until" line after the nearby choice changes.
type Host interface {
	kit.Window
	ShowNearbyWindow(until time.Time)
	// The lock section (lock.go): whether the profile can be locked (it
	// has a passphrase), lock now, log out.
	CanLock() bool
	Lock()
	LogOut()
}
