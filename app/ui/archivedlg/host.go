package archivedlg

import (
	"fyne.io/fyne/v2"

	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// Host is what the archive dialogs need of the main window: its window,
// background work and the UI goroutine, the modal that Escape closes,
// notices, and how it names a conversation's peer.
type Host interface {
	kit.Window
	// Do runs f on the UI goroutine.
	Do(f func())
	PeerName(peer string) string
	// Selected is the open conversation; ShowSearch opens the search
	// panel (the Archive menu's first item).
	Selected() string
	ShowSearch()
}

// Dialogs opens one main window's archive dialogs: export or print a
// conversation, and how long its messages are kept.
type Dialogs struct {
	Host
	arch area.ArchiveBackend
	bar  *fyne.Container // the compliance banner over the conversation
}

// New makes the archive dialogs for a main window.
func New(h Host, arch area.ArchiveBackend) *Dialogs {
	return &Dialogs{Host: h, arch: arch}
}
