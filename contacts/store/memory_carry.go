package store

import (
	"slices"
	"time"

	"hearth/contacts"
)

// memCarry is the Memory store's store-and-forward state. Its maps are
// made on first use; every access holds Memory.mu.
type memCarry struct {
	envelopes []contacts.Envelope             // in arrival order
	deposits  map[string]map[string]time.Time // message ID → carrier → when
}

func normalizeEnvelope(e contacts.Envelope) contacts.Envelope {
	e.Expires = fromUnixNano(unixNano(e.Expires))
	e.StoredAt = fromUnixNano(unixNano(e.StoredAt))
	e.Data = slices.Clone(e.Data)
	if len(e.Data) == 0 {
		e.Data = nil
	}
	return e
}

// AddEnvelopes stores es and reports which were new.
func (s *Memory) AddEnvelopes(es []contacts.Envelope) ([]bool, error) {
	for _, e := range es {
		if err := checkEnvelope(e); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	added := make([]bool, len(es))
	for i, e := range es {
		if slices.ContainsFunc(s.carry.envelopes, func(x contacts.Envelope) bool { return x.ID == e.ID }) {
			continue
		}
		s.carry.envelopes = append(s.carry.envelopes, normalizeEnvelope(e))
		added[i] = true
	}
	return added, nil
}

// Envelopes returns the unexpired envelopes held for recipient, oldest first.
func (s *Memory) Envelopes(recipient string, now time.Time, limit int) ([]contacts.Envelope, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Envelope
	for _, e := range s.carry.envelopes {
		if e.Recipient == recipient && unixNano(e.Expires) > unixNano(now) {
			out = append(out, normalizeEnvelope(e))
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// DeleteEnvelopes removes envelopes by ID.
func (s *Memory) DeleteEnvelopes(ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.carry.envelopes = slices.DeleteFunc(s.carry.envelopes, func(e contacts.Envelope) bool { return slices.Contains(ids, e.ID) })
	return nil
}

// DropExpiredEnvelopes deletes the envelopes expired at now.
func (s *Memory) DropExpiredEnvelopes(now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	n := len(s.carry.envelopes)
	s.carry.envelopes = slices.DeleteFunc(s.carry.envelopes, func(e contacts.Envelope) bool { return unixNano(e.Expires) <= unixNano(now) })
	return n - len(s.carry.envelopes), nil
}

// CarryUsage counts what is held for depositor and in all.
func (s *Memory) CarryUsage(depositor string) (contacts.CarryUsage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return contacts.CarryUsage{}, ErrClosed
	}
	var u contacts.CarryUsage
	for _, e := range s.carry.envelopes {
		u.TotalCount++
		u.TotalBytes += int64(len(e.Data))
		if e.Depositor == depositor {
			u.Count++
			u.Bytes += int64(len(e.Data))
		}
	}
	return u, nil
}

// MarkDeposited records that carrier took the messages at at.
func (s *Memory) MarkDeposited(carrier string, ids []string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.carry.deposits == nil {
		s.carry.deposits = make(map[string]map[string]time.Time)
	}
	for _, id := range ids {
		if s.carry.deposits[id] == nil {
			s.carry.deposits[id] = make(map[string]time.Time)
		}
		s.carry.deposits[id][carrier] = fromUnixNano(unixNano(at))
	}
	return nil
}

// Undeposited returns my undelivered messages to peerID that carrier has
// not taken since since, oldest first.
func (s *Memory) Undeposited(peerID, carrier string, since time.Time, limit int) ([]contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Message
	for _, i := range s.byConv[peerID] {
		m := s.messages[i].Message
		if !m.Outgoing || m.Status != contacts.Pending {
			continue
		}
		if at, ok := s.carry.deposits[m.ID][carrier]; ok && unixNano(at) > unixNano(since) {
			continue
		}
		out = append(out, m)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// UndepositedTransfers returns my unfinished files of at most maxSize
// bytes in conversation that key has not taken since since, oldest first.
func (s *Memory) UndepositedTransfers(conversation, key string, since time.Time, maxSize int64, limit int) ([]contacts.Transfer, error) {
	ts, err := s.selectTransfers(func(t contacts.Transfer) bool {
		return t.Conversation == conversation && t.Outgoing && t.Size <= maxSize &&
			(t.State == contacts.Offered || t.State == contacts.Transferring)
	})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []contacts.Transfer
	for _, t := range ts {
		if at, ok := s.carry.deposits[t.ID][key]; ok && unixNano(at) > unixNano(since) {
			continue
		}
		out = append(out, t)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
