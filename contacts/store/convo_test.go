package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	"lukechampine.com/adiantum"

	"hearth/contacts"
)

func TestSQLiteConvo(t *testing.T)         { testConvo(t, openSQLite) }
func TestSQLiteInMemoryConvo(t *testing.T) { testConvo(t, openSQLiteMemory) }

// testConvo is the conformance suite for replies, edits, deletes, read
// receipts and unread counts.
func testConvo(t *testing.T, open func(t *testing.T) Store) {
	t.Run("UnreadCounts", func(t *testing.T) {
		s := open(t)
		for _, m := range []contacts.Message{
			msg("a1", "alice", "one", false), msg("a2", "alice", "two", false),
			msg("b1", "bob", "three", false), msg("me1", "bob", "mine", true),
			msg("c1", "carol", "read", false),
		} {
			_, err := s.AddMessage(m)
			must(t, err)
		}
		must(t, s.MarkRead("carol"))
		got, err := s.UnreadCounts()
		must(t, err)
		if want := map[string]int{"alice": 2, "bob": 1}; !reflect.DeepEqual(got, want) {
			t.Fatalf("UnreadCounts = %v, want %v", got, want)
		}
	})

	t.Run("ReplyRoundTrip", func(t *testing.T) {
		s := open(t)
		r := msg("r1", "bob", "sure", false)
		r.ReplyTo = "m0"
		_, err := s.AddMessage(r)
		must(t, err)
		got, err := s.Message("r1")
		must(t, err)
		if got.ReplyTo != "m0" || got.Edited != (time.Time{}) || got.Deleted {
			t.Fatalf("stored %+v", got)
		}
		if _, err := s.Message("nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Message(unknown) = %v", err)
		}
	})

	t.Run("EditMine", func(t *testing.T) {
		s := open(t)
		_, err := s.AddMessage(msg("m1", "bob", "helo wrld", true))
		must(t, err)
		must(t, s.SetStatus("m1", contacts.Delivered))
		at := time.UnixMilli(1700000000000)
		ok, err := s.EditMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "m1"}, "hello world", at)
		must(t, err)
		if !ok {
			t.Fatal("edit not applied")
		}
		m, err := s.Message("m1")
		must(t, err)
		if m.Body != "hello world" || !m.Edited.Equal(at) || m.Status != contacts.Delivered {
			t.Fatalf("after edit %+v", m)
		}
		if found, _ := s.Search("wrld", 0); len(found) != 0 {
			t.Errorf("old text still found: %v", bodies(found))
		}
		if found, _ := s.Search("world", 0); len(found) != 1 {
			t.Errorf("new text not found")
		}
		// An older or equal change is stale.
		if ok, err := s.EditMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "m1"}, "stale", at); ok || err != nil {
			t.Fatalf("stale edit applied: %v %v", ok, err)
		}
		p, err := s.PendingUpdates("bob", 0)
		must(t, err)
		if len(p) != 1 || p[0].ID != "m1" {
			t.Fatalf("PendingUpdates = %v", ids(p))
		}
		// A newer edit made while the first was in flight stays pending.
		later := at.Add(time.Millisecond)
		_, err = s.EditMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "m1"}, "hello, world", later)
		must(t, err)
		must(t, s.UpdateSent("m1", at))
		if p, _ := s.PendingUpdates("bob", 0); len(p) != 1 {
			t.Fatal("the newer edit was forgotten")
		}
		must(t, s.UpdateSent("m1", later))
		if p, _ := s.PendingUpdates("bob", 0); len(p) != 0 {
			t.Fatalf("still pending: %v", ids(p))
		}
		if _, err := s.EditMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "nope"}, "x", later); !errors.Is(err, ErrNotFound) {
			t.Fatalf("edit of unknown = %v", err)
		}
	})

	t.Run("EditTheirsIsNotQueued", func(t *testing.T) {
		s := open(t)
		_, err := s.AddMessage(msg("t1", "bob", "theirs", false))
		must(t, err)
		ok, err := s.EditMessage(contacts.MessageKey{Conversation: "bob", From: "bob", ID: "t1"}, "theirs, edited", time.UnixMilli(5))
		must(t, err)
		if !ok {
			t.Fatal("not applied")
		}
		if p, _ := s.PendingUpdates("bob", 0); len(p) != 0 {
			t.Fatal("someone else's edit queued for sending")
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		_, err := s.AddMessage(msg("d1", "bob", "the secret plan zebra", true))
		must(t, err)
		_, err = s.AddMessage(msg("d2", "bob", "another zebra", false))
		must(t, err)
		if found, _ := s.Search("zebra", 0); len(found) != 2 {
			t.Fatalf("before delete found %d", len(found))
		}
		at := time.UnixMilli(1700000000000)
		ok, err := s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "d1"}, at)
		must(t, err)
		if !ok {
			t.Fatal("not deleted")
		}
		m, err := s.Message("d1")
		must(t, err)
		if m.Body != "" || !m.Deleted || !m.Edited.Equal(at) {
			t.Fatalf("after delete %+v", m)
		}
		found, _ := s.Search("zebra", 0)
		if !reflect.DeepEqual(ids(found), []string{"d2"}) {
			t.Fatalf("search after delete = %v", ids(found))
		}
		if found, _ := s.Search("secret plan", 0); len(found) != 0 {
			t.Fatal("deleted text still searchable")
		}
		if ok, _ := s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "d1"}, at.Add(time.Second)); ok {
			t.Fatal("deleted twice")
		}
		if ok, _ := s.EditMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "d1"}, "back from the dead", at.Add(time.Hour)); ok {
			t.Fatal("a deleted message was edited")
		}
		if p, _ := s.PendingUpdates("bob", 0); len(p) != 1 || !p[0].Deleted {
			t.Fatalf("delete not queued: %+v", p)
		}
		h, _ := s.Messages("bob", 0)
		if len(h) != 2 || !h[0].Deleted || h[0].Body != "" {
			t.Fatalf("history after delete %+v", h)
		}
		if _, err := s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "me", ID: "nope"}, at); !errors.Is(err, ErrNotFound) {
			t.Fatalf("delete of unknown = %v", err)
		}
	})

	t.Run("MarkReadUpTo", func(t *testing.T) {
		s := open(t)
		for _, id := range []string{"o1", "o2", "o3", "o4"} {
			_, err := s.AddMessage(msg(id, "bob", id, true))
			must(t, err)
		}
		_, err := s.AddMessage(msg("x1", "carol", "other conversation", true))
		must(t, err)
		must(t, s.SetStatuses([]string{"o1", "o2", "o3", "x1"}, contacts.Delivered))
		got, err := s.MarkReadUpTo("bob", "o3")
		must(t, err)
		if want := []string{"o1", "o2", "o3"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("marked %v, want %v", got, want)
		}
		h, _ := s.Messages("bob", 0)
		var st []contacts.Status
		for _, m := range h {
			st = append(st, m.Status)
		}
		if want := []contacts.Status{contacts.Read, contacts.Read, contacts.Read, contacts.Pending}; !reflect.DeepEqual(st, want) {
			t.Fatalf("statuses %v, want %v", st, want)
		}
		if got, _ := s.MarkReadUpTo("bob", "o3"); len(got) != 0 {
			t.Fatalf("marked again: %v", got)
		}
		// A receipt naming another conversation's message, or none, marks nothing.
		if got, _ := s.MarkReadUpTo("bob", "x1"); len(got) != 0 {
			t.Fatalf("cross-conversation receipt marked %v", got)
		}
		if got, _ := s.MarkReadUpTo("bob", "nope"); len(got) != 0 {
			t.Fatalf("unknown receipt marked %v", got)
		}
		// A receipt for a message whose ack was lost marks it, and only it.
		_, err = s.AddMessage(msg("o5", "bob", "o5", true))
		must(t, err)
		if got, _ := s.MarkReadUpTo("bob", "o5"); !reflect.DeepEqual(got, []string{"o5"}) {
			t.Fatalf("receipt for a pending message marked %v", got)
		}
		if o4, _ := s.Message("o4"); o4.Status != contacts.Pending {
			t.Fatalf("an earlier pending message became %v", o4.Status)
		}
		if x, _ := s.Message("x1"); x.Status != contacts.Delivered {
			t.Fatal("other conversation changed")
		}
	})

	t.Run("ReadReceipts", func(t *testing.T) {
		s := open(t)
		if id, queued, err := s.QueueReadReceipt("bob"); id != "" || queued || err != nil {
			t.Fatalf("empty conversation: %q %v %v", id, queued, err)
		}
		_, err := s.AddMessage(msg("b1", "bob", "hi", false))
		must(t, err)
		_, err = s.AddMessage(msg("me", "bob", "hello", true))
		must(t, err)
		id, queued, err := s.QueueReadReceipt("bob")
		must(t, err)
		if id != "b1" || !queued {
			t.Fatalf("queued %q %v", id, queued)
		}
		if p, _ := s.PendingReadReceipt("bob"); p != "b1" {
			t.Fatalf("pending %q", p)
		}
		must(t, s.ReadReceiptSent("bob", "b1"))
		if p, _ := s.PendingReadReceipt("bob"); p != "" {
			t.Fatalf("pending after sent %q", p)
		}
		if _, queued, _ := s.QueueReadReceipt("bob"); queued {
			t.Fatal("the same receipt queued twice")
		}
		_, err = s.AddMessage(msg("b2", "bob", "there?", false))
		must(t, err)
		if id, queued, _ := s.QueueReadReceipt("bob"); id != "b2" || !queued {
			t.Fatalf("newer receipt %q %v", id, queued)
		}
		// An acknowledgement of an older receipt leaves the newer pending.
		must(t, s.ReadReceiptSent("bob", "b1"))
		if p, _ := s.PendingReadReceipt("bob"); p != "b2" {
			t.Fatalf("pending %q", p)
		}
	})
}

// Deleted text leaves the stored row and the search index, and stays gone
// after a reopen (the index is rebuilt from what is stored).
func TestSQLiteDeleteSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	s, err := OpenSQLite(path, testKey(4))
	must(t, err)
	_, err = s.AddMessage(msg("d1", "bob", "launch codes zebra", false))
	must(t, err)
	if found, _ := s.Search("launch", 0); len(found) != 1 {
		t.Fatal("not indexed")
	}
	_, err = s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "bob", ID: "d1"}, time.UnixMilli(1))
	must(t, err)
	must(t, s.Close())
	s, err = OpenSQLite(path, testKey(4))
	must(t, err)
	defer s.Close()
	if found, _ := s.Search("launch codes", 0); len(found) != 0 {
		t.Fatalf("deleted text found after reopen: %v", ids(found))
	}
	m, err := s.Message("d1")
	must(t, err)
	if m.Body != "" || !m.Deleted {
		t.Fatalf("after reopen %+v", m)
	}
	n, err := s.UnreadCounts()
	must(t, err)
	if n["bob"] != 1 || !slices.Contains([]int{1}, n["bob"]) {
		t.Fatalf("unread %v", n)
	}
}

// unreadFixture fills a store with 100 conversations of 100 messages each,
// a fifth of them unread.
func unreadFixture(b *testing.B) *SQLite {
	s := benchStore(b)
	var ms []contacts.Message
	for c := range 100 {
		for i := range 100 {
			m := msg(fmt.Sprintf("c%d-%d", c, i), fmt.Sprintf("peer-%03d", c), "body", false)
			m.Read = i%5 != 0
			ms = append(ms, m)
		}
	}
	if _, err := s.AddMessages(ms); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkUnreadPerContact is what Contacts() did before: one query per
// contact.
func BenchmarkUnreadPerContact(b *testing.B) {
	s := unreadFixture(b)
	b.ResetTimer()
	for range b.N {
		for c := range 100 {
			if _, err := s.Unread(fmt.Sprintf("peer-%03d", c)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkUnreadCounts(b *testing.B) {
	s := unreadFixture(b)
	b.ResetTimer()
	for range b.N {
		if n, err := s.UnreadCounts(); err != nil || len(n) != 100 {
			b.Fatal(n, err)
		}
	}
}

// DeleteMessage leaves the connection's secure_delete setting as it was.
func TestSQLiteDeleteRestoresSecureDelete(t *testing.T) {
	s := openSQLite(t).(*SQLite)
	_, err := s.AddMessage(msg("d1", "bob", "text", false))
	must(t, err)
	_, err = s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "bob", ID: "d1"}, time.UnixMilli(1))
	must(t, err)
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := queryAll(s, func(st *sqlite3.Stmt) int { return st.ColumnInt(0) }, "PRAGMA secure_delete")
	must(t, err)
	if len(v) != 1 || v[0] != 0 {
		t.Fatalf("secure_delete after a delete = %v", v)
	}
}

// A deleted message's text is gone from the database file itself: every
// block, decrypted with the key, is searched for it.
func TestSQLiteDeletedTextGoneFromFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hearth.db")
	key := testKey(6)
	const secret = "Meet me at Pier 39, Locker 1187, Tuesday"
	s, err := OpenSQLite(path, key)
	must(t, err)
	_, err = s.AddMessage(msg("d1", "bob", secret, false))
	must(t, err)
	// A long message spills into overflow pages, which a delete frees.
	long := "Long letter. " + strings.Repeat("All the details of the plan. ", 300) + "Signed, the Author"
	_, err = s.AddMessage(msg("d2", "bob", long, false))
	must(t, err)
	_, err = s.AddMessage(msg("k1", "bob", "a message that stays", false))
	must(t, err)
	for i := range 20 {
		_, err = s.AddMessage(msg(fmt.Sprint("n", i), "bob", fmt.Sprint("neighbour number ", i), false))
		must(t, err)
	}
	if found, _ := s.Search("locker", 0); len(found) != 1 { // indexed
		t.Fatal("not indexed")
	}
	s.mu.Lock()
	must(t, s.conn.Exec("PRAGMA wal_checkpoint(TRUNCATE)"))
	s.mu.Unlock()
	if !fileHas(t, path, key, secret) {
		t.Fatal("the message is not in the file before the delete: the test proves nothing")
	}
	if !fileHas(t, path, key, "Signed, the Author") {
		t.Fatal("the long message is not in the file before the delete")
	}
	_, err = s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "bob", ID: "d1"}, time.UnixMilli(1))
	must(t, err)
	_, err = s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "bob", ID: "d2"}, time.UnixMilli(1))
	must(t, err)
	must(t, s.Close())
	if fileHas(t, path, key, secret) || fileHas(t, path, key, "Signed, the Author") {
		t.Fatal("the deleted text is still in the database file")
	}
	if !fileHas(t, path, key, "a message that stays") {
		t.Fatal("the other message is gone too")
	}
}

// fileHas decrypts every block of an adiantum-VFS file and looks for text.
func fileHas(t *testing.T, path string, key []byte, text string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	c := adiantum.New(key)
	for off := 0; off+adiantumBlock <= len(b); off += adiantumBlock {
		var tweak [8]byte
		binary.LittleEndian.PutUint64(tweak[:], uint64(off))
		if bytes.Contains(c.Decrypt(slices.Clone(b[off:off+adiantumBlock]), tweak[:]), []byte(text)) {
			return true
		}
	}
	return false
}
