package transfer

import (
	"image"
	"time"

	"hearth/app/core/groups"
	"hearth/app/ui/area"
)

// Conversation is what a transfer row needs of the chat it sits in: the
// Files area for its buttons, background work and notices, the clock for
// speeds, the thumbnail and voice-note caches, playback, and names.
type Conversation interface {
	Files() area.FilesBackend
	Background(fn func() error, done func(error))
	ShowNotice(text string)
	// OpenPath opens a file or folder with the desktop's default application.
	OpenPath(path string)
	Now() time.Time
	// Thumb is a decoded thumbnail; LoadThumb decodes one off the UI
	// goroutine and shows it in the transfer's row.
	Thumb(id string) (image.Image, bool)
	LoadThumb(id, path string)
	// Duration is a voice note's length (0 while unknown; false when not
	// asked yet); LoadDuration reads it off the UI goroutine.
	Duration(id string) (time.Duration, bool)
	LoadDuration(r *Row)
	// Playing is the ID of the voice note playing; TogglePlay starts or
	// stops r's.
	Playing() string
	TogglePlay(r *Row)
	// PeerName is the 1:1 contact's name; Author names a group member.
	PeerName() string
	Author(peerID string) string
	// SelectedGroup is the open group, nil in a 1:1 chat.
	SelectedGroup() *groups.GroupView
}
