package store

import (
	"time"

	"hearth/contacts"
)

// UndepositedGroup returns my group messages still owed to member that
// have no deposit record under key since since, oldest first.
func (s *Memory) UndepositedGroup(member, key string, since time.Time, limit int) ([]contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Message
	for _, i := range s.grp.owed[member] {
		m := s.messages[i].Message
		if at, ok := s.carry.deposits[m.ID][key]; ok && unixNano(at) > unixNano(since) {
			continue
		}
		out = append(out, m)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
