package store

import (
	"fmt"
	"time"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

// This file holds the archive side of the SQLite store: retention (deleting
// old messages for good) and reading a message in its context.

// DeleteMessagesBefore deletes the messages of a conversation stored
// (ReceivedAt) before cutoff, their full-text index entries included, and
// reports how many went. Undelivered messages of mine stay: they have not
// reached the other person yet. Call Vacuum afterwards so the freed pages
// are gone from the file too.
func (s *SQLite) DeleteMessagesBefore(conversation string, cutoff time.Time) (n int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return 0, ErrClosed
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return 0, fmt.Errorf("deleting old messages: %w", mapErr(err))
	}
	defer tx.End(&err)
	// The delete trigger removes indexed rows from messages_fts; rows not
	// yet indexed are simply never indexed.
	if err := s.exec(`DELETE FROM messages WHERE conversation = ? AND received_at < ?
		AND NOT (outgoing AND status = 0)`, conversation, unixNano(cutoff)); err != nil {
		return 0, fmt.Errorf("deleting old messages: %w", err)
	}
	return int(s.conn.Changes()), nil
}

// Vacuum rewrites the database file without free pages, so deleted
// messages no longer exist anywhere in it (nor in the write-ahead log,
// which is checkpointed and truncated first and after).
func (s *SQLite) Vacuum() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return ErrClosed
	}
	// Merge the full-text index's segments: a deleted row otherwise lives
	// on in an old segment until the next automatic merge.
	for _, q := range []string{
		"INSERT INTO messages_fts (messages_fts) VALUES ('optimize')",
		"PRAGMA wal_checkpoint(TRUNCATE)",
		"VACUUM",
		"PRAGMA wal_checkpoint(TRUNCATE)",
	} {
		if err := s.conn.Exec(q); err != nil {
			return fmt.Errorf("compacting database (%s): %w", q, mapErr(err))
		}
	}
	return nil
}

// MessagesAround returns a conversation's message id with up to n messages
// before and n after it, oldest first, or ErrNotFound.
func (s *SQLite) MessagesAround(conversation, id string, n int) ([]contacts.Message, error) {
	if n < 0 {
		n = 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, ErrClosed
	}
	at, err := queryAll(s, func(st *sqlite3.Stmt) int64 { return st.ColumnInt64(0) },
		"SELECT seq FROM messages WHERE id = ? AND conversation = ?", id, conversation)
	if err != nil {
		return nil, err
	}
	if len(at) == 0 {
		return nil, ErrNotFound
	}
	return s.queryMessages(`SELECT `+messageColumns+` FROM (
		SELECT * FROM (SELECT seq, `+messageColumns+` FROM messages
			WHERE conversation = ? AND seq < ? ORDER BY seq DESC LIMIT ?)
		UNION ALL
		SELECT * FROM (SELECT seq, `+messageColumns+` FROM messages
			WHERE conversation = ? AND seq >= ? ORDER BY seq LIMIT ?)
	) ORDER BY seq`, conversation, at[0], n, conversation, at[0], n+1)
}
