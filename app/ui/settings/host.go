package settings

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// Host is what the settings dialog needs of the main window: its window,
// background work, the modal that Escape closes, notices, and the
// sidebar's "visible until" line after the nearby choice changes.
type Host interface {
	Window() fyne.Window
	Background(fn func() error, done func(error))
	ShowModal(d dialog.Dialog, onEscape func())
	HideModal(d dialog.Dialog)
	ShowNotice(text string)
	ShowNearbyWindow(until time.Time)
}
