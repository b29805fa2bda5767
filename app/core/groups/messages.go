package groups

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/event"
	"hearth/contacts"
)

// SendGroup stores a message to a group and delivers it to every member,
// now to those online and later to the others. The returned message is
// Pending until every member has acknowledged it.
func (gs *Groups) SendGroup(groupID, text string) (contacts.Message, error) {
	text, err := base.CheckText(text)
	if err != nil {
		return contacts.Message{}, err
	}
	gs.mu.Lock()
	g, err := gs.Group(groupID)
	if err != nil {
		gs.mu.Unlock()
		return contacts.Message{}, err
	}
	if g.Left {
		gs.mu.Unlock()
		return contacts.Message{}, ErrLeftGroup
	}
	me := gs.d.Self.String()
	// My messages' times only go forward, so the display order (by
	// time, then author) keeps my order even if my clock steps back.
	// Whole milliseconds, as the wire carries them: every member sorts
	// by the same times.
	now := time.UnixMilli(time.Now().UnixMilli())
	if last := gs.lastSent[groupID]; !now.After(last) {
		now = last.Add(time.Millisecond)
	}
	gs.lastSent[groupID] = now
	var to []string
	for _, mem := range g.Members {
		if mem.PeerID != me {
			to = append(to, mem.PeerID)
		}
	}
	msg := contacts.Message{
		ID: base.NewID(), Conversation: contacts.GroupConversation(groupID), From: me, Body: text,
		SentAt: now, ReceivedAt: now, Status: contacts.Pending, Outgoing: true, Read: true,
	}
	if len(to) == 0 {
		msg.Status = contacts.Delivered
	}
	_, err = gs.d.Store.AddGroupMessage(msg, to)
	gs.mu.Unlock()
	if err != nil {
		return contacts.Message{}, fmt.Errorf("saving message: %w", err)
	}
	gs.d.Publish(event.MessageAdded{Message: msg})
	offline := false
	for _, p := range to {
		if id, err := peer.Decode(p); err == nil && gs.d.Connected(id) {
			gs.requestGroupFlush(id)
		} else {
			offline = true
			if err == nil {
				gs.cfg.Deposit(id) // through carriers while away (groupcarry.go)
			}
		}
	}
	if offline {
		gs.wakeGroups() // dial the others now rather than at the next retry
	}
	return msg, nil
}

// GroupHistory returns the last limit messages of a group in display
// order: by the author's time, then author, then message ID, which is the
// same on every member's screen.
func (gs *Groups) GroupHistory(groupID string, limit int) ([]contacts.Message, error) {
	ms, err := gs.d.Store.Messages(contacts.GroupConversation(groupID), limit)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(ms, compareDisplay)
	return ms, nil
}

func compareDisplay(a, b contacts.Message) int {
	if c := a.SentAt.Compare(b.SentAt); c != 0 {
		return c
	}
	if c := cmp.Compare(a.From, b.From); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
