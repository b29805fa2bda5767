package addcontact

import (
	"fyne.io/fyne/v2"

	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// Host is what the add-contact screen needs of the main window: its window
// and clipboard, background work, the modal that Escape closes, notices,
// and the main window's own actions it leads to.
type Host interface {
	kit.Window
	Clipboard() fyne.Clipboard
	// PairNearby makes this device visible to people on the same network
	// (the sidebar's "Pair nearby").
	PairNearby()
	// ExpectContact tells the main window that someone is being added:
	// the next person who becomes a contact is them, and their
	// conversation opens.
	ExpectContact()
	// Added is called on the UI goroutine when the screen added someone
	// (peerID may be "" when it is not known yet): the main window opens
	// the conversation.
	Added(peerID, name string)
}

// Dialogs opens one main window's add-contact screen. It remembers the
// open one, which the core's pairing and contact events update.
type Dialogs struct {
	Host
	contacts area.ContactsBackend
	Open     *Screen // the open add-contact screen, nil when none is
}

// New makes the add-contact dialogs for a main window.
func New(h Host, contacts area.ContactsBackend) *Dialogs {
	return &Dialogs{Host: h, contacts: contacts}
}
