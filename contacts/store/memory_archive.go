package store

import (
	"time"

	"hearth/contacts"
)

// DeleteMessagesBefore deletes a conversation's messages stored before
// cutoff, except my undelivered ones; see SQLite.DeleteMessagesBefore.
func (s *Memory) DeleteMessagesBefore(conversation string, cutoff time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	cut := unixNano(cutoff)
	kept := s.messages[:0:0]
	newIndex := make([]int, len(s.messages)) // old index → new, -1 when deleted
	n := 0
	for i, m := range s.messages {
		if m.Conversation == conversation && unixNano(m.ReceivedAt) < cut &&
			!(m.Outgoing && m.Status == contacts.Pending) {
			newIndex[i] = -1
			n++
			continue
		}
		newIndex[i] = len(kept)
		kept = append(kept, m)
	}
	if n == 0 {
		return 0, nil
	}
	// Rebuild the indexes over the surviving messages, in the same order.
	s.messages = kept
	s.byID = make(map[string]int, len(kept))
	s.byConv = make(map[string][]int)
	for i, m := range kept {
		s.byID[m.ID] = i
		s.byConv[m.Conversation] = append(s.byConv[m.Conversation], i)
	}
	// Group deliveries point into messages too: a deleted message's
	// deliveries go with it (as ON DELETE CASCADE does in SQLite).
	for member, idx := range s.grp.owed {
		var moved []int
		for _, i := range idx {
			if j := newIndex[i]; j >= 0 {
				moved = append(moved, j)
			}
		}
		if len(moved) == 0 {
			delete(s.grp.owed, member)
		} else {
			s.grp.owed[member] = moved
		}
	}
	return n, nil
}

// Vacuum does nothing in memory: deleted messages are already gone.
func (s *Memory) Vacuum() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return nil
}

// MessagesAround returns message id with up to n messages before and n
// after it in its conversation, oldest first, or ErrNotFound.
func (s *Memory) MessagesAround(conversation, id string, n int) ([]contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	i, ok := s.byID[id]
	if !ok || s.messages[i].Conversation != conversation {
		return nil, ErrNotFound
	}
	idx := s.byConv[conversation]
	pos := 0
	for pos < len(idx) && idx[pos] != i {
		pos++
	}
	lo, hi := max(0, pos-max(n, 0)), min(len(idx), pos+max(n, 0)+1)
	out := make([]contacts.Message, 0, hi-lo)
	for _, j := range idx[lo:hi] {
		out = append(out, s.messages[j].Message)
	}
	return out, nil
}
