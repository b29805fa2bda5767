// Package store keeps a profile's contacts, messages and settings. Store is
// the interface the rest of Hearth uses; OpenSQLite opens its
// implementation, an embedded SQLite file encrypted at rest and searchable
// with FTS5.
package store

import (
	"errors"
	"time"

	"hearth/contacts"
)

// ErrNotFound is returned when a contact, message or setting does not exist.
var ErrNotFound = errors.New("not found")

// Store is everything Hearth persists about one profile. Implementations
// are safe for concurrent use.
type Store interface {
	// Settings: small named values (display name, identity key, presence…).
	Setting(key string) ([]byte, error) // ErrNotFound when unset
	SetSetting(key string, value []byte) error

	// Contacts.
	Contacts() ([]contacts.Contact, error) // sorted by name
	Contact(peerID string) (contacts.Contact, error)
	PutContact(c contacts.Contact) error // insert or replace
	DeleteContact(peerID string) error

	// Invites: one-time secrets carried by invite codes.
	AddInvite(inv contacts.Invite) error
	// UseInvite marks the secret used and reports whether it was valid and
	// unused before the call. It is atomic: only one caller ever gets true.
	UseInvite(secret string) (bool, error)

	// Messages.
	// AddMessage stores m durably before it returns. It reports false (and
	// changes nothing) when a message with the same key (contacts.
	// MessageKey: conversation, author and ID) is already stored, which is
	// how duplicates are dropped; another author's message with the same ID
	// is a different message.
	AddMessage(m contacts.Message) (bool, error)
	// AddMessages stores ms in one transaction, durably before it returns,
	// and reports for each whether it was new (false for a key already
	// stored or repeated earlier in ms). On error nothing is stored. One
	// commit costs far more than one row, so a receiver that stores
	// whatever has arrived in one call before acknowledging it all is how
	// Hearth reaches its throughput target.
	AddMessages(ms []contacts.Message) ([]bool, error)
	// Messages returns the last limit messages of a conversation, oldest first.
	Messages(conversation string, limit int) ([]contacts.Message, error)
	// Outbox returns my oldest limit undelivered messages to peerID, oldest
	// first (limit <= 0: all of them).
	Outbox(peerID string, limit int) ([]contacts.Message, error)
	// SetStatus changes the status of my message messageID (peers'
	// messages are never touched, whatever their ID).
	SetStatus(messageID string, s contacts.Status) error
	// SetStatuses changes several of my messages' status in one
	// transaction; IDs that do not exist are skipped.
	SetStatuses(messageIDs []string, s contacts.Status) error
	MarkRead(conversation string) error
	Unread(conversation string) (int, error)
	// Search runs a full-text query over all message bodies, newest first.
	Search(query string, limit int) ([]contacts.Message, error)

	// File transfers.
	// PutTransfer inserts t, or replaces the transfer with the same ID
	// (keeping its place in the insertion order).
	PutTransfer(t contacts.Transfer) error
	Transfer(id string) (contacts.Transfer, error) // ErrNotFound when unknown
	// Transfers returns a conversation's transfers, oldest first (by
	// CreatedAt, then in the order they were first stored).
	Transfers(conversation string) ([]contacts.Transfer, error)
	// ActiveTransfers returns the transfers of every conversation that are
	// not finished (Offered, Transferring, Paused or Verifying), in the
	// same order as Transfers.
	ActiveTransfers() ([]contacts.Transfer, error)

	// Groups. A group's messages are stored as any other, under the
	// conversation contacts.GroupConversation(id); what a group adds is a
	// per-member delivery table, so that one stored message is owed to
	// each member until that member acknowledges it.
	PutGroup(g contacts.Group) error         // insert or replace
	Group(id string) (contacts.Group, error) // ErrNotFound when unknown
	Groups() ([]contacts.Group, error)       // by name (case-insensitively), then ID
	// AddGroupMessage stores my message m and one pending delivery of it to
	// each member in to, in one transaction, durably before it returns. It
	// reports false (and changes nothing) when m's ID is already stored.
	AddGroupMessage(m contacts.Message, to []string) (bool, error)
	// GroupOutbox returns my oldest limit messages still owed to member,
	// across all groups, oldest first (limit <= 0: all of them).
	GroupOutbox(member string, limit int) ([]contacts.Message, error)
	// DoneGroupDeliveries ends member's deliveries of the messages ids
	// (acknowledged or refused), in one transaction. A Pending message that
	// no member awaits any more becomes Delivered; those IDs are returned.
	DoneGroupDeliveries(member string, ids []string) ([]string, error)
	// DropGroupDeliveries ends every delivery of a conversation's messages
	// to member (removed from the group), like DoneGroupDeliveries.
	DropGroupDeliveries(conversation, member string) ([]string, error)
	// GroupDeliveryPeers lists, sorted, the members owed any message.
	GroupDeliveryPeers() ([]string, error)

	// Archive (retention and search results in context).
	// DeleteMessagesBefore deletes a conversation's messages stored before
	// cutoff (by ReceivedAt), search index entries included, except my
	// undelivered ones, and reports how many went.
	DeleteMessagesBefore(conversation string, cutoff time.Time) (int, error)
	// Vacuum compacts the storage so deleted messages leave no trace in it.
	Vacuum() error
	// MessagesAround returns message id with up to n messages before and n
	// after it in its conversation, oldest first (ErrNotFound when unknown).
	MessagesAround(conversation, id string, n int) ([]contacts.Message, error)

	// Conversation features: unread counts, edits, deletes, read receipts.
	// UnreadCounts returns, in one query, the number of unread received
	// messages of every conversation that has any.
	UnreadCounts() (map[string]int, error)
	// Message returns one message by ID, or ErrNotFound; of several with
	// that ID (a peer reused one), mine first, then the first stored.
	Message(id string) (contacts.Message, error)
	// MessageIn returns the message id of conversation written by from
	// ("" for any author, mine first), or ErrNotFound. Anything done on a
	// peer's word looks a message up this way.
	MessageIn(conversation, from, id string) (contacts.Message, error)
	// EditMessage replaces a message's body and sets Edited to at. An edit
	// of a deleted message, or one not newer than the message's last
	// change, changes nothing and reports false. When the message is mine
	// the change is queued for the peer (PendingUpdates) in the same
	// transaction. ErrNotFound for an unknown message.
	EditMessage(key contacts.MessageKey, body string, at time.Time) (bool, error)
	// DeleteMessage empties a message's body, removes its words from the
	// search index, marks it Deleted and sets Edited to at (if later);
	// mine are queued for the peer like edits. It reports false when the
	// message was deleted already. ErrNotFound for an unknown message.
	DeleteMessage(key contacts.MessageKey, at time.Time) (bool, error)
	// PendingUpdates returns my messages to peerID whose last edit or
	// delete the peer has not acknowledged, oldest first (limit <= 0: all).
	PendingUpdates(peerID string, limit int) ([]contacts.Message, error)
	// UpdateSent records that the peer has the change of my message id made
	// at `at`; a newer change stays pending.
	UpdateSent(id string, at time.Time) error
	// SetReaction sets who's reaction to message messageID of a
	// conversation ("" who: mine; "" emoji: none) if at is newer than
	// their last one, and reports whether it changed. Mine are queued for
	// the peer (PendingReactions). ErrNotFound for an unknown message.
	SetReaction(conversation, messageID, who, emoji string, at time.Time) (bool, error)
	// Reactions returns the reactions to these messages of a
	// conversation, oldest first.
	Reactions(conversation string, messageIDs []string) ([]contacts.Reaction, error)
	// PendingReactions returns my reactions to messages of a conversation
	// the peer has not acknowledged (removals included, Emoji "").
	PendingReactions(conversation string) ([]contacts.Reaction, error)
	// ReactionSent records that the peer has my reaction made at `at`.
	ReactionSent(conversation, messageID string, at time.Time) error
	// MarkReadUpTo marks Read my Delivered messages of a conversation
	// stored up to and including messageID (one of mine), and returns
	// their IDs. messageID itself is marked even when still Pending (its
	// ack was lost: the reader has it); earlier Pending ones are not (they
	// may not have arrived). An unknown messageID marks nothing.
	MarkReadUpTo(conversation, messageID string) ([]string, error)
	// QueueReadReceipt records that the peer should be told I have read
	// the conversation up to its newest received message, and returns that
	// message's ID; queued is false when there is nothing new to tell.
	QueueReadReceipt(conversation string) (messageID string, queued bool, err error)
	// PendingReadReceipt returns the queued receipt's message ID, or "".
	PendingReadReceipt(conversation string) (string, error)
	// ReadReceiptSent clears the queued receipt if it is still messageID.
	ReadReceiptSent(conversation, messageID string) error

	// Store-and-forward, carrier side: sealed envelopes kept for contacts.
	// AddEnvelopes stores es in one transaction, durably, and reports for
	// each whether it was new (false for an ID already held).
	AddEnvelopes(es []contacts.Envelope) ([]bool, error)
	// Envelopes returns up to limit envelopes held for recipient that
	// expire after now, oldest first (limit <= 0: all of them).
	Envelopes(recipient string, now time.Time, limit int) ([]contacts.Envelope, error)
	// DeleteEnvelopes removes envelopes by ID; unknown IDs are skipped.
	DeleteEnvelopes(ids []string) error
	// DropExpiredEnvelopes deletes every envelope that expires at or
	// before now and reports how many there were.
	DropExpiredEnvelopes(now time.Time) (int, error)
	// CarryUsage counts the envelopes (and their bytes) held for one
	// depositor and in all.
	CarryUsage(depositor string) (contacts.CarryUsage, error)
	// Store-and-forward, sender side. MarkDeposited records that carrier
	// holds my messages; Undeposited returns my undelivered messages to
	// peerID, oldest first, that carrier has not been given since since.
	MarkDeposited(carrier string, messageIDs []string, at time.Time) error
	Undeposited(peerID, carrier string, since time.Time, limit int) ([]contacts.Message, error)
	// UndepositedGroup returns my group messages still owed to member that
	// have no deposit record under key newer than since, oldest first. The
	// key is the caller's (core: carrier and member), since one group
	// message goes to many members through one carrier.
	UndepositedGroup(member, key string, since time.Time, limit int) ([]contacts.Message, error)
	// UndepositedTransfers returns my files offered in conversation (a
	// contact's peer ID, or a group's "g:" conversation) that are not
	// finished (Offered or Transferring, not Paused), of at most maxSize
	// bytes, with no deposit record under key newer than since, oldest
	// first. Deposits of files share MarkDeposited with messages.
	UndepositedTransfers(peerID, key string, since time.Time, maxSize int64, limit int) ([]contacts.Transfer, error)

	Close() error
}
