package store

import (
	"fmt"
	"time"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

// UnreadCounts returns the unread received messages per conversation, for
// every conversation that has any, in one query over the unread index.
func (s *SQLite) UnreadCounts() (map[string]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	type row struct {
		conv string
		n    int
	}
	rows, err := queryAll(s, func(st *sqlite3.Stmt) row { return row{st.ColumnText(0), st.ColumnInt(1)} },
		"SELECT conversation, count(*) FROM messages WHERE NOT outgoing AND NOT read GROUP BY conversation")
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.conv] = r.n
	}
	return out, nil
}

// Message returns one message, or ErrNotFound. Of several with that ID
// (only a peer reusing someone else's ID makes them), mine comes first,
// then the one stored first.
func (s *SQLite) Message(id string) (contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.oneMessage("SELECT "+messageColumns+" FROM messages WHERE id = ? ORDER BY outgoing DESC, seq LIMIT 1", id)
}

// MessageIn returns the message id of a conversation written by from (a
// peer ID, mine included; "" for any author, mine first), or ErrNotFound.
func (s *SQLite) MessageIn(conversation, from, id string) (contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.oneMessage("SELECT "+messageColumns+` FROM messages
		WHERE conversation = ? AND id = ? AND (? = '' OR sender = ?) ORDER BY outgoing DESC, seq LIMIT 1`,
		conversation, id, from, from)
}

// oneMessage runs a query for at most one message. Callers hold s.mu.
func (s *SQLite) oneMessage(sql string, args ...any) (contacts.Message, error) {
	ms, err := s.queryMessages(sql, args...)
	if err != nil {
		return contacts.Message{}, err
	}
	if len(ms) == 0 {
		return contacts.Message{}, ErrNotFound
	}
	return ms[0], nil
}

// change runs one UPDATE of the message key names and reports whether it
// changed a row; when it did not, it tells an unknown message
// (ErrNotFound) from a change that did not apply. Callers hold s.mu.
func (s *SQLite) change(key contacts.MessageKey, sql string, args ...any) (bool, error) {
	if s.conn == nil {
		return false, ErrClosed
	}
	if err := s.exec(sql, args...); err != nil {
		return false, err
	}
	if s.conn.Changes() > 0 {
		s.kickIndexer()
		return true, nil
	}
	ms, err := s.queryMessages("SELECT "+messageColumns+" FROM messages WHERE conversation = ? AND sender = ? AND id = ?",
		key.Conversation, key.From, key.ID)
	if err != nil {
		return false, err
	}
	if len(ms) == 0 {
		return false, ErrNotFound
	}
	return false, nil
}

// EditMessage replaces the body of a message that is not deleted and whose
// last change is older than at. The messages_fts_update trigger moves an
// indexed message's words in the search index.
func (s *SQLite) EditMessage(key contacts.MessageKey, body string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok, err := s.change(key, `UPDATE messages SET body = ?, edited_at = ?, update_pending = outgoing
		WHERE conversation = ? AND sender = ? AND id = ? AND NOT deleted AND edited_at < ?`,
		body, unixNano(at), key.Conversation, key.From, key.ID, unixNano(at))
	if err != nil {
		return false, fmt.Errorf("editing message: %w", err)
	}
	return ok, nil
}

// DeleteMessage empties a message's body; the messages_fts_update trigger
// takes its words out of the search index. SQLite's secure_delete is on
// for the statement, so the old text is overwritten in the page rather
// than left in its free space.
func (s *SQLite) DeleteMessage(key contacts.MessageKey, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if restore, err := s.secureDelete(); err == nil {
		defer restore()
	}
	ok, err := s.change(key, `UPDATE messages SET body = '', deleted = 1, edited_at = max(edited_at, ?),
		update_pending = outgoing WHERE conversation = ? AND sender = ? AND id = ? AND NOT deleted`,
		unixNano(at), key.Conversation, key.From, key.ID)
	if err != nil {
		return false, fmt.Errorf("deleting message: %w", err)
	}
	return ok, nil
}

// PendingUpdates returns my changed messages to peerID not yet acknowledged.
func (s *SQLite) PendingUpdates(peerID string, limit int) ([]contacts.Message, error) {
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryMessages(`SELECT `+messageColumns+` FROM messages
		WHERE conversation = ? AND update_pending ORDER BY seq LIMIT ?`, peerID, limit)
}

// UpdateSent clears the pending flag if the message's last change is at.
func (s *SQLite) UpdateSent(id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exec("UPDATE messages SET update_pending = 0 WHERE id = ? AND outgoing AND edited_at = ?", id, unixNano(at))
}

// MarkReadUpTo marks Read my delivered messages up to messageID, and
// messageID itself even if its ack was lost.
func (s *SQLite) MarkReadUpTo(conversation, messageID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return queryAll(s, func(st *sqlite3.Stmt) string { return st.ColumnText(0) },
		`UPDATE messages SET status = ? WHERE conversation = ? AND outgoing AND (status = ? OR (id = ? AND status = ?))
		AND seq <= (SELECT seq FROM messages WHERE id = ? AND conversation = ? AND outgoing)
		RETURNING id`, int(contacts.Read), conversation, int(contacts.Delivered), messageID, int(contacts.Pending),
		messageID, conversation)
}

// QueueReadReceipt queues a receipt for the newest received message.
func (s *SQLite) QueueReadReceipt(conversation string) (_ string, _ bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return "", false, ErrClosed
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return "", false, mapErr(err)
	}
	defer tx.End(&err)
	newest, err := queryAll(s, func(st *sqlite3.Stmt) string { return st.ColumnText(0) },
		"SELECT id FROM messages WHERE conversation = ? AND NOT outgoing ORDER BY seq DESC LIMIT 1", conversation)
	if err != nil || len(newest) == 0 {
		return "", false, err
	}
	if err := s.exec(`INSERT INTO read_receipts (conversation, message_id, pending) VALUES (?, ?, 1)
		ON CONFLICT (conversation) DO UPDATE SET message_id = excluded.message_id, pending = 1
		WHERE message_id != excluded.message_id`, conversation, newest[0]); err != nil {
		return "", false, err
	}
	return newest[0], s.conn.Changes() > 0, nil
}

// PendingReadReceipt returns the queued receipt of a conversation, or "".
func (s *SQLite) PendingReadReceipt(conversation string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, err := queryAll(s, func(st *sqlite3.Stmt) string { return st.ColumnText(0) },
		"SELECT message_id FROM read_receipts WHERE conversation = ? AND pending", conversation)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// ReadReceiptSent clears the queued receipt if it is still messageID.
func (s *SQLite) ReadReceiptSent(conversation, messageID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exec("UPDATE read_receipts SET pending = 0 WHERE conversation = ? AND message_id = ?", conversation, messageID)
}

// secureDelete turns PRAGMA secure_delete on and returns what puts the
// previous value back. Callers hold s.mu.
func (s *SQLite) secureDelete() (restore func(), err error) {
	if s.conn == nil {
		return nil, ErrClosed
	}
	prev, err := queryAll(s, func(st *sqlite3.Stmt) int { return st.ColumnInt(0) }, "PRAGMA secure_delete")
	if err != nil || len(prev) != 1 {
		return nil, fmt.Errorf("reading secure_delete: %v", err)
	}
	if prev[0] == 1 {
		return func() {}, nil
	}
	if err := s.conn.Exec("PRAGMA secure_delete=ON"); err != nil {
		return nil, mapErr(err)
	}
	return func() { s.conn.Exec(fmt.Sprintf("PRAGMA secure_delete=%d", prev[0])) }, nil
}
