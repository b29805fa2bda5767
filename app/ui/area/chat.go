package area

import "hearth/contacts"

// ChatBackend is a 1:1 conversation: its history, sending, replies, edit
// and delete for everyone (my messages only), typing (throttled by the
// backend), read state and mute. The chat pane uses it.
type ChatBackend interface {
	History(peerID string, limit int) ([]contacts.Message, error)
	Send(peerID, text string) (contacts.Message, error)
	Reply(peerID, replyTo, text string) (contacts.Message, error)
	Edit(messageID, text string) (contacts.Message, error)
	Delete(messageID string) error
	// Message returns one stored message (a reply's original).
	Message(id string) (contacts.Message, error)
	Typing(peerID string)
	// MarkRead takes a contact's peer ID or a group's conversation name
	// (contacts.GroupConversation).
	MarkRead(peerID string) error
	SetMuted(peerID string, muted bool) error
	// React sets my reaction to a message of a conversation ("" takes it
	// back); Reactions returns the reactions to these messages of a
	// conversation (From "" is mine).
	React(conversation, messageID, emoji string) error
	Reactions(conversation string, messageIDs []string) ([]contacts.Reaction, error)
}
