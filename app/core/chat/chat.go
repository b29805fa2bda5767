// Package chat is one-to-one conversation: a durable outbox per contact
// (stored before Send returns, sent in order, marked delivered only on the
// peer's ack of having stored it), delivery of what arrives (deduped by
// message ID), and the conversation features on top: replies, edits and
// deletes for everyone, read receipts, typing, and muting.
package chat

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/wire"
)

// ToWire is what an outbox message sends: directly (Flush) and inside a
// carried envelope alike, so the recipient stores the same message
// whichever way it came.
func ToWire(msg contacts.Message) wire.ChatMessage {
	return wire.ChatMessage{ID: msg.ID, Body: msg.Body, SentAt: msg.SentAt.UnixMilli(), ReplyTo: msg.ReplyTo}
}

// Send stores a message in the outbox and delivers it now if the contact
// is online, later if not. The returned message is Pending until the
// contact acknowledges having stored it.
func (c *Chat) Send(peerID, text string) (contacts.Message, error) {
	return c.send(peerID, text, "")
}

// send is Send with an optional message being answered.
func (c *Chat) send(peerID, text, replyTo string) (contacts.Message, error) {
	id, err := peer.Decode(peerID)
	if err != nil {
		return contacts.Message{}, book.ErrUnknownPeer
	}
	text, err = base.CheckText(text)
	if err != nil {
		return contacts.Message{}, err
	}
	if !c.d.Book.IsAccepted(id) {
		return contacts.Message{}, book.ErrNotContact
	}
	now := time.Now()
	msg := contacts.Message{
		ID:           base.NewID(),
		Conversation: peerID,
		From:         c.d.Self.String(),
		Body:         text,
		SentAt:       now,
		ReceivedAt:   now,
		Status:       contacts.Pending,
		Outgoing:     true,
		Read:         true,
		ReplyTo:      replyTo,
	}
	if _, err := c.d.Store.AddMessage(msg); err != nil {
		return contacts.Message{}, fmt.Errorf("saving message: %w", err)
	}
	c.d.Publish(event.MessageAdded{Message: msg})
	if c.d.Connected(id) {
		c.RequestFlush(id)
	} else {
		c.d.Wake()
	}
	return msg, nil
}

// RequestFlush flushes a contact's outbox in the background. A burst of
// sends queues one flush, not one goroutine per message: a queued flush
// reads the outbox only once it runs, so it takes all of them.
func (c *Chat) RequestFlush(id peer.ID) {
	c.flushes.Request(c.d.Tasks, id, func() { c.flushNow(id) })
}

// Flush sends the outbox to one contact, oldest first, and marks what was
// acknowledged. Only one flush per contact runs at a time, so messages
// leave in order.
func (c *Chat) Flush(id peer.ID) { c.flushes.Do(id, func() { c.flushNow(id) }) }

func (c *Chat) flushNow(id peer.ID) {
	for c.d.Ctx().Err() == nil && c.d.Book.IsAccepted(id) {
		const batch = 256
		out, err := c.d.Store.Outbox(id.String(), batch)
		if err != nil || len(out) == 0 {
			return
		}
		msgs := make([]wire.ChatMessage, len(out))
		for i, o := range out {
			msgs[i] = ToWire(o)
		}
		ctx, cancel := c.d.Timeout(30 * time.Second)
		acked, err := c.svc.Send(ctx, id, msgs)
		cancel()
		if len(acked) > 0 && c.d.Store.SetStatuses(acked, contacts.Delivered) == nil {
			for _, a := range acked {
				c.d.Publish(event.MessageStatusChanged{ID: a, Conversation: id.String(), Status: contacts.Delivered})
			}
		}
		if err != nil || len(acked) < len(msgs) {
			return // the rest stays in the outbox for the next connection
		}
	}
}

// Deliver stores messages that arrived together, in one transaction; the
// chat protocol acknowledges them only after this returns nil. Messages
// stored before (a resend after a lost ack) are acknowledged again but not
// shown twice.
func (c *Chat) Deliver(from peer.ID, ws []wire.ChatMessage) error {
	// Allow is checked when a stream opens; a contact removed while its
	// stream stays open must not go on delivering.
	if !c.d.Book.IsAccepted(from) {
		return book.ErrNotContact
	}
	now := time.Now()
	msgs := make([]contacts.Message, 0, len(ws))
	var cost int64
	for _, w := range ws {
		if base.BlankText(w.Body) {
			continue // nothing to show: acknowledged with the rest, never stored
		}
		sent, _ := base.PeerTime(w.SentAt, now) // out of bounds: now
		msgs = append(msgs, contacts.Message{
			ID:           w.ID,
			Conversation: from.String(),
			From:         from.String(),
			Body:         w.Body,
			SentAt:       sent,
			ReceivedAt:   now,
			Status:       contacts.Received,
			ReplyTo:      w.ReplyTo,
		})
		cost += int64(len(w.Body)) + base.PerMessageCost
	}
	// Over the contact's quota, or a store that fails: the protocol
	// refuses the stream, so the sender keeps the messages for later.
	if err := c.d.TakeInbound(from, cost); err != nil {
		return err
	}
	inserted, err := c.d.Store.AddMessages(msgs)
	if err != nil {
		c.d.StorageFailed(from, err)
		return err
	}
	added := false
	for i, ok := range inserted {
		if ok {
			c.d.Publish(event.MessageAdded{Message: msgs[i]})
			added = true
		}
	}
	if added {
		c.setTyping(from, false) // the message they typed is here
		c.d.Publish(event.ContactsChanged{})
	}
	return nil
}

// History returns the last limit messages with a contact, oldest first.
func (c *Chat) History(peerID string, limit int) ([]contacts.Message, error) {
	return c.d.Store.Messages(peerID, limit)
}

// MarkRead marks every message from a contact as read.
func (c *Chat) MarkRead(peerID string) error {
	if err := c.d.Store.MarkRead(peerID); err != nil {
		return err
	}
	c.queueReadReceipt(peerID)
	c.d.Publish(event.ContactsChanged{})
	return nil
}

// Search finds messages in every conversation.
func (c *Chat) Search(query string, limit int) ([]contacts.Message, error) {
	return c.d.Store.Search(query, limit)
}

// HasUndelivered reports whether messages to a contact wait for an ack.
func (c *Chat) HasUndelivered(peerID string) (bool, error) {
	out, err := c.d.Store.Outbox(peerID, 1)
	return len(out) > 0, err
}
