package store

import (
	"encoding/json"
	"fmt"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

// Setting returns the value stored under key, or ErrNotFound.
func (s *SQLite) Setting(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stmt("SELECT value FROM settings WHERE key = ?")
	if err != nil {
		return nil, err
	}
	defer release(st)
	if err := st.BindText(1, key); err != nil {
		return nil, err
	}
	if !st.Step() {
		if err := st.Err(); err != nil {
			return nil, mapErr(err)
		}
		return nil, ErrNotFound
	}
	return st.ColumnBlob(0, []byte{}), nil
}

// SetSetting stores value under key, replacing any previous value. A nil
// value is stored as an empty one.
func (s *SQLite) SetSetting(key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exec("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", key, value)
}

const contactColumns = "peer_id, name, notes, addrs, state, message, added_at, labels, verified, blocked_from"

func scanContact(st *sqlite3.Stmt) (contacts.Contact, error) {
	c := contacts.Contact{
		PeerID:  st.ColumnText(0),
		Name:    st.ColumnText(1),
		Notes:   st.ColumnText(2),
		State:   contacts.State(st.ColumnInt(4)),
		Message: st.ColumnText(5),
		AddedAt: fromUnixNano(st.ColumnInt64(6)),

		Verified:    st.ColumnBool(8),
		BlockedFrom: contacts.State(st.ColumnInt(9)),
	}
	if err := json.Unmarshal(st.ColumnRawText(3), &c.Addrs); err != nil {
		return c, fmt.Errorf("reading addresses of %s: %w", c.PeerID, err)
	}
	if len(c.Addrs) == 0 {
		c.Addrs = nil
	}
	if err := json.Unmarshal(st.ColumnRawText(7), &c.Labels); err != nil {
		return c, fmt.Errorf("reading labels of %s: %w", c.PeerID, err)
	}
	if len(c.Labels) == 0 {
		c.Labels = nil
	}
	return c, nil
}

// Contacts returns every contact, sorted by name (case-insensitively), then
// by peer ID.
func (s *SQLite) Contacts() ([]contacts.Contact, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stmt("SELECT " + contactColumns + " FROM contacts")
	if err != nil {
		return nil, err
	}
	defer release(st)
	var out []contacts.Contact
	for st.Step() {
		c, err := scanContact(st)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := st.Err(); err != nil {
		return nil, mapErr(err)
	}
	sortContacts(out)
	return out, nil
}

// Contact returns one contact, or ErrNotFound.
func (s *SQLite) Contact(peerID string) (contacts.Contact, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.stmt("SELECT " + contactColumns + " FROM contacts WHERE peer_id = ?")
	if err != nil {
		return contacts.Contact{}, err
	}
	defer release(st)
	if err := st.BindText(1, peerID); err != nil {
		return contacts.Contact{}, err
	}
	if !st.Step() {
		if err := st.Err(); err != nil {
			return contacts.Contact{}, mapErr(err)
		}
		return contacts.Contact{}, ErrNotFound
	}
	return scanContact(st)
}

// PutContact inserts c, or replaces the contact with the same peer ID.
func (s *SQLite) PutContact(c contacts.Contact) error {
	if c.PeerID == "" {
		return fmt.Errorf("contact without a peer ID: %w", ErrInvalid)
	}
	addrs := c.Addrs
	if addrs == nil {
		addrs = []string{}
	}
	js, err := json.Marshal(addrs)
	if err != nil {
		return err
	}
	labels := c.Labels
	if labels == nil {
		labels = []string{}
	}
	ljs, err := json.Marshal(labels)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exec("INSERT OR REPLACE INTO contacts ("+contactColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.PeerID, c.Name, c.Notes, string(js), int(c.State), c.Message, unixNano(c.AddedAt),
		string(ljs), c.Verified, int(c.BlockedFrom))
}

// DeleteContact removes a contact (but not the conversation), or returns
// ErrNotFound.
func (s *SQLite) DeleteContact(peerID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.exec("DELETE FROM contacts WHERE peer_id = ?", peerID); err != nil {
		return err
	}
	if s.conn.Changes() == 0 {
		return ErrNotFound
	}
	return nil
}

// AddInvite stores a new invite secret. Adding a secret that is already
// stored changes nothing (in particular, a used secret stays used).
func (s *SQLite) AddInvite(inv contacts.Invite) error {
	if inv.Secret == "" {
		return fmt.Errorf("invite without a secret: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exec("INSERT OR IGNORE INTO invites (secret, created_at, used) VALUES (?, ?, ?)",
		inv.Secret, unixNano(inv.CreatedAt), inv.Used)
}

// UseInvite marks secret used and reports whether it was stored and unused.
func (s *SQLite) UseInvite(secret string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.exec("UPDATE invites SET used = 1 WHERE secret = ? AND NOT used", secret); err != nil {
		return false, err
	}
	return s.conn.Changes() == 1, nil
}
