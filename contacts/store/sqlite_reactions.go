package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

// SetReaction implements Store.
func (s *SQLite) SetReaction(conversation, messageID, who, emoji string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return false, ErrClosed
	}
	n, err := queryAll(s, func(st *sqlite3.Stmt) int { return st.ColumnInt(0) },
		"SELECT count(*) FROM messages WHERE conversation = ? AND id = ?", conversation, messageID)
	if err != nil {
		return false, fmt.Errorf("reacting: %w", err)
	}
	if len(n) == 0 || n[0] == 0 {
		return false, ErrNotFound
	}
	// A peer's change applies if newer. Mine always applies, a millisecond
	// after my last one at the least: two taps within a millisecond must
	// still reach the peer in order (the wire carries milliseconds).
	sql := `INSERT INTO reactions (conversation, message_id, who, emoji, at, pending) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (conversation, message_id, who) DO UPDATE SET emoji = excluded.emoji, at = excluded.at, pending = excluded.pending
		WHERE excluded.at > reactions.at`
	if who == "" {
		sql = `INSERT INTO reactions (conversation, message_id, who, emoji, at, pending) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (conversation, message_id, who) DO UPDATE SET emoji = excluded.emoji, pending = 1,
			at = max(excluded.at, reactions.at + 1000000)`
	}
	if err := s.exec(sql, conversation, messageID, who, emoji, unixNano(at), who == ""); err != nil {
		return false, fmt.Errorf("reacting: %w", err)
	}
	return s.conn.Changes() > 0, nil
}

func scanReaction(st *sqlite3.Stmt) contacts.Reaction {
	return contacts.Reaction{MessageID: st.ColumnText(0), From: st.ColumnText(1), Emoji: st.ColumnText(2), At: fromUnixNano(st.ColumnInt64(3))}
}

// Reactions implements Store.
func (s *SQLite) Reactions(conversation string, messageIDs []string) ([]contacts.Reaction, error) {
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
		args := []any{conversation}
		for _, id := range ids {
			args = append(args, id)
		}
		rs, err := queryAll(s, scanReaction, `SELECT message_id, who, emoji, at FROM reactions
			WHERE emoji != '' AND conversation = ? AND message_id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY at`, args...)
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
	return queryAll(s, scanReaction, `SELECT message_id, who, emoji, at FROM reactions
		WHERE who = '' AND pending AND conversation = ? ORDER BY at`, conversation)
}

// ReactionSent implements Store.
func (s *SQLite) ReactionSent(conversation, messageID string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return ErrClosed
	}
	return s.exec("UPDATE reactions SET pending = 0 WHERE conversation = ? AND message_id = ? AND who = '' AND at = ?",
		conversation, messageID, unixNano(at))
}
