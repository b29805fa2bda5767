package addcontact

import (
	"fyne.io/fyne/v2"

	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// Host is what the add-contact dialogs need of the main window: its
// window and clipboard, background work, the modal that Escape closes, and
// notices.
type Host interface {
	kit.Window
	Clipboard() fyne.Clipboard
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
