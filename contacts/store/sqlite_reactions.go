package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

// SetReaction implements Store.
func (s *SQLite) SetReaction(messageID, who, emoji string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return false, ErrClosed
	}
	n, err := queryAll(s, func(st *sqlite3.Stmt) int { return st.ColumnInt(0) },
		"SELECT count(*) FROM messages WHERE id = ?", messageID)
	if err != nil {
		return false, fmt.Errorf("reacting: %w", err)
	}
	if len(n) == 0 || n[0] == 0 {
		return false, ErrNotFound
	}
	if err := s.exec(`INSERT INTO reactions (message_id, who, emoji, at, pending) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (message_id, who) DO UPDATE SET emoji = excluded.emoji, at = excluded.at, pending = excluded.pending
		WHERE excluded.at > reactions.at`, messageID, who, emoji, unixNano(at), who == ""); err != nil {
		return false, fmt.Errorf("reacting: %w", err)
	}
	return s.conn.Changes() > 0, nil
}

func scanReaction(st *sqlite3.Stmt) contacts.Reaction {
	return contacts.Reaction{MessageID: st.ColumnText(0), From: st.ColumnText(1), Emoji: st.ColumnText(2), At: fromUnixNano(st.ColumnInt64(3))}
}

// Reactions implements Store.
func (s *SQLite) Reactions(messageIDs []string) ([]contacts.Reaction, error) {
	if len(messageIDs) == 0 {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, ErrClosed
	}
	var out []contacts.Reaction
	const batch = 200 // SQLite's bound parameters
	for len(messageIDs) > 0 {
		ids := messageIDs[:min(batch, len(messageIDs))]
		messageIDs = messageIDs[len(ids):]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rs, err := queryAll(s, scanReaction, `SELECT message_id, who, emoji, at FROM reactions
			WHERE emoji != '' AND message_id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY at`, args...)
		if err != nil {
			return nil, fmt.Errorf("reading reactions: %w", err)
		}
		out = append(out, rs...)
	}
	return out, nil
}

// PendingReactions implements Store.
func (s *SQLite) PendingReactions(conversation string) ([]contacts.Reaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, ErrClosed
	}
	return queryAll(s, scanReaction, `SELECT r.message_id, r.who, r.emoji, r.at FROM reactions r
		JOIN messages m ON m.id = r.message_id
		WHERE r.who = '' AND r.pending AND m.conversation = ? ORDER BY r.at`, conversation)
}

// ReactionSent implements Store.
func (s *SQLite) ReactionSent(messageID string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return ErrClosed
	}
	return s.exec("UPDATE reactions SET pending = 0 WHERE message_id = ? AND who = '' AND at = ?", messageID, unixNano(at))
}
