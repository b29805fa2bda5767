package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	"lukechampine.com/adiantum"

	"hearth/contacts"
)

func TestSQLiteArchive(t *testing.T)         { testArchive(t, openSQLite) }
func TestSQLiteInMemoryArchive(t *testing.T) { testArchive(t, openSQLiteMemory) }

// testArchive is the conformance suite for retention and MessagesAround.
func testArchive(t *testing.T, open func(t *testing.T) Store) {
	t.Run("DeleteMessagesBefore", func(t *testing.T) {
		s := open(t)
		now := time.Now()
		old := func(id, conv, body string, outgoing bool, age time.Duration) {
			m := msg(id, conv, body, outgoing)
			m.ReceivedAt = now.Add(-age)
			if outgoing && id != "pending" {
				m.Status = 1 // delivered
			}
			_, err := s.AddMessage(m)
			must(t, err)
		}
		old("a1", "alice", "ancient walrus", false, 10*24*time.Hour)
		old("a2", "alice", "ancient reply", true, 9*24*time.Hour)
		old("pending", "alice", "ancient unsent", true, 9*24*time.Hour)
		old("a3", "alice", "fresh walrus", false, time.Hour)
		old("b1", "bob", "ancient walrus of bob", false, 10*24*time.Hour)
		n, err := s.DeleteMessagesBefore("alice", now.Add(-7*24*time.Hour))
		must(t, err)
		if n != 2 {
			t.Errorf("deleted %d, want 2", n)
		}
		must(t, s.Vacuum())
		got, err := s.Messages("alice", 0)
		must(t, err)
		if want := []string{"pending", "a3"}; !reflect.DeepEqual(ids(got), want) {
			t.Errorf("alice keeps %v, want %v", ids(got), want)
		}
		res, err := s.Search("walrus", 0)
		must(t, err)
		if want := []string{"b1", "a3"}; !reflect.DeepEqual(ids(res), want) {
			t.Errorf("search after retention = %v, want %v", ids(res), want)
		}
		// A deleted ID is no longer known.
		if _, err := s.MessagesAround("alice", "a1", 1); !errors.Is(err, ErrNotFound) {
			t.Errorf("MessagesAround(deleted) = %v, want ErrNotFound", err)
		}
		// Nothing to delete is not an error.
		if n, err := s.DeleteMessagesBefore("nobody", now); err != nil || n != 0 {
			t.Errorf("DeleteMessagesBefore(nobody) = %d, %v", n, err)
		}
	})
	t.Run("GroupDeliveriesSurvive", func(t *testing.T) {
		s := open(t)
		now := time.Now()
		aged := msg("a-old", "alice", "old", false)
		aged.ReceivedAt = now.Add(-48 * time.Hour)
		_, err := s.AddMessage(aged)
		must(t, err)
		g := contacts.GroupConversation("g1")
		gOld := msg("g-old", g, "old group note", true)
		gOld.ReceivedAt = now.Add(-48 * time.Hour)
		_, err = s.AddGroupMessage(gOld, []string{"bob"})
		must(t, err)
		_, err = s.AddGroupMessage(msg("g-new", g, "new group note", true), []string{"bob", "cleo"})
		must(t, err)
		// Deleting alice's old message moves later messages in memory; the
		// deliveries still name the right ones.
		n, err := s.DeleteMessagesBefore("alice", now.Add(-time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("deleted %d, want 1", n)
		}
		out, err := s.GroupOutbox("bob", 0)
		must(t, err)
		if want := []string{"g-old", "g-new"}; !reflect.DeepEqual(ids(out), want) {
			t.Errorf("bob's group outbox = %v, want %v", ids(out), want)
		}
		// A delivered group message that expires takes its deliveries along.
		_, err = s.DoneGroupDeliveries("bob", []string{"g-old"})
		must(t, err)
		n, err = s.DeleteMessagesBefore(g, now.Add(-time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("deleted %d group messages, want 1", n)
		}
		out, err = s.GroupOutbox("cleo", 0)
		must(t, err)
		if want := []string{"g-new"}; !reflect.DeepEqual(ids(out), want) {
			t.Errorf("cleo's group outbox = %v, want %v", ids(out), want)
		}
	})
	t.Run("MessagesAround", func(t *testing.T) {
		s := open(t)
		for i := range 10 {
			_, err := s.AddMessage(msg(fmt.Sprint("m", i), "alice", fmt.Sprint("body ", i), false))
			must(t, err)
			_, err = s.AddMessage(msg(fmt.Sprint("x", i), "bob", "other", false))
			must(t, err)
		}
		cases := []struct {
			id   string
			n    int
			want []string
		}{
			{"m5", 2, []string{"m3", "m4", "m5", "m6", "m7"}},
			{"m0", 2, []string{"m0", "m1", "m2"}},
			{"m9", 3, []string{"m6", "m7", "m8", "m9"}},
			{"m4", 0, []string{"m4"}},
		}
		for _, c := range cases {
			got, err := s.MessagesAround("alice", c.id, c.n)
			must(t, err)
			if !reflect.DeepEqual(ids(got), c.want) {
				t.Errorf("MessagesAround(%s, %d) = %v, want %v", c.id, c.n, ids(got), c.want)
			}
		}
		if _, err := s.MessagesAround("bob", "m1", 3); !errors.Is(err, ErrNotFound) {
			t.Errorf("MessagesAround(other conversation) = %v, want ErrNotFound", err)
		}
	})
}

// decryptFile reads an adiantum-VFS file and decrypts every 4 KiB block
// with key (the tweak is the block's byte offset, little-endian), giving
// the plaintext pages SQLite wrote. A trailing partial block is ignored.
func decryptFile(t *testing.T, path string, key []byte) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	must(t, err)
	c := adiantum.New(key)
	var plain []byte
	for off := 0; off+adiantumBlock <= len(raw); off += adiantumBlock {
		var tweak [8]byte
		binary.LittleEndian.PutUint64(tweak[:], uint64(off))
		plain = append(plain, c.Decrypt(raw[off:off+adiantumBlock], tweak[:])...)
	}
	return plain
}

// TestRetentionRemovesFromFile checks that expired messages are gone from
// the database file itself, not just from queries: every page of the file
// (and of its write-ahead log) is decrypted with the key and searched for
// the bodies and for their full-text index terms.
func TestRetentionRemovesFromFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hearth.db")
	key := testKey(7)
	s, err := OpenSQLite(path, key)
	must(t, err)
	defer s.Close()
	now := time.Now()
	for i := range 300 {
		m := msg(fmt.Sprint("old", i), "alice", fmt.Sprintf("expiring quokkasecret%03d about the merger", i), false)
		m.ReceivedAt = now.Add(-40 * 24 * time.Hour)
		_, err := s.AddMessage(m)
		must(t, err)
	}
	for i := range 50 {
		_, err := s.AddMessage(msg(fmt.Sprint("new", i), "alice", fmt.Sprintf("keeping wombatfresh%03d", i), false))
		must(t, err)
	}
	// Indexed, so the terms are in the FTS tables too, and checkpointed
	// into the main file.
	res, err := s.Search("quokkasecret001", 0)
	must(t, err)
	if len(res) != 1 {
		t.Fatalf("search before retention found %d", len(res))
	}
	must(t, s.Vacuum())
	contains := func(what string) bool {
		for _, f := range []string{path, path + "-wal"} {
			if bytes.Contains(decryptFile(t, f, key), []byte(what)) {
				return true
			}
		}
		return false
	}
	// The check can fail: before retention the plaintext is there.
	if !contains("quokkasecret123") {
		t.Fatal("decrypted file does not hold a stored body: the check below would prove nothing")
	}
	// The index holds the terms (FTS5 stores them prefix-compressed, so
	// the raw check alone could miss them there): ask its vocabulary.
	indexed := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		must(t, s.conn.Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, messages_fts, 'row')"))
		n, err := queryAll(s, func(st *sqlite3.Stmt) int { return st.ColumnInt(0) },
			"SELECT count(*) FROM temp.vocab WHERE term >= 'quokka' AND term < 'quokkb'")
		must(t, err)
		return n[0]
	}
	if n := indexed(); n != 300 {
		t.Fatalf("index vocabulary holds %d quokka terms before retention, want 300", n)
	}
	n, err := s.DeleteMessagesBefore("alice", now.Add(-30*24*time.Hour))
	must(t, err)
	if n != 300 {
		t.Fatalf("deleted %d, want 300", n)
	}
	must(t, s.Vacuum())
	for i := range 300 {
		if w := fmt.Sprintf("quokkasecret%03d", i); contains(w) {
			t.Fatalf("after retention and vacuum, %q is still in the file", w)
		}
	}
	if contains("merger") {
		t.Error(`after retention and vacuum, "merger" is still in the file`)
	}
	if n := indexed(); n != 0 {
		t.Errorf("index vocabulary still holds %d expired terms", n)
	}
	if !contains("wombatfresh049") {
		t.Error("kept message missing from the file")
	}
	res, err = s.Search("wombatfresh", 0)
	must(t, err)
	if len(res) != 50 {
		t.Errorf("search after retention found %d kept messages, want 50", len(res))
	}
	// The same holds after reopening (nothing comes back from the WAL).
	must(t, s.Close())
	if contains("quokkasecret") {
		t.Error("expired text is back in the file after close")
	}
}
