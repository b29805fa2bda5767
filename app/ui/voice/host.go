package voice

import (
	"time"

	"fyne.io/fyne/v2"

	"hearth/app/ui/area"
	"hearth/app/ui/transfer"
	"hearth/contacts"
)

// Host is what the voice notes need from the conversation pane.
type Host interface {
	Files() area.FilesBackend
	Background(fn func() error, done func(error))
	ShowNotice(text string)
	// Do runs f on the UI goroutine; Go runs f on a goroutine the window
	// waits for as it closes, stop closing when it does.
	Do(f func())
	Go(f func(stop <-chan struct{}))
	Canvas() fyne.Canvas
	Now() time.Time
	// Peer is the conversation on screen; OnScreen says whether peer's
	// still is.
	Peer() string
	OnScreen(peer string) bool
	PeerName() string
	// AddTransfer shows a sent note in the conversation; Row is a
	// transfer's row on screen, nil when none; Duration a note's length
	// (0 while unknown).
	AddTransfer(t contacts.Transfer)
	Row(id string) *transfer.Row
	Duration(id string) (time.Duration, bool)
}
