package store

import (
	"time"

	"hearth/contacts"
)

// UndepositedGroup returns my group messages still owed to member that
// have no deposit record under key since since, oldest first.
func (s *SQLite) UndepositedGroup(member, key string, since time.Time, limit int) ([]contacts.Message, error) {
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryMessages(`SELECT `+prefixed("m.", messageColumns)+` FROM group_deliveries d
		JOIN messages m ON m.seq = d.message_seq
		WHERE d.member = ? AND NOT EXISTS (
			SELECT 1 FROM deposits p WHERE p.message_id = m.id AND p.carrier = ? AND p.at > ?)
		ORDER BY d.message_seq LIMIT ?`, member, key, unixNano(since), limit)
}
