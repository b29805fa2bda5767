package ui

import (
	"errors"
	"fmt"
	"time"

	"hearth/contacts"
)

// fakeConvo is what the fake backend records for conversation features.
// Guarded by fakeBackend.mu.
type fakeConvo struct {
	edits     []string // "ID|text"
	deletes   []string
	typing    []string // peer IDs
	noReceipt bool     // read receipts off
	muted     map[string]bool
	notes     []string // notifications sent, "title|content"
}

func (f *fakeBackend) findLocked(id string) (int, string) {
	for peer, h := range f.history {
		for i, m := range h {
			if m.ID == id {
				return i, peer
			}
		}
	}
	return -1, ""
}

func (f *fakeBackend) Reply(peerID, replyTo, text string) (contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	m := contacts.Message{
		ID: fmt.Sprintf("sent-%d", f.nextID), Conversation: peerID, From: f.MyPeerID(),
		Body: text, SentAt: time.Now(), Status: contacts.Pending, Outgoing: true, Read: true, ReplyTo: replyTo,
	}
	f.sent = append(f.sent, m)
	f.history[peerID] = append(f.history[peerID], m)
	return m, nil
}

func (f *fakeBackend) Edit(id, text string) (contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, peer := f.findLocked(id)
	if i < 0 {
		return contacts.Message{}, errors.New("no such message")
	}
	m := &f.history[peer][i]
	if !m.Outgoing {
		return contacts.Message{}, errors.New("not mine")
	}
	m.Body, m.Edited = text, time.Now()
	f.convo.edits = append(f.convo.edits, id+"|"+text)
	return *m, nil
}

func (f *fakeBackend) Delete(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, peer := f.findLocked(id)
	if i < 0 {
		return errors.New("no such message")
	}
	m := &f.history[peer][i]
	m.Body, m.Deleted, m.Edited = "", true, time.Now()
	f.convo.deletes = append(f.convo.deletes, id)
	return nil
}

func (f *fakeBackend) Message(id string) (contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, peer := f.findLocked(id)
	if i < 0 {
		return contacts.Message{}, errors.New("no such message")
	}
	return f.history[peer][i], nil
}

func (f *fakeBackend) Typing(peerID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.convo.typing = append(f.convo.typing, peerID)
}

func (f *fakeBackend) ReadReceipts() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.convo.noReceipt
}

func (f *fakeBackend) SetReadReceipts(on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.convo.noReceipt = !on
	return nil
}

func (f *fakeBackend) SetMuted(peerID string, muted bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.convo.muted == nil {
		f.convo.muted = map[string]bool{}
	}
	f.convo.muted[peerID] = muted
	for i := range f.contacts {
		if f.contacts[i].PeerID == peerID {
			f.contacts[i].Muted = muted
		}
	}
	return nil
}
