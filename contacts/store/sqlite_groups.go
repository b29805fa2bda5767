package store

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"hearth/contacts"
)

const groupColumns = "id, name, creator, members, version, state, signature, left_group, leave_pending, told, created_at"

// scanGroup reads a row of groupColumns; JSON that does not decode is
// reported through the error of the returned pair.
func scanGroup(st *sqlite3.Stmt) groupRow {
	g := contacts.Group{
		ID:           st.ColumnText(0),
		Name:         st.ColumnText(1),
		Creator:      st.ColumnText(2),
		Version:      uint64(st.ColumnInt64(4)),
		State:        cloneBlob(st.ColumnBlob(5, nil)),
		Signature:    cloneBlob(st.ColumnBlob(6, nil)),
		Left:         st.ColumnBool(7),
		LeavePending: st.ColumnBool(8),
		CreatedAt:    fromUnixNano(st.ColumnInt64(10)),
	}
	if err := json.Unmarshal(st.ColumnRawText(3), &g.Members); err != nil {
		return groupRow{err: fmt.Errorf("reading members of group %s: %w", g.ID, err)}
	}
	if err := json.Unmarshal(st.ColumnRawText(9), &g.Told); err != nil {
		return groupRow{err: fmt.Errorf("reading group %s: %w", g.ID, err)}
	}
	return groupRow{g: normalizeGroup(g)}
}

type groupRow struct {
	g   contacts.Group
	err error
}

// normalizeGroup gives a group the shape PutGroup stores and scanGroup
// reads: times without monotonic clock, empty slices and maps as nil, and
// nothing shared with the caller.
func normalizeGroup(g contacts.Group) contacts.Group {
	g.CreatedAt = fromUnixNano(unixNano(g.CreatedAt))
	if len(g.Members) == 0 {
		g.Members = nil
	} else {
		ms := make([]contacts.GroupMember, len(g.Members))
		for i, m := range g.Members {
			if len(m.Addrs) == 0 {
				m.Addrs = nil
			} else {
				m.Addrs = slices.Clone(m.Addrs)
			}
			ms[i] = m
		}
		g.Members = ms
	}
	g.State = cloneBlob(g.State)
	g.Signature = cloneBlob(g.Signature)
	if len(g.Told) == 0 {
		g.Told = nil
	} else {
		g.Told = maps.Clone(g.Told)
	}
	return g
}

func cloneBlob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return slices.Clone(b)
}

// sortGroups orders groups by name, case-insensitively, then by ID.
func sortGroups(gs []contacts.Group) {
	slices.SortStableFunc(gs, func(a, b contacts.Group) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func (s *SQLite) queryGroups(sql string, args ...any) ([]contacts.Group, error) {
	rows, err := queryAll(s, scanGroup, sql, args...)
	if err != nil {
		return nil, err
	}
	out := make([]contacts.Group, 0, len(rows))
	for _, r := range rows {
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.g)
	}
	return out, nil
}

// PutGroup inserts g, or replaces the group with the same ID.
func (s *SQLite) PutGroup(g contacts.Group) error {
	if g.ID == "" {
		return fmt.Errorf("group without an ID: %w", ErrInvalid)
	}
	g = normalizeGroup(g)
	members := g.Members
	if members == nil {
		members = []contacts.GroupMember{}
	}
	mjs, err := json.Marshal(members)
	if err != nil {
		return err
	}
	told := g.Told
	if told == nil {
		told = map[string]uint64{}
	}
	tjs, err := json.Marshal(told)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err = s.exec("INSERT OR REPLACE INTO groups ("+groupColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		g.ID, g.Name, g.Creator, string(mjs), int64(g.Version), g.State, g.Signature,
		g.Left, g.LeavePending, string(tjs), unixNano(g.CreatedAt))
	if err != nil {
		return fmt.Errorf("storing group: %w", err)
	}
	return nil
}

// Group returns one group, or ErrNotFound.
func (s *SQLite) Group(id string) (contacts.Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gs, err := s.queryGroups("SELECT "+groupColumns+" FROM groups WHERE id = ?", id)
	if err != nil {
		return contacts.Group{}, err
	}
	if len(gs) == 0 {
		return contacts.Group{}, ErrNotFound
	}
	return gs[0], nil
}

// Groups returns every group, by name, then ID.
func (s *SQLite) Groups() ([]contacts.Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gs, err := s.queryGroups("SELECT " + groupColumns + " FROM groups")
	if err != nil {
		return nil, err
	}
	sortGroups(gs)
	return gs, nil
}

// AddGroupMessage stores m and a pending delivery of it to each member of
// to, in one transaction.
func (s *SQLite) AddGroupMessage(m contacts.Message, to []string) (_ bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return false, ErrClosed
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return false, fmt.Errorf("storing group message: %w", mapErr(err))
	}
	defer tx.End(&err)
	ok, err := s.addMessage(m)
	if err != nil || !ok {
		return false, err
	}
	seq := s.conn.LastInsertRowID()
	for _, member := range to {
		if err := s.exec("INSERT OR IGNORE INTO group_deliveries (member, message_seq) VALUES (?, ?)", member, seq); err != nil {
			return false, fmt.Errorf("storing group message: %w", err)
		}
	}
	s.kickIndexer()
	return true, nil
}

// GroupOutbox returns my oldest messages still owed to member.
func (s *SQLite) GroupOutbox(member string, limit int) ([]contacts.Message, error) {
	if limit <= 0 {
		limit = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queryMessages(`SELECT `+prefixed("m.", messageColumns)+` FROM group_deliveries d
		JOIN messages m ON m.seq = d.message_seq
		WHERE d.member = ? ORDER BY d.message_seq LIMIT ?`, member, limit)
}

// completeDelivered marks Delivered the pending message with seq when no
// member awaits it any more, and returns its ID then. Callers hold s.mu.
func (s *SQLite) completeDelivered(seq int64) (string, bool, error) {
	if err := s.exec(`UPDATE messages SET status = ? WHERE seq = ? AND status = ?
		AND NOT EXISTS (SELECT 1 FROM group_deliveries WHERE message_seq = ?)`,
		int(contacts.Delivered), seq, int(contacts.Pending), seq); err != nil {
		return "", false, err
	}
	if s.conn.Changes() == 0 {
		return "", false, nil
	}
	ids, err := queryAll(s, func(st *sqlite3.Stmt) string { return st.ColumnText(0) }, "SELECT id FROM messages WHERE seq = ?", seq)
	if err != nil || len(ids) == 0 {
		return "", false, err
	}
	return ids[0], true, nil
}

func scanInt64(st *sqlite3.Stmt) int64 { return st.ColumnInt64(0) }

// endDeliveries deletes member's deliveries of the messages seqs in one
// transaction and completes the messages no one awaits any more.
func (s *SQLite) endDeliveries(member string, seqs func() ([]int64, error)) (done []string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, ErrClosed
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return nil, fmt.Errorf("updating group deliveries: %w", mapErr(err))
	}
	defer tx.End(&err)
	list, err := seqs()
	if err != nil {
		return nil, err
	}
	for _, seq := range list {
		if err := s.exec("DELETE FROM group_deliveries WHERE member = ? AND message_seq = ?", member, seq); err != nil {
			return nil, err
		}
		if s.conn.Changes() == 0 {
			continue
		}
		id, ok, err := s.completeDelivered(seq)
		if err != nil {
			return nil, err
		}
		if ok {
			done = append(done, id)
		}
	}
	return done, nil
}

// DoneGroupDeliveries ends member's deliveries of ids; see Store.
func (s *SQLite) DoneGroupDeliveries(member string, ids []string) ([]string, error) {
	return s.endDeliveries(member, func() ([]int64, error) {
		var seqs []int64
		for _, id := range ids {
			got, err := queryAll(s, scanInt64, "SELECT seq FROM messages WHERE id = ? AND outgoing", id)
			if err != nil {
				return nil, err
			}
			seqs = append(seqs, got...)
		}
		return seqs, nil
	})
}

// DropGroupDeliveries ends every delivery of a conversation's messages to
// member.
func (s *SQLite) DropGroupDeliveries(conversation, member string) ([]string, error) {
	return s.endDeliveries(member, func() ([]int64, error) {
		return queryAll(s, scanInt64, `SELECT d.message_seq FROM group_deliveries d
			JOIN messages m ON m.seq = d.message_seq
			WHERE d.member = ? AND m.conversation = ? ORDER BY d.message_seq`, member, conversation)
	})
}

// GroupDeliveryPeers lists the members owed any message, sorted.
func (s *SQLite) GroupDeliveryPeers() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// One index probe per member rather than a scan of every delivery:
	// the outbox of a burst to a group holds members × messages rows.
	return queryAll(s, func(st *sqlite3.Stmt) string { return st.ColumnText(0) }, `
		WITH RECURSIVE owed(member) AS (
			SELECT min(member) FROM group_deliveries
			UNION ALL
			SELECT (SELECT min(member) FROM group_deliveries WHERE member > owed.member)
			FROM owed WHERE owed.member IS NOT NULL
		)
		SELECT member FROM owed WHERE member IS NOT NULL`)
}

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
