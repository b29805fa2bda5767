package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/wire"
)

// Send stores a message in the outbox and delivers it now if the contact
// is online, later if not. The returned message is Pending until the
// contact acknowledges having stored it.
func (m *Messenger) Send(peerID, text string) (contacts.Message, error) {
	return m.send(peerID, text, "")
}

// send is Send with an optional message being answered.
func (m *Messenger) send(peerID, text, replyTo string) (contacts.Message, error) {
	id, err := peer.Decode(peerID)
	if err != nil {
		return contacts.Message{}, book.ErrUnknownPeer
	}
	text, err = base.CheckText(text)
	if err != nil {
		return contacts.Message{}, err
	}
	c, ok := m.contact(id)
	if !ok || c.State != contacts.Accepted {
		return contacts.Message{}, book.ErrNotContact
	}
	now := time.Now()
	msg := contacts.Message{
		ID:           newID(),
		Conversation: peerID,
		From:         m.prof.ID.String(),
		Body:         text,
		SentAt:       now,
		ReceivedAt:   now,
		Status:       contacts.Pending,
		Outgoing:     true,
		Read:         true,
		ReplyTo:      replyTo,
	}
	if _, err := m.store.AddMessage(msg); err != nil {
		return contacts.Message{}, fmt.Errorf("saving message: %w", err)
	}
	m.publish(event.MessageAdded{Message: msg})
	if m.connected(id) {
		m.requestFlush(id)
	} else {
		m.wake()
	}
	return msg, nil
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// flusher serialises one contact's flushes and remembers whether one is
// already queued.
type flusher struct {
	mu      sync.Mutex // held while a flush runs
	pending atomic.Bool
}

func (m *Messenger) flusher(id peer.ID) *flusher {
	f, _ := m.flushers.LoadOrStore(id, &flusher{})
	return f.(*flusher)
}

// requestFlush flushes a contact's outbox in the background. A burst of
// sends queues one flush, not one goroutine per message: a queued flush
// reads the outbox only once it runs, so it takes all of them.
func (m *Messenger) requestFlush(id peer.ID) {
	if m.flusher(id).pending.Swap(true) {
		return
	}
	m.spawn(func() { m.flush(id) })
}

// flush sends the outbox to one contact, oldest first, and marks what was
// acknowledged. Only one flush per contact runs at a time, so messages
// leave in order.
func (m *Messenger) flush(id peer.ID) {
	f := m.flusher(id)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending.Store(false)
	for m.d.Ctx().Err() == nil && m.isAccepted(id) {
		const batch = 256
		out, err := m.store.Outbox(id.String(), batch)
		if err != nil || len(out) == 0 {
			return
		}
		msgs := make([]wire.ChatMessage, len(out))
		for i, o := range out {
			msgs[i] = chatWire(o) // carry.go
		}
		ctx, cancel := context.WithTimeout(m.d.Ctx(), 30*time.Second)
		acked, err := m.chat.Send(ctx, id, msgs)
		cancel()
		if len(acked) > 0 && m.store.SetStatuses(acked, contacts.Delivered) == nil {
			for _, a := range acked {
				m.publish(event.MessageStatusChanged{ID: a, Conversation: id.String(), Status: contacts.Delivered})
			}
		}
		if err != nil || len(acked) < len(msgs) {
			return // the rest stays in the outbox for the next connection
		}
	}
}

// deliver stores messages that arrived together, in one transaction; the
// chat protocol acknowledges them only after this returns nil. Messages
// stored before (a resend after a lost ack) are acknowledged again but not
// shown twice.
func (m *Messenger) deliver(from peer.ID, ws []wire.ChatMessage) error {
	// Allow is checked when a stream opens; a contact removed while its
	// stream stays open must not go on delivering.
	if !m.isAccepted(from) {
		return book.ErrNotContact
	}
	now := time.Now()
	msgs := make([]contacts.Message, len(ws))
	for i, w := range ws {
		msgs[i] = contacts.Message{
			ID:           w.ID,
			Conversation: from.String(),
			From:         from.String(),
			Body:         w.Body,
			SentAt:       time.UnixMilli(w.SentAt),
			ReceivedAt:   now,
			Status:       contacts.Received,
			ReplyTo:      w.ReplyTo,
		}
	}
	inserted, err := m.store.AddMessages(msgs)
	if err != nil {
		return err
	}
	added := false
	for i, ok := range inserted {
		if ok {
			m.publish(event.MessageAdded{Message: msgs[i]})
			added = true
		}
	}
	if added {
		m.setTyping(from, false) // the message they typed is here
		m.publish(event.ContactsChanged{})
	}
	return nil
}

// History returns the last limit messages with a contact, oldest first.
func (m *Messenger) History(peerID string, limit int) ([]contacts.Message, error) {
	return m.store.Messages(peerID, limit)
}

// MarkRead marks every message from a contact as read.
func (m *Messenger) MarkRead(peerID string) error {
	if err := m.store.MarkRead(peerID); err != nil {
		return err
	}
	m.queueReadReceipt(peerID)
	m.publish(event.ContactsChanged{})
	return nil
}

// Search finds messages in every conversation.
func (m *Messenger) Search(query string, limit int) ([]contacts.Message, error) {
	return m.store.Search(query, limit)
}

// HasUndelivered reports whether messages to a contact wait for an ack.
func (m *Messenger) HasUndelivered(peerID string) (bool, error) {
	out, err := m.store.Outbox(peerID, 1)
	return len(out) > 0, err
}
