package ui

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"hearth/app/core/event"
	"hearth/contacts"
)

// fakeChat is the fake ChatBackend: 1:1 history, sending, replies, edits,
// deletes, typing, read state and mute; fields guarded by mu.
type fakeChat struct {
	*fakeHub
	people  *fakeContacts // SetMuted marks the contact, as core does
	history map[string][]contacts.Message
	sent    []contacts.Message
	read    []string
	edits   []string // "ID|text"
	deletes []string
	typing  []string // peer IDs
	muted   map[string]bool
	reacts  []contacts.Reaction // stored reactions, as core keeps them
}

// React stores my reaction and tells the window, as core does.
func (f *fakeChat) React(_, messageID, emoji string) error {
	f.mu.Lock()
	i, conv := f.findLocked(messageID)
	if i < 0 {
		f.mu.Unlock()
		return errors.New("no such message")
	}
	f.reacts = slices.DeleteFunc(f.reacts, func(r contacts.Reaction) bool { return r.MessageID == messageID && r.From == "" })
	if emoji != "" {
		f.reacts = append(f.reacts, contacts.Reaction{MessageID: messageID, Emoji: emoji})
	}
	f.mu.Unlock()
	f.events <- event.ReactionChanged{Conversation: conv, MessageID: messageID}
	return nil
}

func (f *fakeChat) Reactions(_ string, ids []string) ([]contacts.Reaction, error) {
	defer f.lock()()
	var out []contacts.Reaction
	for _, r := range f.reacts {
		if slices.Contains(ids, r.MessageID) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeChat) History(peerID string, limit int) ([]contacts.Message, error) {
	defer f.lock()()
	return append([]contacts.Message(nil), f.history[peerID]...), nil
}

func (f *fakeChat) Send(peerID, text string) (contacts.Message, error) {
	return f.Reply(peerID, "", text)
}

func (f *fakeChat) MarkRead(peerID string) error {
	defer f.lock()()
	f.read = append(f.read, peerID)
	return nil
}

func (f *fakeChat) findLocked(id string) (int, string) {
	for peer, h := range f.history {
		for i, m := range h {
			if m.ID == id {
				return i, peer
			}
		}
	}
	return -1, ""
}

func (f *fakeChat) Reply(peerID, replyTo, text string) (contacts.Message, error) {
	defer f.lock()()
	f.nextID++
	m := contacts.Message{
		ID: fmt.Sprintf("sent-%d", f.nextID), Conversation: peerID, From: fakeMyID,
		Body: text, SentAt: time.Now(), Status: contacts.Pending, Outgoing: true, Read: true, ReplyTo: replyTo,
	}
	f.sent = append(f.sent, m)
	f.history[peerID] = append(f.history[peerID], m)
	return m, nil
}

func (f *fakeChat) Edit(id, text string) (contacts.Message, error) {
	defer f.lock()()
	i, peer := f.findLocked(id)
	if i < 0 {
		return contacts.Message{}, errors.New("no such message")
	}
	m := &f.history[peer][i]
	if !m.Outgoing {
		return contacts.Message{}, errors.New("not mine")
	}
	m.Body, m.Edited = text, time.Now()
	f.edits = append(f.edits, id+"|"+text)
	return *m, nil
}

func (f *fakeChat) Delete(id string) error {
	defer f.lock()()
	i, peer := f.findLocked(id)
	if i < 0 {
		return errors.New("no such message")
	}
	m := &f.history[peer][i]
	m.Body, m.Deleted, m.Edited = "", true, time.Now()
	f.deletes = append(f.deletes, id)
	return nil
}

func (f *fakeChat) Message(id string) (contacts.Message, error) {
	defer f.lock()()
	i, peer := f.findLocked(id)
	if i < 0 {
		return contacts.Message{}, errors.New("no such message")
	}
	return f.history[peer][i], nil
}

func (f *fakeChat) Typing(peerID string) {
	defer f.lock()()
	f.typing = append(f.typing, peerID)
}

func (f *fakeChat) SetMuted(peerID string, muted bool) error {
	defer f.lock()()
	if f.muted == nil {
		f.muted = map[string]bool{}
	}
	f.muted[peerID] = muted
	f.people.setMuted(peerID, muted)
	return nil
}
