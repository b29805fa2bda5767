package store

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3"
)

func TestSQLiteSearchLongTerms(t *testing.T)         { testSearchLongTerms(t, openSQLite) }
func TestSQLiteInMemorySearchLongTerms(t *testing.T) { testSearchLongTerms(t, openSQLiteMemory) }

// testSearchLongTerms covers terms longer than the prefix index, which the
// SQLite store searches by their first characters and then checks.
func testSearchLongTerms(t *testing.T, open func(t *testing.T) Store) {
	s := open(t)
	for _, m := range []struct{ id, body string }{
		{"1", "the meetings are long"},
		{"2", "book the meetingroom"},
		{"3", "meetinx is a typo"},
		{"4", "Meeting at the Café"},
		{"5", "συνάντηση αύριο"},
		{"6", "συνάντα με"},
		{"7", "Überraschungsparty tomorrow"},
	} {
		_, err := s.AddMessage(msg(m.id, "p", m.body, false))
		must(t, err)
	}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"meeting", []string{"4", "2", "1"}},
		{"meetingr", []string{"2"}},
		{"meetin", []string{"4", "3", "2", "1"}},
		{"MEETINGS long", []string{"1"}},
		{"meetings typo", nil},
		{"cafe meeting", []string{"4"}},
		{"συνάντη", []string{"5"}},
		{"συνάντ", []string{"6", "5"}},
		{"uberraschung", []string{"7"}},
	} {
		got, err := s.Search(c.q, 0)
		must(t, err)
		if !reflect.DeepEqual(ids(got), c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.q, ids(got), c.want)
		}
	}
	// The limit counts matches, not candidates.
	got, err := s.Search("meeting", 2)
	must(t, err)
	if !reflect.DeepEqual(ids(got), []string{"4", "2"}) {
		t.Errorf("Search(meeting, 2) = %v", ids(got))
	}
}

// TestSQLiteMigrateToPrefixIndex upgrades a database from before the
// prefix index: the index is rebuilt and search still finds everything.
func TestSQLiteMigrateToPrefixIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	key := testKey(9)
	at := -1
	for i, m := range migrations {
		if strings.Contains(m, "prefix = '2 3 4 5 6'") {
			at = i
		}
	}
	if at < 0 {
		t.Fatal("no prefix-index migration")
	}
	all := migrations
	migrations = all[:at]
	old, err := OpenSQLite(path, key)
	migrations = all
	must(t, err)
	// Raw SQL with the first schema's columns: AddMessage writes the
	// columns of later migrations.
	old.mu.Lock()
	err = old.exec(`INSERT INTO messages (id, conversation, sender, body, sent_at, received_at, status, outgoing, read)
		VALUES ('m1', 'p1', 'p1', 'before the upgrade: quarterly planning', 1, 1, 2, 0, 0)`)
	old.mu.Unlock()
	must(t, err)
	// Indexed under the old schema (Search itself reads later columns).
	old.mu.Lock()
	must(t, old.indexAll())
	old.mu.Unlock()
	must(t, old.Close())

	s, err := OpenSQLite(path, key)
	must(t, err)
	defer s.Close()
	for _, q := range []string{"planning", "quarterl", "qu", "upgrade quarterly"} {
		if found, err := s.Search(q, 0); err != nil || len(found) != 1 {
			t.Errorf("search %q after migration = %d, %v", q, len(found), err)
		}
	}
	s.mu.Lock()
	schema, err := queryAll(s, func(st *sqlite3.Stmt) string { return st.ColumnText(0) },
		"SELECT sql FROM sqlite_schema WHERE name = 'messages_fts'")
	s.mu.Unlock()
	must(t, err)
	if len(schema) != 1 || !strings.Contains(schema[0], "prefix") {
		t.Errorf("messages_fts after migration: %q", schema)
	}
}
