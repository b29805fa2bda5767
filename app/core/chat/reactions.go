package chat

import (
	"errors"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/contacts/store"
	"hearth/p2p/wire"
)

// Reactions: one emoji per person per message of a 1:1 conversation,
// sent on /hearth/convo like edits (UpdateReact) and ordered the same way:
// the newest change by its author's clock wins.

// React sets my reaction to message messageID of my conversation with a
// contact ("" takes it back), here and, now or when it is next reachable,
// on the contact's side.
func (c *Chat) React(conversation, messageID, emoji string) error {
	emoji = strings.TrimSpace(emoji)
	if len(emoji) > wire.MaxReaction {
		return ErrReactionTooLong
	}
	if _, group := contacts.GroupID(conversation); group {
		return base.ErrUnknownMessage
	}
	msg, err := c.d.Store.MessageIn(conversation, "", messageID)
	if err != nil {
		return base.ErrUnknownMessage
	}
	id, err := peer.Decode(msg.Conversation)
	if err != nil || !c.d.Book.IsAccepted(id) {
		return book.ErrNotContact
	}
	// Whole milliseconds: what the wire carries and the acknowledgement
	// compares.
	at := time.UnixMilli(time.Now().UnixMilli())
	if _, err := c.d.Store.SetReaction(msg.Conversation, messageID, "", emoji, at); err != nil {
		return err
	}
	c.d.Publish(event.ReactionChanged{Conversation: msg.Conversation, MessageID: messageID})
	c.RequestUpdates(id)
	return nil
}

// Reactions returns the reactions to these messages of a conversation,
// oldest first; From is "" for mine.
func (c *Chat) Reactions(conversation string, messageIDs []string) ([]contacts.Reaction, error) {
	return c.d.Store.Reactions(conversation, messageIDs)
}

// onReaction applies a contact's reaction to a message of our
// conversation. A message I do not have (deleted by retention) takes
// nothing; a message of another conversation is refused.
func (c *Chat) onReaction(conv string, u wire.ChatUpdate) bool {
	// Looked up in our conversation only: an ID alone may be another
	// conversation's message.
	_, err := c.d.Store.MessageIn(conv, "", u.Target)
	if errors.Is(err, store.ErrNotFound) {
		return true
	}
	if err != nil {
		return false
	}
	changed, err := c.d.Store.SetReaction(conv, u.Target, conv, u.Body, time.UnixMilli(u.At))
	if err != nil {
		return false
	}
	if changed {
		c.d.Publish(event.ReactionChanged{Conversation: conv, MessageID: u.Target})
	}
	return true
}

// flushReactions sends my reactions the contact does not have yet. One to
// a message of mine still in the outbox waits for the message. A reaction
// changed while it was being sent stays pending and goes in the next pass.
func (c *Chat) flushReactions(id peer.ID, send func(wire.ChatUpdate) error) {
	conv := id.String()
	for pass := 0; pass < 3 && c.d.Ctx().Err() == nil; pass++ {
		rs, err := c.d.Store.PendingReactions(conv)
		if err != nil {
			return
		}
		sent := 0
		for _, r := range rs {
			if msg, err := c.d.Store.MessageIn(conv, "", r.MessageID); err != nil || (msg.Outgoing && msg.Status == contacts.Pending) {
				continue
			}
			if send(wire.ChatUpdate{Kind: wire.UpdateReact, Target: r.MessageID, Body: r.Emoji, At: r.At.UnixMilli()}) != nil {
				return
			}
			c.d.Store.ReactionSent(conv, r.MessageID, r.At)
			sent++
		}
		if sent == 0 {
			return
		}
	}
}
