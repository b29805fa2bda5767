package store

import (
	"fmt"
	"time"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

const envelopeColumns = "id, recipient, depositor, data, expires_at, stored_at"

func scanEnvelope(st *sqlite3.Stmt) contacts.Envelope {
	return contacts.Envelope{
		ID:        st.ColumnText(0),
		Recipient: st.ColumnText(1),
		Depositor: st.ColumnText(2),
		Data:      st.ColumnBlob(3, nil),
		Expires:   fromUnixNano(st.ColumnInt64(4)),
		StoredAt:  fromUnixNano(st.ColumnInt64(5)),
	}
}

// AddEnvelopes stores es in one transaction and reports which were new.
func (s *SQLite) AddEnvelopes(es []contacts.Envelope) ([]bool, error) {
	for _, e := range es {
		if err := checkEnvelope(e); err != nil {
			return nil, err
		}
	}
	added := make([]bool, len(es))
	err := s.writeEach("storing envelopes", len(es), func(i int) error {
		e := es[i]
		err := s.exec("INSERT OR IGNORE INTO envelopes ("+envelopeColumns+", size) VALUES (?, ?, ?, ?, ?, ?, ?)",
			e.ID, e.Recipient, e.Depositor, e.Data, unixNano(e.Expires), unixNano(e.StoredAt), len(e.Data))
		added[i] = err == nil && s.conn.Changes() == 1
		return err
	})
	if err != nil {
		return nil, err
	}
	return added, nil
}

// Envelopes returns the unexpired envelopes held for recipient, oldest first.
func (s *SQLite) Envelopes(recipient string, now time.Time, limit int) ([]contacts.Envelope, error) {
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return queryAll(s, scanEnvelope, "SELECT "+envelopeColumns+
		" FROM envelopes WHERE recipient = ? AND expires_at > ? ORDER BY seq LIMIT ?",
		recipient, unixNano(now), limit)
}

// DeleteEnvelopes removes envelopes by ID in one transaction.
func (s *SQLite) DeleteEnvelopes(ids []string) error {
	return s.writeEach("deleting envelopes", len(ids), func(i int) error {
		return s.exec("DELETE FROM envelopes WHERE id = ?", ids[i])
	})
}

// DropExpiredEnvelopes deletes the envelopes expired at now.
func (s *SQLite) DropExpiredEnvelopes(now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.exec("DELETE FROM envelopes WHERE expires_at <= ?", unixNano(now)); err != nil {
		return 0, fmt.Errorf("dropping expired envelopes: %w", err)
	}
	return int(s.conn.Changes()), nil
}

// CarryUsage counts what is held for depositor and in all.
func (s *SQLite) CarryUsage(depositor string) (contacts.CarryUsage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, err := queryAll(s, func(st *sqlite3.Stmt) contacts.CarryUsage {
		return contacts.CarryUsage{
			Count: st.ColumnInt(0), Bytes: st.ColumnInt64(1),
			TotalCount: st.ColumnInt(2), TotalBytes: st.ColumnInt64(3),
		}
	}, `SELECT
		(SELECT count(*) FROM envelopes WHERE depositor = ?),
		(SELECT coalesce(sum(size), 0) FROM envelopes WHERE depositor = ?),
		count(*), coalesce(sum(size), 0) FROM envelopes`, depositor, depositor)
	if err != nil {
		return contacts.CarryUsage{}, err
	}
	return rows[0], nil
}

// MarkDeposited records that carrier took the messages at at.
func (s *SQLite) MarkDeposited(carrier string, ids []string, at time.Time) error {
	return s.writeEach("recording deposits", len(ids), func(i int) error {
		return s.exec("INSERT OR REPLACE INTO deposits (message_id, carrier, at) VALUES (?, ?, ?)", ids[i], carrier, unixNano(at))
	})
}

// Undeposited returns my undelivered messages to peerID that carrier has
// not taken since since, oldest first.
func (s *SQLite) Undeposited(peerID, carrier string, since time.Time, limit int) ([]contacts.Message, error) {
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryMessages(`SELECT `+messageColumns+` FROM messages
		WHERE conversation = ? AND outgoing AND status = 0 AND NOT EXISTS (
			SELECT 1 FROM deposits d WHERE d.message_id = messages.id AND d.carrier = ? AND d.at > ?)
		ORDER BY seq LIMIT ?`, peerID, carrier, unixNano(since), limit)
}

// UndepositedTransfers returns my unfinished files of at most maxSize
// bytes in conversation that key has not taken since since, oldest first.
func (s *SQLite) UndepositedTransfers(conversation, key string, since time.Time, maxSize int64, limit int) ([]contacts.Transfer, error) {
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryTransfers(`SELECT `+transferColumns+` FROM transfers
		WHERE conversation = ? AND outgoing AND state IN (?, ?) AND size <= ? AND NOT EXISTS (
			SELECT 1 FROM deposits d WHERE d.message_id = transfers.id AND d.carrier = ? AND d.at > ?)
		ORDER BY created_at, seq LIMIT ?`, conversation, int(contacts.Offered), int(contacts.Transferring), maxSize, key, unixNano(since), limit)
}

// checkEnvelope refuses what cannot be stored.
func checkEnvelope(e contacts.Envelope) error {
	if e.ID == "" || e.Recipient == "" {
		return fmt.Errorf("envelope without an ID or recipient: %w", ErrInvalid)
	}
	return nil
}
