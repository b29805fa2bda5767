package area

import (
	"hearth/app/core/event"
)

// Launcher opens or creates the profile before the main window exists.
// main.go fills it with app/core; view tests fill it with a fake.
type Launcher interface {
	// Exists reports whether the profile folder already holds a profile,
	// and whether opening it needs a passphrase.
	Exists() (exists, needsPassphrase bool, err error)
	// Create makes a new profile (first run). An empty passphrase is allowed.
	Create(name, passphrase string) (*Backend, error)
	// Unlock opens an existing profile. A wrong passphrase returns an error
	// for which core.IsWrongPassphrase is true; the user may try again.
	Unlock(passphrase string) (*Backend, error)
	// CheckPassphrase reports whether passphrase is the open profile's,
	// without opening it again (the lock screen); a wrong one gives an
	// error for which core.IsWrongPassphrase is true.
	CheckPassphrase(passphrase string) error
}

// Backend is what the windows need from the running messenger, one
// interface per area of the app (package area). The main window holds the
// whole bundle; every view, dialog and widget it builds gets only the
// area (or the narrower interface within an area) it uses.
//
// Every field must be set. Each is an independent object as far as the UI
// is concerned: no interface assumes that another field is the same value.
// main.go (backendOf) fills each with the core mechanism(s) serving the
// area (app/core/people, chat, transfers, ...).
type Backend struct {
	Contacts ContactsBackend // the list, requests, invites, pairing, management, verification
	Chat     ChatBackend     // 1:1 messages: history, send, reply, edit, delete, typing, read, mute
	Files    FilesBackend    // transfers, voice notes, download folder, auto-accept
	Groups   GroupsBackend   // group conversations and one message to several
	Calls    CallsBackend    // video calls
	Archive  ArchiveBackend  // search, export, retention, compliance
	Me       MeBackend       // my name, picture, presence, away, nearby, carrying, receipts

	// Events is read by one goroutine per main window for as long as it is
	// open; every area's changes come through it.
	Events func() <-chan event.Event
	// Close closes the profile; the main window calls it once, last.
	Close func() error
}
