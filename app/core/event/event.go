// Package event holds what the core tells the UI: one typed value per
// change, delivered in order on one channel (Bus). Every mechanism of the
// core publishes here; the UI reads on one goroutine and updates widgets
// there. It imports nothing of Hearth but the plain contact types.
package event

import (
	"time"

	"hearth/contacts"
)

// Event is anything the core tells the UI.
type Event interface{ isEvent() }

// ContactsChanged: the contact list (names, states, presence or unread
// counts) changed; re-read the contacts.
type ContactsChanged struct{}

// MessageAdded: a message was stored, sent by me or received.
type MessageAdded struct{ Message contacts.Message }

// MessageStatusChanged: one of my messages changed delivery state.
type MessageStatusChanged struct {
	ID, Conversation string
	Status           contacts.Status
}

// MessageChanged: a message was edited or deleted (by me, or by its author
// on the other side); the Message is as now stored.
type MessageChanged struct{ Message contacts.Message }

// ReactionChanged: someone's reaction to a message changed (mine or the
// contact's).
type ReactionChanged struct{ Conversation, MessageID string }

// TypingChanged: a contact started or stopped typing to me.
type TypingChanged struct {
	PeerID string
	Typing bool
}

// RequestReceived: someone asked to become my contact.
type RequestReceived struct{ Contact contacts.Contact }

// NearbyChanged: the list of Hearth users found on the LAN changed.
type NearbyChanged struct{}

// NearbyVisibilityChanged: this device's nearby visibility changed; Until
// is when a pairing window ends (zero: not visible).
type NearbyVisibilityChanged struct{ Until time.Time }

// PairingSucceeded: someone paired with the short code I showed.
type PairingSucceeded struct {
	Code, PeerID, Name string
}

// PairingFailed: the code I showed is spent or gone without a pairing.
// Reason is for people ("The code did not match…", "The code expired…").
type PairingFailed struct {
	Code, Reason string
	Err          error
}

// PresenceChanged: my own presence changed without my choosing it (the
// idle timer set Away, or activity brought me back).
type PresenceChanged struct {
	Presence contacts.Presence
	Auto     bool // set by the idle timer
}

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

// GroupsChanged: a group was created, renamed, changed members, was left,
// or its unread count changed; re-read the groups.
type GroupsChanged struct{}

// ComplianceChanged: a conversation's "archived for compliance" flag
// changed, here or on the contact's side.
type ComplianceChanged struct {
	PeerID string
	On     bool
}

// ConversationPruned: retention deleted old messages of a conversation.
type ConversationPruned struct {
	PeerID  string
	Deleted int
}

// Notice: something the user should read (a fallback, an error from the
// network). It is not a failure of the app.
type Notice struct {
	Text string
	At   time.Time
}

func (ContactsChanged) isEvent()         {}
func (MessageAdded) isEvent()            {}
func (MessageStatusChanged) isEvent()    {}
func (MessageChanged) isEvent()          {}
func (TypingChanged) isEvent()           {}
func (RequestReceived) isEvent()         {}
func (NearbyChanged) isEvent()           {}
func (NearbyVisibilityChanged) isEvent() {}
func (PairingSucceeded) isEvent()        {}
func (PairingFailed) isEvent()           {}
func (PresenceChanged) isEvent()         {}
func (IncomingCall) isEvent()            {}
func (CallEnded) isEvent()               {}
func (CallConnected) isEvent()           {}
func (TransferChanged) isEvent()         {}
func (GroupsChanged) isEvent()           {}
func (ComplianceChanged) isEvent()       {}
func (ConversationPruned) isEvent()      {}
func (Notice) isEvent()                  {}
func (ReactionChanged) isEvent()         {}
