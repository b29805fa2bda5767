package addcontact

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"hearth/app/ui/area"
)

// Host is what the add-contact dialogs need of the main window: its
// window and clipboard, background work, the modal that Escape closes, and
// notices.
type Host interface {
	Window() fyne.Window
	Clipboard() fyne.Clipboard
	Background(fn func() error, done func(error))
	ShowModal(d dialog.Dialog, onEscape func())
	HideModal(d dialog.Dialog)
	ShowNotice(text string)
}

// Dialogs opens one main window's add-contact dialogs: by invite code or
// link, by a QR picture, by a short spoken code. It remembers the open
// short-code dialog, which the core's pairing events update.
type Dialogs struct {
	Host
	contacts  area.ContactsBackend
	ShortCode *shortCodeDialog // the open short-code dialog (shortcode.go)
}

// New makes the add-contact dialogs for a main window.
func New(h Host, contacts area.ContactsBackend) *Dialogs {
	return &Dialogs{Host: h, contacts: contacts}
}
