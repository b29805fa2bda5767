package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/contacts/store"
	pchat "hearth/p2p/chat"
	pconvo "hearth/p2p/convo"
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
	// TypingTTL is how long a contact shows as typing after its last
	// signal: two intervals, so one lost signal does not blink it off.
	TypingTTL = 2*typingInterval + time.Second
)

// Chat owns the 1:1 chat and conversation-update protocols.
//
// flushes and updates run one outbox flush and one update flush per
// contact at a time. mu guards the fields below it.
type Chat struct {
	d    *base.Deps
	svc  *pchat.Service
	conv *pconvo.Service
	// invisible reports whether I am invisible: typing and read receipts
	// would show me online, so none go.
	invisible func() bool

	flushes, updates base.PerPeer

	mu sync.Mutex
	// typingSent: when I last told each contact I was typing.
	typingSent map[peer.ID]time.Time
	// typing: contacts typing to me, each with the timer that ends it.
	typing   map[peer.ID]*time.Timer
	receipts bool            // send read receipts
	muted    map[string]bool // muted conversations
	closed   bool
}

// New loads the settings and registers the chat and update protocols.
// invisible reports whether I am invisible.
func New(d *base.Deps, invisible func() bool) *Chat {
	c := &Chat{d: d, typingSent: map[peer.ID]time.Time{}, typing: map[peer.ID]*time.Timer{},
		receipts: true, muted: map[string]bool{}, invisible: invisible}
	if b, err := d.Store.Setting(settingReadReceipts); err == nil && string(b) == "0" {
		c.receipts = false
	}
	if b, err := d.Store.Setting(settingMuted); err == nil {
		var ids []string
		if json.Unmarshal(b, &ids) == nil {
			for _, id := range ids {
				c.muted[id] = true
			}
		}
	}
	c.svc = pchat.New(d.Host, pchat.Config{Allow: d.Book.IsAccepted, DeliverBatch: c.Deliver})
	c.conv = pconvo.New(d.Host, pconvo.Config{Allow: d.Book.IsAccepted, OnUpdate: c.OnUpdate})
	return c
}

// Close ends both protocols and the typing timers.
func (c *Chat) Close() {
	c.conv.Close()
	c.svc.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for id, t := range c.typing {
		t.Stop()
		delete(c.typing, id)
	}
}

// Reply sends text as an answer to the message replyTo of the same
// conversation.
func (c *Chat) Reply(peerID, replyTo, text string) (contacts.Message, error) {
	_, err := c.d.Store.MessageIn(peerID, "", replyTo)
	if err != nil {
		return contacts.Message{}, base.ErrUnknownMessage
	}
	return c.send(peerID, text, replyTo)
}

// Message returns one stored message (for a reply's quote when the
// original is not on screen).
func (c *Chat) Message(id string) (contacts.Message, error) {
	msg, err := c.d.Store.Message(id)
	if errors.Is(err, store.ErrNotFound) {
		return msg, base.ErrUnknownMessage
	}
	return msg, err
}

// mine returns one of my messages to an accepted contact, for a change.
func (c *Chat) mine(messageID string) (contacts.Message, peer.ID, error) {
	msg, err := c.d.Store.Message(messageID)
	if err != nil {
		return msg, "", base.ErrUnknownMessage
	}
	if !msg.Outgoing || msg.From != c.d.Self.String() {
		return msg, "", ErrNotAuthor
	}
	if msg.Deleted {
		return msg, "", ErrMessageDeleted
	}
	id, err := peer.Decode(msg.Conversation)
	if err != nil || !c.d.Book.IsAccepted(id) {
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
func (c *Chat) Edit(messageID, text string) (contacts.Message, error) {
	text, err := base.CheckText(text)
	if err != nil {
		return contacts.Message{}, err
	}
	msg, id, err := c.mine(messageID)
	if err != nil {
		return contacts.Message{}, err
	}
	if text == msg.Body {
		return msg, nil
	}
	at := changeTime(msg.Edited)
	if _, err := c.d.Store.EditMessage(msg.Key(), text, at); err != nil {
		return contacts.Message{}, fmt.Errorf("saving the edit: %w", err)
	}
	return c.changed(id, messageID)
}

// Delete deletes one of my messages for everyone: its text leaves my
// database and search index now, and the contact's when it is reachable.
func (c *Chat) Delete(messageID string) error {
	msg, id, err := c.mine(messageID)
	if err != nil {
		return err
	}
	if _, err := c.d.Store.DeleteMessage(msg.Key(), changeTime(msg.Edited)); err != nil {
		return fmt.Errorf("deleting the message: %w", err)
	}
	_, err = c.changed(id, messageID)
	return err
}

// changed publishes a change I made and sends it on.
func (c *Chat) changed(id peer.ID, messageID string) (contacts.Message, error) {
	msg, err := c.d.Store.Message(messageID)
	if err != nil {
		return contacts.Message{}, err
	}
	c.d.Publish(event.MessageChanged{Message: msg})
	c.RequestUpdates(id)
	return msg, nil
}

// ReadReceipts reports whether I tell contacts when I have read their
// messages.
func (c *Chat) ReadReceipts() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.receipts
}

// SetReadReceipts turns sending read receipts on or off (kept in the
// profile). Off, nothing is queued; receipts already queued wait until they
// are on again.
func (c *Chat) SetReadReceipts(on bool) error {
	v := "1"
	if !on {
		v = "0"
	}
	if err := c.d.Store.SetSetting(settingReadReceipts, []byte(v)); err != nil {
		return fmt.Errorf("saving the read receipt setting: %w", err)
	}
	c.mu.Lock()
	c.receipts = on
	c.mu.Unlock()
	return nil
}

// Muted reports whether notifications for a conversation are off.
func (c *Chat) Muted(peerID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.muted[peerID]
}

// SetMuted turns a conversation's notifications off or on (kept in the
// profile).
func (c *Chat) SetMuted(peerID string, muted bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := map[string]bool{}
	var ids []string
	for id := range c.muted {
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
	if err := c.d.Store.SetSetting(settingMuted, b); err != nil {
		return fmt.Errorf("saving the mute setting: %w", err)
	}
	c.muted = next
	c.d.Publish(event.ContactsChanged{})
	return nil
}

// queueReadReceipt records, after I read a conversation, that its contact
// should hear so, and sends it when it can.
func (c *Chat) queueReadReceipt(peerID string) {
	if !c.ReadReceipts() {
		return
	}
	id, err := peer.Decode(peerID)
	if err != nil {
		return
	}
	if _, queued, err := c.d.Store.QueueReadReceipt(peerID); err == nil && queued {
		c.RequestUpdates(id)
	}
}

// Typing tells a contact I am typing to them, at most every
// typingInterval. It sends nothing while I am invisible (it would show me
// online) or while the contact is not connected.
func (c *Chat) Typing(peerID string) {
	id, err := peer.Decode(peerID)
	if err != nil || !c.d.Book.IsAccepted(id) || !c.d.Connected(id) {
		return
	}
	if c.invisible() {
		return
	}
	now := time.Now()
	c.mu.Lock()
	if now.Sub(c.typingSent[id]) < typingInterval {
		c.mu.Unlock()
		return
	}
	c.typingSent[id] = now
	c.mu.Unlock()
	c.d.Go(func() {
		ctx, cancel := c.d.Timeout(5 * time.Second)
		defer cancel()
		c.conv.Send(ctx, id, wire.ChatUpdate{Kind: wire.UpdateTyping})
	})
}

// setTyping shows or ends a contact's typing; typing ends by itself after
// TypingTTL without a new signal.
func (c *Chat) setTyping(id peer.ID, on bool) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	old := c.typing[id]
	if old != nil {
		old.Stop()
		delete(c.typing, id)
	}
	if on {
		var t *time.Timer
		t = time.AfterFunc(TypingTTL, func() {
			c.mu.Lock()
			current := c.typing[id] == t
			if current {
				delete(c.typing, id)
			}
			c.mu.Unlock()
			if current {
				c.d.Publish(event.TypingChanged{PeerID: id.String(), Typing: false})
			}
		})
		c.typing[id] = t
	}
	c.mu.Unlock()
	if on != (old != nil) {
		c.d.Publish(event.TypingChanged{PeerID: id.String(), Typing: on})
	}
}

// IsTyping reports whether a contact is typing to me now.
func (c *Chat) IsTyping(peerID string) bool {
	id, err := peer.Decode(peerID)
	if err != nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.typing[id] != nil
}

// OnUpdate applies an update from a contact (the protocol's handler). It returns false to refuse
// it: the sender keeps it and tries again, so a refusal is only for what
// must never apply (someone else's message) or for a store that failed.
func (c *Chat) OnUpdate(from peer.ID, u wire.ChatUpdate) bool {
	if !c.d.Book.IsAccepted(from) {
		return false
	}
	conv := from.String()
	switch u.Kind {
	case wire.UpdateTyping:
		c.setTyping(from, true)
		return true
	case wire.UpdateRead:
		ids, err := c.d.Store.MarkReadUpTo(conv, u.Target)
		if err != nil {
			return false
		}
		for _, id := range ids {
			c.d.Publish(event.MessageStatusChanged{ID: id, Conversation: conv, Status: contacts.Read})
		}
		return true
	case wire.UpdateEdit, wire.UpdateDelete:
		// Only the author changes a message, and only in their
		// conversation with me: the lookup is by that key, so a message
		// of someone else's with the same ID is never found.
		msg, err := c.d.Store.MessageIn(conv, conv, u.Target)
		if errors.Is(err, store.ErrNotFound) {
			if _, err := c.d.Store.Message(u.Target); err == nil {
				return false // someone else's message: never theirs to change
			}
			return true // nothing here to change
		}
		if err != nil || msg.Outgoing {
			return false
		}
		// A time out of bounds is now: it can neither overflow nor make
		// an old edit win over a newer one.
		at, _ := base.PeerTime(u.At, time.Now())
		var changed bool
		if u.Kind == wire.UpdateEdit {
			changed, err = c.d.Store.EditMessage(msg.Key(), u.Body, at)
		} else {
			changed, err = c.d.Store.DeleteMessage(msg.Key(), at)
		}
		if err != nil {
			return false
		}
		if changed {
			if now, err := c.d.Store.MessageIn(conv, conv, u.Target); err == nil {
				c.d.Publish(event.MessageChanged{Message: now})
			}
		}
		return true
	case wire.UpdateReact:
		return c.onReaction(conv, u)
	}
	return true // a kind from a newer Hearth: nothing to do
}

// RequestUpdates sends a contact's pending updates in the background
// if it is connected; otherwise they go when it connects.
func (c *Chat) RequestUpdates(id peer.ID) {
	if !c.d.Connected(id) {
		c.d.Wake()
		return
	}
	c.updates.Request(c.d.Tasks, id, func() { c.flushUpdatesNow(id) })
}

// HasPendingUpdates reports whether a contact waits for an edit, a delete
// or a receipt from me.
func (c *Chat) HasPendingUpdates(id peer.ID) bool {
	conv := id.String()
	if ups, err := c.d.Store.PendingUpdates(conv, 1); err == nil && len(ups) > 0 {
		return true
	}
	if rs, err := c.d.Store.PendingReactions(conv); err == nil && len(rs) > 0 {
		return true
	}
	r, err := c.d.Store.PendingReadReceipt(conv)
	return err == nil && r != "" && c.receiptsAllowed()
}

// receiptsAllowed: receipts are on, and I am not invisible (a receipt
// would show I am online).
func (c *Chat) receiptsAllowed() bool {
	return c.ReadReceipts() && !c.invisible()
}

// FlushUpdates sends a contact my pending read receipt and my edits and
// deletes it has not acknowledged. A change to a message still in the
// outbox waits: the message goes first (already with its new text).
func (c *Chat) FlushUpdates(id peer.ID) { c.updates.Do(id, func() { c.flushUpdatesNow(id) }) }

func (c *Chat) flushUpdatesNow(id peer.ID) {
	if !c.d.Book.IsAccepted(id) {
		return
	}
	conv := id.String()
	send := func(u wire.ChatUpdate) error {
		ctx, cancel := c.d.Timeout(10 * time.Second)
		defer cancel()
		return c.conv.Send(ctx, id, u)
	}
	if c.receiptsAllowed() {
		if target, err := c.d.Store.PendingReadReceipt(conv); err == nil && target != "" {
			if send(wire.ChatUpdate{Kind: wire.UpdateRead, Target: target}) != nil {
				return
			}
			c.d.Store.ReadReceiptSent(conv, target)
		}
	}
	const batch = 64
	for c.d.Ctx().Err() == nil {
		ups, err := c.d.Store.PendingUpdates(conv, batch)
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
			c.d.Store.UpdateSent(msg.ID, msg.Edited)
			sent++
		}
		if len(ups) < batch || sent == 0 {
			break
		}
	}
	c.flushReactions(id, send)
}
