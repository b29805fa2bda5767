package core

import (
	"image"
	"time"

	"hearth/contacts"
)

// Event is anything the core tells the UI. The UI reads events from
// Messenger.Events on one goroutine and updates widgets there.
type Event interface{ isEvent() }

// ContactsChanged: the contact list (names, states, presence or unread
// counts) changed; re-read Messenger.Contacts.
type ContactsChanged struct{}

// MessageAdded: a message was stored, sent by me or received.
type MessageAdded struct{ Message contacts.Message }

// MessageStatusChanged: one of my messages changed delivery state.
type MessageStatusChanged struct {
	ID, Conversation string
	Status           contacts.Status
}

// RequestReceived: someone asked to become my contact.
type RequestReceived struct{ Contact contacts.Contact }

// NearbyChanged: the list of Hearth users found on the LAN changed.
type NearbyChanged struct{}

// IncomingCall: a contact is calling; answer with AcceptCall or DeclineCall.
type IncomingCall struct {
	CallID, PeerID, Name string
}

// CallEnded: a call finished (hung up, declined, failed). Reason is for
// people ("Declined", "Busy", "Connection lost" …). ByMe is set when this
// side hung up, so the UI need not explain the end to the one who chose it.
type CallEnded struct {
	CallID, Reason string
	ByMe           bool
}

// CallConnected: media is flowing both ways.
type CallConnected struct{ CallID string }

// TransferChanged: a file transfer was offered, moved on (at most a few
// times a second while bytes flow), or ended.
type TransferChanged struct{ Transfer contacts.Transfer }

// Notice: something the user should read (a fallback, an error from the
// network). It is not a failure of the app.
type Notice struct {
	Text string
	At   time.Time
}

func (ContactsChanged) isEvent()      {}
func (MessageAdded) isEvent()         {}
func (MessageStatusChanged) isEvent() {}
func (RequestReceived) isEvent()      {}
func (NearbyChanged) isEvent()        {}
func (IncomingCall) isEvent()         {}
func (CallEnded) isEvent()            {}
func (CallConnected) isEvent()        {}
func (Notice) isEvent()               {}
func (TransferChanged) isEvent()      {}

// ContactView is a contact as the contact list shows it.
type ContactView struct {
	contacts.Contact
	Presence   contacts.Presence
	StatusText string
	Unread     int
	// Warning is set on a contact or request that is not verified but
	// uses the name of one that is (a different key: someone else).
	Warning string
	Avatar  image.Image // nil: none, show initials
	Muted   bool        // no notifications for this conversation
}

// NearbyPeer is a Hearth user found on the LAN who is not yet a contact.
type NearbyPeer struct {
	PeerID string
	Name   string // empty when they did not tell

	seen time.Time // last announcement heard
}

// Call is one running call as the call window drives it.
type Call interface {
	ID() string
	PeerID() string
	// MediaNotice says what stands in for a missing device, e.g.
	// "No camera found: sending a synthetic test picture". Empty when real
	// devices are in use.
	MediaNotice() string
	// SetVideoSinks registers where decoded remote frames and local preview
	// frames go. The functions are called from media goroutines.
	SetVideoSinks(remote, local func(image.Image))
	SetMuted(bool)
	SetCameraOff(bool)
	Hangup()
}

// Recorder is a voice note being recorded.
type Recorder interface {
	// Elapsed is how long it has been recording.
	Elapsed() time.Duration
	// Notice is non-empty when a synthetic tone stands in for a missing
	// microphone.
	Notice() string
	// Stop ends the recording and sends it as a voice note.
	Stop() (contacts.Transfer, error)
	// Cancel ends the recording and throws it away.
	Cancel()
}

// PolicyView is the team's file policy as the settings show it.
type PolicyView struct {
	// Installed is true when a policy file fixes these values; the
	// settings then show them read-only.
	Installed        bool
	Source           string // the policy file, when Installed
	TransfersOff     bool
	MaxSize          int64    // bytes; 0 means no limit
	AllowedKinds     []string // extensions or MIME types; empty means any
	BlockedKinds     []string
	AutoAcceptBelow  int64 // bytes; files from contacts below this are accepted without asking
	AutoAcceptFixed  bool  // the policy sets AutoAcceptBelow: the user cannot change it
	ScannerAvailable bool  // a ClamAV daemon answered, or one is configured
	// ScannerAddr is that daemon's address ("unix:/path", "tcp:host:port").
	ScannerAddr string
}
