package contactdlg

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"hearth/app/core/people"
	"hearth/app/ui/area"
)

// Host is what the contact dialogs need of the main window: its window,
// background work, the modal that Escape closes, notices, and the contact
// a peer ID names.
type Host interface {
	Window() fyne.Window
	Background(fn func() error, done func(error))
	ShowModal(d dialog.Dialog, onEscape func())
	HideModal(d dialog.Dialog)
	ShowNotice(text string)
	// ContactView finds a contact, a blocked person or a request.
	ContactView(peerID string) (people.ContactView, bool)
}

// Dialogs opens one main window's dialogs about a contact: Rename, Notes,
// Groups, Verify, and the confirmations before Block and Remove.
type Dialogs struct {
	Host
	contacts area.ContactsBackend
}

// New makes the contact dialogs for a main window.
func New(h Host, contacts area.ContactsBackend) *Dialogs {
	return &Dialogs{Host: h, contacts: contacts}
}
