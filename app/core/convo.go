package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/contacts/store"
	"hearth/p2p/convo"
	"hearth/p2p/wire"
)

// Conversation features over 1:1 chat: replies, edits and deletes for
// everyone, read receipts, typing, and muting a conversation.
//
// Edits, deletes and read receipts are state in the store, not messages:
// an edited or deleted message of mine is flagged until the peer
// acknowledged its last change, and the newest message I read is queued as
// a receipt until the peer has it. Whatever is flagged is sent when the
// peer connects, when it changes, and on every connect-loop tick while the
// peer stays connected, so nothing is lost while the peer is offline or
// either side restarts. Typing is never stored.

const (
	settingReadReceipts = "chat.read_receipts" // "0": do not send them; on by default
	settingMuted        = "chat.muted"         // JSON array of muted conversations
)

var (
	// typingInterval is how often "typing" is sent while someone types.
	typingInterval = 3 * time.Second
	// typingTTL is how long a contact shows as typing after its last
	// signal: two intervals, so one lost signal does not blink it off.
	typingTTL = 2*typingInterval + time.Second
)

// convoState is the Messenger's part for conversation features.
type convoState struct {
	updaters sync.Map // peer.ID → *flusher, one update flush per contact at a time

	mu sync.Mutex // guards the fields below
	// typingSent: when I last told each contact I was typing.
	typingSent map[peer.ID]time.Time
	// typing: contacts typing to me, each with the timer that ends it.
	typing   map[peer.ID]*time.Timer
	receipts bool            // send read receipts
	muted    map[string]bool // muted conversations
	closed   bool
}

// startConvo registers the conversation update protocol and loads the
// settings. Called from New.
func (m *Messenger) startConvo(h host.Host) {
	m.cv.typingSent = map[peer.ID]time.Time{}
	m.cv.typing = map[peer.ID]*time.Timer{}
	m.cv.receipts = true
	if b, err := m.store.Setting(settingReadReceipts); err == nil && string(b) == "0" {
		m.cv.receipts = false
	}
	m.cv.muted = map[string]bool{}
	if b, err := m.store.Setting(settingMuted); err == nil {
		var ids []string
		if json.Unmarshal(b, &ids) == nil {
			for _, id := range ids {
				m.cv.muted[id] = true
			}
		}
	}
	m.conv = convo.New(h, convo.Config{Allow: m.isAccepted, OnUpdate: m.onUpdate})
}

// stopConvo ends the protocol and the typing timers. Called from Close.
func (m *Messenger) stopConvo() {
	m.conv.Close()
	m.cv.mu.Lock()
	defer m.cv.mu.Unlock()
	m.cv.closed = true
	for id, t := range m.cv.typing {
		t.Stop()
		delete(m.cv.typing, id)
	}
}

// Reply sends text as an answer to the message replyTo of the same
// conversation.
func (m *Messenger) Reply(peerID, replyTo, text string) (contacts.Message, error) {
	orig, err := m.store.Message(replyTo)
	if err != nil || orig.Conversation != peerID {
		return contacts.Message{}, base.ErrUnknownMessage
	}
	return m.send(peerID, text, replyTo)
}

// Message returns one stored message (for a reply's quote when the
// original is not on screen).
func (m *Messenger) Message(id string) (contacts.Message, error) {
	msg, err := m.store.Message(id)
	if errors.Is(err, store.ErrNotFound) {
		return msg, base.ErrUnknownMessage
	}
	return msg, err
}

// mine returns one of my messages to an accepted contact, for a change.
func (m *Messenger) mine(messageID string) (contacts.Message, peer.ID, error) {
	msg, err := m.store.Message(messageID)
	if err != nil {
		return msg, "", base.ErrUnknownMessage
	}
	if !msg.Outgoing || msg.From != m.prof.ID.String() {
		return msg, "", ErrNotAuthor
	}
	if msg.Deleted {
		return msg, "", ErrMessageDeleted
	}
	id, err := peer.Decode(msg.Conversation)
	if err != nil || !m.isAccepted(id) {
		return msg, "", book.ErrNotContact
	}
	return msg, id, nil
}

// changeTime is the time of a new change to a message last changed at
// prev: now in whole milliseconds (what the wire carries), and always
// after prev, so the peer applies changes in the order I made them.
func changeTime(prev time.Time) time.Time {
	at := time.UnixMilli(time.Now().UnixMilli())
	if !at.After(prev) {
		at = time.UnixMilli(prev.UnixMilli() + 1)
	}
	return at
}

// Edit changes the text of one of my messages, here and, now or when
// it is next reachable, on the contact's side.
func (m *Messenger) Edit(messageID, text string) (contacts.Message, error) {
	text, err := base.CheckText(text)
	if err != nil {
		return contacts.Message{}, err
	}
	msg, id, err := m.mine(messageID)
	if err != nil {
		return contacts.Message{}, err
	}
	if text == msg.Body {
		return msg, nil
	}
	at := changeTime(msg.Edited)
	if _, err := m.store.EditMessage(messageID, text, at); err != nil {
		return contacts.Message{}, fmt.Errorf("saving the edit: %w", err)
	}
	return m.changed(id, messageID)
}

// Delete deletes one of my messages for everyone: its text leaves my
// database and search index now, and the contact's when it is reachable.
func (m *Messenger) Delete(messageID string) error {
	msg, id, err := m.mine(messageID)
	if err != nil {
		return err
	}
	if _, err := m.store.DeleteMessage(messageID, changeTime(msg.Edited)); err != nil {
		return fmt.Errorf("deleting the message: %w", err)
	}
	_, err = m.changed(id, messageID)
	return err
}

// changed publishes a change I made and sends it on.
func (m *Messenger) changed(id peer.ID, messageID string) (contacts.Message, error) {
	msg, err := m.store.Message(messageID)
	if err != nil {
		return contacts.Message{}, err
	}
	m.publish(event.MessageChanged{Message: msg})
	m.requestUpdateFlush(id)
	return msg, nil
}

// ReadReceipts reports whether I tell contacts when I have read their
// messages.
func (m *Messenger) ReadReceipts() bool {
	m.cv.mu.Lock()
	defer m.cv.mu.Unlock()
	return m.cv.receipts
}

// SetReadReceipts turns sending read receipts on or off (kept in the
// profile). Off, nothing is queued; receipts already queued wait until they
// are on again.
func (m *Messenger) SetReadReceipts(on bool) error {
	v := "1"
	if !on {
		v = "0"
	}
	if err := m.store.SetSetting(settingReadReceipts, []byte(v)); err != nil {
		return fmt.Errorf("saving the read receipt setting: %w", err)
	}
	m.cv.mu.Lock()
	m.cv.receipts = on
	m.cv.mu.Unlock()
	return nil
}

// Muted reports whether notifications for a conversation are off.
func (m *Messenger) Muted(peerID string) bool {
	m.cv.mu.Lock()
	defer m.cv.mu.Unlock()
	return m.cv.muted[peerID]
}

// SetMuted turns a conversation's notifications off or on (kept in the
// profile).
func (m *Messenger) SetMuted(peerID string, muted bool) error {
	m.cv.mu.Lock()
	defer m.cv.mu.Unlock()
	next := map[string]bool{}
	var ids []string
	for id := range m.cv.muted {
		if id != peerID {
			next[id] = true
			ids = append(ids, id)
		}
	}
	if muted {
		next[peerID] = true
		ids = append(ids, peerID)
	}
	b, _ := json.Marshal(ids)
	if err := m.store.SetSetting(settingMuted, b); err != nil {
		return fmt.Errorf("saving the mute setting: %w", err)
	}
	m.cv.muted = next
	m.publish(event.ContactsChanged{})
	return nil
}

// queueReadReceipt records, after I read a conversation, that its contact
// should hear so, and sends it when it can.
func (m *Messenger) queueReadReceipt(peerID string) {
	if !m.ReadReceipts() {
		return
	}
	id, err := peer.Decode(peerID)
	if err != nil {
		return
	}
	if _, queued, err := m.store.QueueReadReceipt(peerID); err == nil && queued {
		m.requestUpdateFlush(id)
	}
}

// Typing tells a contact I am typing to them, at most every
// typingInterval. It sends nothing while I am invisible (it would show me
// online) or while the contact is not connected.
func (m *Messenger) Typing(peerID string) {
	id, err := peer.Decode(peerID)
	if err != nil || !m.isAccepted(id) || !m.connected(id) {
		return
	}
	if p, _ := m.Presence.Presence(); p == contacts.Invisible {
		return
	}
	now := time.Now()
	m.cv.mu.Lock()
	if now.Sub(m.cv.typingSent[id]) < typingInterval {
		m.cv.mu.Unlock()
		return
	}
	m.cv.typingSent[id] = now
	m.cv.mu.Unlock()
	m.spawn(func() {
		ctx, cancel := context.WithTimeout(m.d.Ctx(), 5*time.Second)
		defer cancel()
		m.conv.Send(ctx, id, wire.ChatUpdate{Kind: wire.UpdateTyping})
	})
}

// setTyping shows or ends a contact's typing; typing ends by itself after
// typingTTL without a new signal.
func (m *Messenger) setTyping(id peer.ID, on bool) {
	m.cv.mu.Lock()
	if m.cv.closed {
		m.cv.mu.Unlock()
		return
	}
	old := m.cv.typing[id]
	if old != nil {
		old.Stop()
		delete(m.cv.typing, id)
	}
	if on {
		var t *time.Timer
		t = time.AfterFunc(typingTTL, func() {
			m.cv.mu.Lock()
			current := m.cv.typing[id] == t
			if current {
				delete(m.cv.typing, id)
			}
			m.cv.mu.Unlock()
			if current {
				m.publish(event.TypingChanged{PeerID: id.String(), Typing: false})
			}
		})
		m.cv.typing[id] = t
	}
	m.cv.mu.Unlock()
	if on != (old != nil) {
		m.publish(event.TypingChanged{PeerID: id.String(), Typing: on})
	}
}

// IsTyping reports whether a contact is typing to me now.
func (m *Messenger) IsTyping(peerID string) bool {
	id, err := peer.Decode(peerID)
	if err != nil {
		return false
	}
	m.cv.mu.Lock()
	defer m.cv.mu.Unlock()
	return m.cv.typing[id] != nil
}

// onUpdate applies an update from a contact. It returns false to refuse
// it: the sender keeps it and tries again, so a refusal is only for what
// must never apply (someone else's message) or for a store that failed.
func (m *Messenger) onUpdate(from peer.ID, u wire.ChatUpdate) bool {
	if !m.isAccepted(from) {
		return false
	}
	conv := from.String()
	switch u.Kind {
	case wire.UpdateTyping:
		m.setTyping(from, true)
		return true
	case wire.UpdateRead:
		ids, err := m.store.MarkReadUpTo(conv, u.Target)
		if err != nil {
			return false
		}
		for _, id := range ids {
			m.publish(event.MessageStatusChanged{ID: id, Conversation: conv, Status: contacts.Read})
		}
		return true
	case wire.UpdateEdit, wire.UpdateDelete:
		msg, err := m.store.Message(u.Target)
		if errors.Is(err, store.ErrNotFound) {
			return true // nothing here to change
		}
		if err != nil {
			return false
		}
		// Only the author changes a message, and only in their
		// conversation with me.
		if msg.Outgoing || msg.From != conv || msg.Conversation != conv {
			return false
		}
		at := time.UnixMilli(u.At)
		var changed bool
		if u.Kind == wire.UpdateEdit {
			changed, err = m.store.EditMessage(u.Target, u.Body, at)
		} else {
			changed, err = m.store.DeleteMessage(u.Target, at)
		}
		if err != nil {
			return false
		}
		if changed {
			if now, err := m.store.Message(u.Target); err == nil {
				m.publish(event.MessageChanged{Message: now})
			}
		}
		return true
	}
	return true // a kind from a newer Hearth: nothing to do
}

func (m *Messenger) updater(id peer.ID) *flusher {
	f, _ := m.cv.updaters.LoadOrStore(id, &flusher{})
	return f.(*flusher)
}

// requestUpdateFlush sends a contact's pending updates in the background
// if it is connected; otherwise they go when it connects.
func (m *Messenger) requestUpdateFlush(id peer.ID) {
	if !m.connected(id) {
		m.wake()
		return
	}
	if m.updater(id).pending.Swap(true) {
		return
	}
	m.spawn(func() { m.flushUpdates(id) })
}

// hasPendingUpdates reports whether a contact waits for an edit, a delete
// or a receipt from me.
func (m *Messenger) hasPendingUpdates(id peer.ID) bool {
	conv := id.String()
	if ups, err := m.store.PendingUpdates(conv, 1); err == nil && len(ups) > 0 {
		return true
	}
	r, err := m.store.PendingReadReceipt(conv)
	return err == nil && r != "" && m.receiptsAllowed()
}

// receiptsAllowed: receipts are on, and I am not invisible (a receipt
// would show I am online).
func (m *Messenger) receiptsAllowed() bool {
	p, _ := m.Presence.Presence()
	return m.ReadReceipts() && p != contacts.Invisible
}

// flushUpdates sends a contact my pending read receipt and my edits and
// deletes it has not acknowledged. A change to a message still in the
// outbox waits: the message goes first (already with its new text).
func (m *Messenger) flushUpdates(id peer.ID) {
	f := m.updater(id)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending.Store(false)
	if !m.isAccepted(id) {
		return
	}
	conv := id.String()
	send := func(u wire.ChatUpdate) error {
		ctx, cancel := context.WithTimeout(m.d.Ctx(), 10*time.Second)
		defer cancel()
		return m.conv.Send(ctx, id, u)
	}
	if m.receiptsAllowed() {
		if target, err := m.store.PendingReadReceipt(conv); err == nil && target != "" {
			if send(wire.ChatUpdate{Kind: wire.UpdateRead, Target: target}) != nil {
				return
			}
			m.store.ReadReceiptSent(conv, target)
		}
	}
	const batch = 64
	for m.d.Ctx().Err() == nil {
		ups, err := m.store.PendingUpdates(conv, batch)
		if err != nil {
			return
		}
		sent := 0
		for _, msg := range ups {
			if msg.Status == contacts.Pending {
				continue
			}
			u := wire.ChatUpdate{Kind: wire.UpdateEdit, Target: msg.ID, Body: msg.Body, At: msg.Edited.UnixMilli()}
			if msg.Deleted {
				u = wire.ChatUpdate{Kind: wire.UpdateDelete, Target: msg.ID, At: msg.Edited.UnixMilli()}
			}
			if send(u) != nil {
				return
			}
			m.store.UpdateSent(msg.ID, msg.Edited)
			sent++
		}
		if len(ups) < batch || sent == 0 {
			return
		}
	}
}
