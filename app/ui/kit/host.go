package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// Window is what every dialog package needs of the main window: the
// window itself, work off the UI goroutine, the one modal that Escape
// closes, and notices. Each package's Host embeds it and adds what only
// that package calls.
type Window interface {
	Window() fyne.Window
	// Background runs fn off the UI goroutine, then done on it.
	Background(fn func() error, done func(error))
	ShowModal(d dialog.Dialog, onEscape func())
	HideModal(d dialog.Dialog)
	ShowNotice(text string)
}
