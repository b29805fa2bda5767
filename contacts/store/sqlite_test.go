package store

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/contacts"
)

const secretBody = "the-distinctive-plaintext-zebra-42"

func TestSQLiteReopenPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	key := testKey(7)
	s, err := OpenSQLite(path, key)
	must(t, err)
	must(t, s.SetSetting("profile.name", []byte("Ada")))
	must(t, s.PutContact(contacts.Contact{PeerID: "p1", Name: "Bob", Addrs: []string{"/ip4/127.0.0.1/tcp/1"}}))
	must(t, s.AddInvite(contacts.Invite{Secret: "inv"}))
	for i := range 5 {
		_, err := s.AddMessage(msg(fmt.Sprintf("m%d", i), "p1", fmt.Sprintf("%s %d", secretBody, i), i%2 == 0))
		must(t, err)
	}
	must(t, s.Close())

	s, err = OpenSQLite(path, key)
	must(t, err)
	defer s.Close()
	v, err := s.Setting("profile.name")
	must(t, err)
	if string(v) != "Ada" {
		t.Errorf("setting = %q", v)
	}
	c, err := s.Contact("p1")
	must(t, err)
	if c.Name != "Bob" || len(c.Addrs) != 1 {
		t.Errorf("contact = %+v", c)
	}
	if ok, _ := s.UseInvite("inv"); !ok {
		t.Error("invite lost")
	}
	ms, err := s.Messages("p1", 0)
	must(t, err)
	if len(ms) != 5 || ms[4].ID != "m4" {
		t.Errorf("messages = %v", ids(ms))
	}
	// New messages continue the order after a reopen.
	_, err = s.AddMessage(msg("later", "p1", "x", false))
	must(t, err)
	ms, _ = s.Messages("p1", 1)
	if len(ms) != 1 || ms[0].ID != "later" {
		t.Errorf("last after reopen = %v", ids(ms))
	}
	found, err := s.Search("zebra", 0)
	must(t, err)
	if len(found) != 5 {
		t.Errorf("search after reopen found %d", len(found))
	}
}

// TestSQLitePlaintextAbsent checks the database, and its WAL while open, for
// a message body.
func TestSQLitePlaintextAbsent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hearth.db")
	s, err := OpenSQLite(path, testKey(3))
	must(t, err)
	for i := range 50 {
		_, err := s.AddMessage(msg(fmt.Sprint(i), "peer", secretBody, false))
		must(t, err)
	}
	must(t, s.SetSetting("identity.key", []byte(secretBody)))
	check := func(when string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		must(t, err)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			must(t, err)
			if bytes.Contains(b, []byte(secretBody)) || bytes.Contains(b, []byte("zebra")) {
				t.Errorf("%s: plaintext found in %s", when, e.Name())
			}
			if bytes.Contains(b, []byte("SQLite format 3")) {
				t.Errorf("%s: SQLite header readable in %s", when, e.Name())
			}
		}
	}
	check("while open")
	must(t, s.Close())
	check("after close")
}

func TestSQLiteWrongKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hearth.db")
	s, err := OpenSQLite(path, testKey(1))
	must(t, err)
	_, err = s.AddMessage(msg("m", "p", secretBody, false))
	must(t, err)
	must(t, s.Close())

	before := snapshot(t, dir)
	_, err = OpenSQLite(path, testKey(2))
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key: %v, want ErrWrongKey", err)
	}
	if after := snapshot(t, dir); !equalSnapshots(before, after) {
		t.Fatal("opening with a wrong key changed the folder")
	}
	if _, err := OpenSQLite(path, []byte("short")); !errors.Is(err, ErrInvalid) {
		t.Errorf("short key: %v", err)
	}
	s, err = OpenSQLite(path, testKey(1))
	must(t, err)
	defer s.Close()
	if ms, _ := s.Messages("p", 0); len(ms) != 1 {
		t.Errorf("right key after wrong one: %d messages", len(ms))
	}
}

// TestSQLiteWrongKeyWithWAL leaves a WAL behind, as a crash would, and
// checks that a wrong key leaves it alone.
func TestSQLiteWrongKeyWithWAL(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hearth.db")
	s, err := OpenSQLite(path, testKey(1))
	must(t, err)
	_, err = s.AddMessage(msg("m", "p", secretBody, false))
	must(t, err)
	// Copy the folder while the WAL is live: that is what a kill -9 leaves.
	crashed := t.TempDir()
	for name, b := range snapshot(t, dir) {
		must(t, os.WriteFile(filepath.Join(crashed, name), b, 0o600))
	}
	must(t, s.Close())
	if _, ok := snapshot(t, crashed)["hearth.db-wal"]; !ok {
		t.Skip("no WAL file while open; nothing to test")
	}

	cpath := filepath.Join(crashed, "hearth.db")
	before := snapshot(t, crashed)
	if _, err := OpenSQLite(cpath, testKey(9)); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key: %v", err)
	}
	if !equalSnapshots(before, snapshot(t, crashed)) {
		t.Fatal("wrong key changed a crashed profile's files")
	}
	s, err = OpenSQLite(cpath, testKey(1))
	must(t, err)
	defer s.Close()
	if ms, _ := s.Messages("p", 0); len(ms) != 1 {
		t.Errorf("message in the WAL lost: %d messages", len(ms))
	}
}

func TestSQLiteCorrupt(t *testing.T) {
	for _, size := range []int{100, 4096, 8192, 10000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hearth.db")
			junk := make([]byte, size)
			rand.Read(junk)
			must(t, os.WriteFile(path, junk, 0o600))
			_, err := OpenSQLite(path, testKey(1))
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrWrongKey) {
				t.Fatalf("random file: %v, want ErrCorrupt or ErrWrongKey", err)
			}
			b, _ := os.ReadFile(path)
			if !bytes.Equal(b, junk) {
				t.Error("file changed")
			}
		})
	}
	t.Run("DamagedAfterHeader", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "hearth.db")
		s, err := OpenSQLite(path, testKey(1))
		must(t, err)
		for i := range 200 {
			_, err := s.AddMessage(msg(fmt.Sprint(i), "p", secretBody, false))
			must(t, err)
		}
		must(t, s.Close())
		b, err := os.ReadFile(path)
		must(t, err)
		rand.Read(b[4096:]) // keep the header page, wreck the rest
		must(t, os.WriteFile(path, b, 0o600))
		s, err = OpenSQLite(path, testKey(1))
		if err == nil {
			// Damage may only show when a page is read.
			defer s.Close()
			_, err = s.Messages("p", 0)
			if err == nil {
				_, err = s.Search("zebra", 0)
			}
		}
		if err == nil {
			t.Fatal("damaged database read without error")
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("damaged database: %v, want ErrCorrupt", err)
		}
	})
}

func TestSQLiteSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	s, err := OpenSQLite(path, testKey(1))
	must(t, err)
	s.mu.Lock()
	v, err := s.userVersion()
	s.mu.Unlock()
	must(t, err)
	if v != schemaVersion {
		t.Errorf("user_version = %d, want %d", v, schemaVersion)
	}
	must(t, s.exec(fmt.Sprintf("PRAGMA user_version=%d", schemaVersion+1)))
	must(t, s.Close())
	if _, err := OpenSQLite(path, testKey(1)); !errors.Is(err, ErrTooNew) {
		t.Errorf("newer schema: %v, want ErrTooNew", err)
	}
}

func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	m := make(map[string][]byte)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		must(t, err)
		m[e.Name()] = b
	}
	return m
}

func equalSnapshots(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func benchStore(b *testing.B) *SQLite {
	s, err := OpenSQLite(filepath.Join(b.TempDir(), "hearth.db"), testKey(1))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func benchMessage(i int) contacts.Message {
	now := time.Now()
	return contacts.Message{
		ID: fmt.Sprintf("bench-%d", i), Conversation: "12D3KooWPeer", From: "12D3KooWPeer",
		Body:   fmt.Sprintf("message number %d: see you at the meeting tomorrow, bring the notes", i),
		SentAt: now, ReceivedAt: now, Status: contacts.Received,
	}
}

// BenchmarkAddMessage commits one message per call, as a receiver that
// stores each message before acknowledging it does.
func BenchmarkAddMessage(b *testing.B) {
	s := benchStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.AddMessage(benchMessage(i)); err != nil {
			b.Fatal(err)
		}
	}
	flushIndex(b, s)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkAddMessages commits batches, as a receiver that stores whatever
// arrived since its last commit before acknowledging it does.
func BenchmarkAddMessages(b *testing.B) {
	for _, batch := range []int{10, 100, 1000} {
		b.Run(fmt.Sprint(batch), func(b *testing.B) {
			s := benchStore(b)
			ms := make([]contacts.Message, batch)
			b.ResetTimer()
			n := 0
			for i := 0; i < b.N; i++ {
				for j := range ms {
					ms[j] = benchMessage(n)
					n++
				}
				if _, err := s.AddMessages(ms); err != nil {
					b.Fatal(err)
				}
			}
			flushIndex(b, s)
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// TestSQLiteDeferredIndex checks that the background indexer catches up,
// and that messages a crash left unindexed are found after a reopen.
func TestSQLiteDeferredIndex(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hearth.db")
	s, err := OpenSQLite(path, testKey(1))
	must(t, err)
	for i := range 30 {
		_, err := s.AddMessage(msg(fmt.Sprint(i), "p", fmt.Sprintf("%s %d", secretBody, i), false))
		must(t, err)
	}
	// A copy taken now is what kill -9 leaves, probably before indexing.
	crashed := t.TempDir()
	s.mu.Lock()
	for name, b := range snapshot(t, dir) {
		must(t, os.WriteFile(filepath.Join(crashed, name), b, 0o600))
	}
	s.mu.Unlock()

	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		st, err := s.stmt("SELECT (SELECT indexed FROM fts_state) = (SELECT max(seq) FROM messages)")
		must(t, err)
		st.Step()
		caughtUp := st.ColumnBool(0)
		release(st)
		s.mu.Unlock()
		if caughtUp {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("background indexer did not catch up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	must(t, s.Close())

	c, err := OpenSQLite(filepath.Join(crashed, "hearth.db"), testKey(1))
	must(t, err)
	defer c.Close()
	found, err := c.Search("zebra", 0)
	must(t, err)
	if len(found) != 30 {
		t.Errorf("after crash: search found %d of 30", len(found))
	}
	if ms, _ := c.Messages("p", 0); len(ms) != 30 {
		t.Errorf("after crash: %d of 30 messages", len(ms))
	}
}

// flushIndex indexes what the background indexer has not reached yet, so
// that benchmarks count the full cost of storing a message.
func flushIndex(b *testing.B, s *SQLite) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.indexAll(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSearch searches 100,000 messages for a word in one in ten.
func BenchmarkSearch(b *testing.B) {
	s := benchStore(b)
	ms := make([]contacts.Message, 1000)
	for n := 0; n < 100_000; {
		for j := range ms {
			ms[j] = benchMessage(n)
			if n%10 == 0 {
				ms[j].Body += " quarterly"
			}
			n++
		}
		if _, err := s.AddMessages(ms); err != nil {
			b.Fatal(err)
		}
	}
	flushIndex(b, s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := s.Search("quarter", 50)
		if err != nil || len(got) != 50 {
			b.Fatal(len(got), err)
		}
	}
}

// TestSQLiteMigrateToTransfers creates a database with the first schema
// (what Hearth wrote before file transfers), then opens it with the current
// code: the transfers table is added, nothing else changes, and a reopened
// database keeps the transfers.
func TestSQLiteMigrateToTransfers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	key := testKey(5)

	all := migrations
	migrations = all[:1]
	old, err := OpenSQLite(path, key)
	migrations = all
	must(t, err)
	old.mu.Lock()
	v, err := old.userVersion()
	old.mu.Unlock()
	must(t, err)
	if v != 1 {
		t.Fatalf("old database at version %d, want 1", v)
	}
	if err := old.PutTransfer(contacts.Transfer{ID: "t"}); err == nil {
		t.Fatal("version 1 database already has a transfers table")
	}
	// Raw SQL, with version 1's columns: PutContact and AddMessage write
	// the columns of later migrations.
	must(t, old.exec("INSERT INTO contacts (peer_id, name, notes, addrs, state, message, added_at) VALUES ('p1', 'Bob', '', '[]', 0, '', 0)"))
	err = old.exec(`INSERT INTO messages (id, conversation, sender, body, sent_at, received_at, status, outgoing, read)
		VALUES ('m1', 'p1', 'p1', ?, 1, 1, 2, 0, 0)`, "before the upgrade "+secretBody)
	must(t, err)
	must(t, old.Close())

	s, err := OpenSQLite(path, key)
	must(t, err)
	s.mu.Lock()
	v, err = s.userVersion()
	s.mu.Unlock()
	must(t, err)
	if v != schemaVersion || schemaVersion < 2 {
		t.Errorf("after migration: user_version = %d, want %d", v, schemaVersion)
	}
	if c, err := s.Contact("p1"); err != nil || c.Name != "Bob" {
		t.Errorf("contact after migration = %+v, %v", c, err)
	}
	if found, err := s.Search("zebra", 0); err != nil || len(found) != 1 {
		t.Errorf("search after migration = %d, %v", len(found), err)
	}
	at := time.Now()
	must(t, s.PutTransfer(contacts.Transfer{ID: "t1", Conversation: "p1", Name: "a.txt", State: contacts.Paused, Done: 7, CreatedAt: at}))
	must(t, s.Close())

	s, err = OpenSQLite(path, key)
	must(t, err)
	defer s.Close()
	tr, err := s.Transfer("t1")
	must(t, err)
	if tr.Name != "a.txt" || tr.Done != 7 || tr.State != contacts.Paused || !tr.CreatedAt.Equal(at) {
		t.Errorf("transfer after reopen = %+v", tr)
	}
	active, err := s.ActiveTransfers()
	must(t, err)
	if len(active) != 1 || active[0].ID != "t1" {
		t.Errorf("active after reopen = %+v", active)
	}
}

// TestSQLiteActiveTransfersUsesIndex keeps the states in activeStates and
// the partial index of migration 2 in step.
func TestSQLiteActiveTransfersUsesIndex(t *testing.T) {
	s := openSQLite(t).(*SQLite)
	s.mu.Lock()
	defer s.mu.Unlock()
	st, _, err := s.conn.Prepare("EXPLAIN QUERY PLAN SELECT " + transferColumns + " FROM transfers WHERE state IN " + activeStates + " ORDER BY created_at, seq")
	must(t, err)
	defer st.Close()
	var plan string
	for st.Step() {
		plan += st.ColumnText(3) + "\n"
	}
	must(t, st.Err())
	if !strings.Contains(plan, "transfers_active") {
		t.Errorf("ActiveTransfers does not use the partial index:\n%s", plan)
	}
	// Under way: what ActiveTransfers returns.
	active := map[contacts.TransferState]bool{
		contacts.Offered: true, contacts.Transferring: true, contacts.Paused: true, contacts.Verifying: true,
	}
	for s := contacts.TransferState(0); s <= contacts.Quarantined; s++ {
		inSQL := strings.Contains(activeStates, fmt.Sprint(int(s)))
		if inSQL != active[s] {
			t.Errorf("state %v: in activeStates %v, under way %v", s, inSQL, active[s])
		}
	}
}
