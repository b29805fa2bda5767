package store

import (
	"fmt"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

const transferColumns = "id, conversation, outgoing, name, size, mime, sha256, path, done, state, reason, scan, signature, voice_note, created_at, updated_at, sender, recipients"

// activeStates lists, for SQL, the states of a transfer still under way
// (Offered, Transferring, Paused, Verifying), which ActiveTransfers
// returns. It must match the partial index transfers_active (migration 2)
// for the index to be used.
const activeStates = "(0, 1, 2, 3)"

func scanTransfer(st *sqlite3.Stmt) contacts.Transfer {
	return contacts.Transfer{
		ID:           st.ColumnText(0),
		Conversation: st.ColumnText(1),
		Outgoing:     st.ColumnBool(2),
		Name:         st.ColumnText(3),
		Size:         st.ColumnInt64(4),
		MIME:         st.ColumnText(5),
		SHA256:       st.ColumnText(6),
		Path:         st.ColumnText(7),
		Done:         st.ColumnInt64(8),
		State:        contacts.TransferState(st.ColumnInt(9)),
		Reason:       st.ColumnText(10),
		Scan:         contacts.ScanResult(st.ColumnInt(11)),
		Signature:    st.ColumnText(12),
		VoiceNote:    st.ColumnBool(13),
		CreatedAt:    fromUnixNano(st.ColumnInt64(14)),
		UpdatedAt:    fromUnixNano(st.ColumnInt64(15)),
		Sender:       st.ColumnText(16),
		Recipients:   decodeRecipients(st.ColumnText(17)),
	}
}

// PutTransfer inserts t, or replaces every field of the transfer with the
// same ID; a replaced transfer keeps its place in the insertion order.
func (s *SQLite) PutTransfer(t contacts.Transfer) error {
	if t.ID == "" {
		return fmt.Errorf("transfer without an ID: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.exec(`INSERT INTO transfers (`+transferColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			conversation = excluded.conversation, outgoing = excluded.outgoing,
			name = excluded.name, size = excluded.size, mime = excluded.mime,
			sha256 = excluded.sha256, path = excluded.path, done = excluded.done,
			state = excluded.state, reason = excluded.reason, scan = excluded.scan,
			signature = excluded.signature, voice_note = excluded.voice_note,
			created_at = excluded.created_at, updated_at = excluded.updated_at,
			sender = excluded.sender, recipients = excluded.recipients`,
		t.ID, t.Conversation, t.Outgoing, t.Name, t.Size, t.MIME, t.SHA256, t.Path,
		t.Done, int(t.State), t.Reason, int(t.Scan), t.Signature, t.VoiceNote,
		unixNano(t.CreatedAt), unixNano(t.UpdatedAt), t.Sender, encodeRecipients(t.Recipients))
	if err != nil {
		return fmt.Errorf("storing transfer: %w", err)
	}
	return nil
}

// Transfer returns one transfer, or ErrNotFound.
func (s *SQLite) Transfer(id string) (contacts.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts, err := s.queryTransfers("SELECT "+transferColumns+" FROM transfers WHERE id = ?", id)
	if err != nil {
		return contacts.Transfer{}, err
	}
	if len(ts) == 0 {
		return contacts.Transfer{}, ErrNotFound
	}
	return ts[0], nil
}

// Transfers returns a conversation's transfers, oldest first.
func (s *SQLite) Transfers(conversation string) ([]contacts.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryTransfers("SELECT "+transferColumns+" FROM transfers WHERE conversation = ? ORDER BY created_at, seq", conversation)
}

// ActiveTransfers returns the unfinished transfers of all conversations,
// oldest first.
func (s *SQLite) ActiveTransfers() ([]contacts.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryTransfers("SELECT " + transferColumns + " FROM transfers WHERE state IN " + activeStates + " ORDER BY created_at, seq")
}

// queryTransfers runs a query for transferColumns. Callers hold s.mu.
func (s *SQLite) queryTransfers(sql string, args ...any) ([]contacts.Transfer, error) {
	return queryAll(s, scanTransfer, sql, args...)
}
