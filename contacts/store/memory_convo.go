package store

import (
	"time"

	"hearth/contacts"
)

// memReceipt is the read receipt of one conversation.
type memReceipt struct {
	messageID string
	pending   bool
}

// UnreadCounts returns the unread received messages per conversation.
func (s *Memory) UnreadCounts() (map[string]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	out := map[string]int{}
	for _, m := range s.messages {
		if !m.Outgoing && !m.Read {
			out[m.Conversation]++
		}
	}
	return out, nil
}

// Message returns one message, or ErrNotFound.
func (s *Memory) Message(id string) (contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return contacts.Message{}, ErrClosed
	}
	i, ok := s.byID[id]
	if !ok {
		return contacts.Message{}, ErrNotFound
	}
	return s.messages[i].Message, nil
}

// find returns the stored message with id; callers hold s.mu.
func (s *Memory) find(id string) (*memMessage, error) {
	if s.closed {
		return nil, ErrClosed
	}
	i, ok := s.byID[id]
	if !ok {
		return nil, ErrNotFound
	}
	return &s.messages[i], nil
}

// EditMessage replaces the body of a message not deleted and last changed
// before at.
func (s *Memory) EditMessage(id, body string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err != nil {
		return false, err
	}
	at = fromUnixNano(unixNano(at))
	if m.Deleted || unixNano(m.Edited) >= unixNano(at) {
		return false, nil
	}
	m.Body, m.words, m.Edited = body, words(body), at
	m.updatePending = m.Outgoing
	return true, nil
}

// DeleteMessage empties a message's body and drops it from Search.
func (s *Memory) DeleteMessage(id string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err != nil {
		return false, err
	}
	if m.Deleted {
		return false, nil
	}
	m.Body, m.words, m.Deleted = "", nil, true
	if unixNano(at) > unixNano(m.Edited) {
		m.Edited = fromUnixNano(unixNano(at))
	}
	m.updatePending = m.Outgoing
	return true, nil
}

// PendingUpdates returns my changed messages to peerID not yet acknowledged.
func (s *Memory) PendingUpdates(peerID string, limit int) ([]contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Message
	for _, i := range s.byConv[peerID] {
		if s.messages[i].updatePending {
			out = append(out, s.messages[i].Message)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// UpdateSent clears the pending flag if the message's last change is at.
func (s *Memory) UpdateSent(id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.find(id)
	if err == ErrNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if unixNano(m.Edited) == unixNano(at) {
		m.updatePending = false
	}
	return nil
}

// MarkReadUpTo marks Read my delivered messages up to messageID.
func (s *Memory) MarkReadUpTo(conversation, messageID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	last, ok := s.byID[messageID]
	if !ok || s.messages[last].Conversation != conversation || !s.messages[last].Outgoing {
		return nil, nil
	}
	var ids []string
	for _, i := range s.byConv[conversation] {
		if i > last {
			break
		}
		if m := &s.messages[i]; m.Outgoing && (m.Status == contacts.Delivered || i == last && m.Status == contacts.Pending) {
			m.Status = contacts.Read
			ids = append(ids, m.ID)
		}
	}
	return ids, nil
}

// QueueReadReceipt queues a receipt for the newest received message.
func (s *Memory) QueueReadReceipt(conversation string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", false, ErrClosed
	}
	idx := s.byConv[conversation]
	for j := len(idx) - 1; j >= 0; j-- {
		m := s.messages[idx[j]]
		if m.Outgoing {
			continue
		}
		if s.receipts == nil {
			s.receipts = map[string]memReceipt{}
		}
		if r, ok := s.receipts[conversation]; ok && r.messageID == m.ID {
			return m.ID, false, nil
		}
		s.receipts[conversation] = memReceipt{messageID: m.ID, pending: true}
		return m.ID, true, nil
	}
	return "", false, nil
}

// PendingReadReceipt returns the queued receipt of a conversation, or "".
func (s *Memory) PendingReadReceipt(conversation string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", ErrClosed
	}
	if r := s.receipts[conversation]; r.pending {
		return r.messageID, nil
	}
	return "", nil
}

// ReadReceiptSent clears the queued receipt if it is still messageID.
func (s *Memory) ReadReceiptSent(conversation, messageID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if r, ok := s.receipts[conversation]; ok && r.messageID == messageID {
		r.pending = false
		s.receipts[conversation] = r
	}
	return nil
}
