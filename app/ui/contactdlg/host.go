package contactdlg

import (
	"hearth/app/core/people"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// Host is what the contact dialogs need of the main window: its window,
// background work, the modal that Escape closes, notices, and the contact
// a peer ID names.
type Host interface {
	kit.Window
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
