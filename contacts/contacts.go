// Package contacts holds Hearth's plain data types: contacts, contact
// requests, messages and presence. It depends on the standard library only,
// so every other layer can share these types without importing each other.
package contacts

import "time"

// Presence is what a person shows to their accepted contacts.
type Presence int

const (
	Offline Presence = iota
	Online
	Away
	Busy
	// Invisible is only ever a local setting: an invisible person sends no
	// presence at all and is shown to everyone else as Offline.
	Invisible
)

func (p Presence) String() string {
	switch p {
	case Online:
		return "Online"
	case Away:
		return "Away"
	case Busy:
		return "Busy"
	case Invisible:
		return "Invisible"
	default:
		return "Offline"
	}
}

// State is where a contact stands in the consent flow.
type State int

const (
	// Outgoing: I sent a request and wait for the other side to accept.
	Outgoing State = iota
	// Incoming: they asked; I have not answered yet.
	Incoming
	// Accepted: both sides agreed; only accepted contacts reach chat,
	// presence and calls.
	Accepted
	// Blocked: silently ignored.
	Blocked
)

func (s State) String() string {
	switch s {
	case Outgoing:
		return "Request sent"
	case Incoming:
		return "Wants to connect"
	case Accepted:
		return "Contact"
	case Blocked:
		return "Blocked"
	default:
		return "Unknown"
	}
}

// Contact is a person I know, identified by their libp2p peer ID (the
// base58 string form).
type Contact struct {
	PeerID  string
	Name    string   // display name they chose, or the one I gave them
	Notes   string   // my private notes about them
	Addrs   []string // last known multiaddrs, as strings
	State   State
	Message string // the note that came with their request, if any
	AddedAt time.Time
	// Labels are my groups for them ("Family", "Team" …): sorted, no
	// duplicates. (Named labels so as not to clash with group chats.)
	Labels []string
	// Verified: I compared our safety code with them.
	Verified bool
	// BlockedFrom is the state a Blocked contact had before I blocked it;
	// Unblock goes back to it.
	BlockedFrom State
}

// Status is the delivery state of a message.
type Status int

const (
	// Pending: stored in my outbox, not yet acknowledged by the recipient.
	Pending Status = iota
	// Delivered: the recipient stored it and acknowledged.
	Delivered
	// Received: a message that came to me.
	Received
	// Read: the recipient saw it and sent a read receipt.
	Read
)

func (s Status) String() string {
	switch s {
	case Pending:
		return "Pending"
	case Delivered:
		return "Delivered"
	case Received:
		return "Received"
	case Read:
		return "Read"
	default:
		return "Unknown"
	}
}

// Message is one chat message in a one-to-one conversation. A
// conversation is named by the peer ID of the other person.
type Message struct {
	ID           string // chosen by the author; unique only with Conversation and From (see MessageKey)
	Conversation string // peer ID of the other person
	From         string // peer ID of the author
	Body         string
	SentAt       time.Time // the sender's clock
	ReceivedAt   time.Time // my clock when it was stored (for sorting received messages)
	Status       Status
	Outgoing     bool
	Read         bool
	// ReplyTo is the ID of the message this one answers; empty for none.
	ReplyTo string
	// Edited is when the author last changed the message (an edit or a
	// delete), by the author's clock; zero when never.
	Edited time.Time
	// Deleted: the author deleted it for everyone; Body is empty.
	Deleted bool
}

// MessageKey is a message's identity: its ID within its conversation and
// author. An ID alone names nothing for sure, since any peer may reuse
// an ID it has seen; one author's message can never stand for another's.
type MessageKey struct {
	Conversation, From, ID string
}

// Key returns m's identity.
func (m Message) Key() MessageKey {
	return MessageKey{Conversation: m.Conversation, From: m.From, ID: m.ID}
}

// Invite is a one-time secret I handed out inside an invite code.
type Invite struct {
	Secret    string
	CreatedAt time.Time
	Used      bool
}

// Reaction is one person's emoji under a message: at most one per person
// per message; the newest change wins.
type Reaction struct {
	MessageID string
	From      string // peer ID of who reacted; "" is me
	Emoji     string
	At        time.Time // when it was set, by the reacting person's clock
}
