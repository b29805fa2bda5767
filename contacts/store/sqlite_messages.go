package store

import (
	"fmt"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

const messageColumns = "id, conversation, sender, body, sent_at, received_at, status, outgoing, read, reply_to, edited_at, deleted"

const insertMessage = "INSERT OR IGNORE INTO messages (" + messageColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

func scanMessage(st *sqlite3.Stmt) contacts.Message {
	return contacts.Message{
		ID:           st.ColumnText(0),
		Conversation: st.ColumnText(1),
		From:         st.ColumnText(2),
		Body:         st.ColumnText(3),
		SentAt:       fromUnixNano(st.ColumnInt64(4)),
		ReceivedAt:   fromUnixNano(st.ColumnInt64(5)),
		Status:       contacts.Status(st.ColumnInt(6)),
		Outgoing:     st.ColumnBool(7),
		Read:         st.ColumnBool(8),
		ReplyTo:      st.ColumnText(9),
		Edited:       fromUnixNano(st.ColumnInt64(10)),
		Deleted:      st.ColumnBool(11),
	}
}

// addMessage inserts m in the current transaction (or its own) and reports
// whether it was new. Callers hold s.mu.
func (s *SQLite) addMessage(m contacts.Message) (bool, error) {
	if m.ID == "" {
		return false, fmt.Errorf("message without an ID: %w", ErrInvalid)
	}
	err := s.exec(insertMessage, m.ID, m.Conversation, m.From, m.Body,
		unixNano(m.SentAt), unixNano(m.ReceivedAt), int(m.Status), m.Outgoing, m.Read,
		m.ReplyTo, unixNano(m.Edited), m.Deleted)
	if err != nil {
		return false, err
	}
	return s.conn.Changes() == 1, nil
}

// AddMessage stores m and commits before it returns. It reports false, and
// changes nothing, when the same author's message with that ID is already
// stored in that conversation.
func (s *SQLite) AddMessage(m contacts.Message) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return false, ErrClosed
	}
	ok, err := s.addMessage(m)
	if err != nil {
		return false, fmt.Errorf("storing message: %w", err)
	}
	if ok {
		s.kickIndexer()
	}
	return ok, nil
}

// AddMessages stores ms in one transaction, committed before it returns,
// and reports for each message whether it was new (a repeated ID, in the
// store or earlier in ms, gives false). Either all are stored or, on error,
// none.
func (s *SQLite) AddMessages(ms []contacts.Message) (_ []bool, err error) {
	for _, m := range ms {
		if m.ID == "" {
			return nil, fmt.Errorf("message without an ID: %w", ErrInvalid)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, ErrClosed
	}
	if len(ms) == 0 {
		return []bool{}, nil
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return nil, fmt.Errorf("storing messages: %w", mapErr(err))
	}
	defer tx.End(&err)
	inserted := make([]bool, len(ms))
	for i, m := range ms {
		if inserted[i], err = s.addMessage(m); err != nil {
			return nil, fmt.Errorf("storing messages: %w", err)
		}
	}
	s.kickIndexer()
	return inserted, nil
}

// writeEach runs write(0) … write(n-1) in one immediate transaction under
// s.mu: all of them or, on the first error, none. n == 0 writes nothing.
// what names the work in errors.
func (s *SQLite) writeEach(what string, n int, write func(i int) error) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return ErrClosed
	}
	if n == 0 {
		return nil
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return fmt.Errorf("%s: %w", what, mapErr(err))
	}
	defer tx.End(&err)
	for i := range n {
		if err := write(i); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

// queryAll runs a query and scans every row with scan. Callers hold s.mu.
func queryAll[T any](s *SQLite, scan func(*sqlite3.Stmt) T, sql string, args ...any) ([]T, error) {
	st, err := s.stmt(sql)
	if err != nil {
		return nil, err
	}
	defer release(st)
	if err := bind(st, args); err != nil {
		return nil, err
	}
	var out []T
	for st.Step() {
		out = append(out, scan(st))
	}
	if err := st.Err(); err != nil {
		return nil, mapErr(err)
	}
	return out, nil
}

func (s *SQLite) queryMessages(sql string, args ...any) ([]contacts.Message, error) {
	return queryAll(s, scanMessage, sql, args...)
}

// Messages returns the last limit messages of a conversation in the order
// they were stored, oldest first. A limit of zero or less means all.
func (s *SQLite) Messages(conversation string, limit int) ([]contacts.Message, error) {
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryMessages(`SELECT `+messageColumns+` FROM (
		SELECT seq, `+messageColumns+` FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?
	) ORDER BY seq`, conversation, limit)
}

// Outbox returns my undelivered messages to peerID, oldest first.
func (s *SQLite) Outbox(peerID string, limit int) ([]contacts.Message, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryMessages(`SELECT `+messageColumns+` FROM messages
		WHERE conversation = ? AND outgoing AND status = 0 ORDER BY seq LIMIT ?`, peerID, limit)
}

// SetStatuses changes the status of several of my messages in one
// transaction. Statuses are mine to keep: a peer's message that shares an
// ID with one of mine is never touched.
func (s *SQLite) SetStatuses(ids []string, st contacts.Status) error {
	return s.writeEach("updating messages", len(ids), func(i int) error {
		return s.exec("UPDATE messages SET status = ? WHERE id = ? AND outgoing", int(st), ids[i])
	})
}

// SetStatus changes a message's delivery status, or returns ErrNotFound.
func (s *SQLite) SetStatus(messageID string, st contacts.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.exec("UPDATE messages SET status = ? WHERE id = ? AND outgoing", int(st), messageID); err != nil {
		return err
	}
	if s.conn.Changes() == 0 {
		// Either no such message, or the status was already st; only the
		// former is an error.
		var exists bool
		row, err := s.stmt("SELECT 1 FROM messages WHERE id = ? AND outgoing")
		if err != nil {
			return err
		}
		defer release(row)
		if err := row.BindText(1, messageID); err != nil {
			return err
		}
		exists = row.Step()
		if err := row.Err(); err != nil {
			return mapErr(err)
		}
		if !exists {
			return ErrNotFound
		}
	}
	return nil
}

// MarkRead marks every message of a conversation read.
func (s *SQLite) MarkRead(conversation string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exec("UPDATE messages SET read = 1 WHERE conversation = ? AND NOT read", conversation)
}

// Unread counts the received messages of a conversation not yet read.
func (s *SQLite) Unread(conversation string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stmt("SELECT count(*) FROM messages WHERE conversation = ? AND NOT outgoing AND NOT read")
	if err != nil {
		return 0, err
	}
	defer release(st)
	if err := st.BindText(1, conversation); err != nil {
		return 0, err
	}
	if !st.Step() {
		return 0, mapErr(st.Err())
	}
	return st.ColumnInt(0), nil
}

// Search finds the messages whose bodies contain every word of query (each
// word also matches as a prefix: "hol" finds "holiday"), case- and
// accent-insensitively, newest first. Any text is a valid query: only its
// words are used, so punctuation and FTS5 operators are ignored. A query
// without words returns nothing. A limit of zero or less means all.
func (s *SQLite) Search(query string, limit int) ([]contacts.Message, error) {
	terms := searchTerms(query)
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, ErrClosed
	}
	if len(terms) == 0 {
		return nil, nil
	}
	if err := s.indexAll(); err != nil {
		return nil, err
	}
	return s.search(terms, limit) // search.go
}
