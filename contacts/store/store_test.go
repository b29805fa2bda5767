package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"hearth/contacts"
)

func testKey(b byte) []byte {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

func openSQLite(t *testing.T) Store {
	s, err := OpenSQLite(filepath.Join(t.TempDir(), "hearth.db"), testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openSQLiteMemory opens an SQLite in-memory database (":memory:", which
// OpenSQLite turns into "file::memory:"): the same schema and queries as
// openSQLite with no file behind them, so neither encryption at rest nor
// WAL. Every suite runs on both; what only a file has (persistence,
// encryption, damage) is tested with openSQLite.
func openSQLiteMemory(t *testing.T) Store {
	s, err := OpenSQLite(":memory:", testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLite(t *testing.T)         { testStore(t, openSQLite) }
func TestSQLiteInMemory(t *testing.T) { testStore(t, openSQLiteMemory) }

// testStore is the conformance suite of the Store interface.
func testStore(t *testing.T, open func(t *testing.T) Store) {
	t.Run("Settings", func(t *testing.T) {
		s := open(t)
		if _, err := s.Setting("nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Setting(unset) = %v, want ErrNotFound", err)
		}
		must(t, s.SetSetting("a", []byte{0, 1, 2}))
		must(t, s.SetSetting("a", []byte("two")))
		must(t, s.SetSetting("empty", nil))
		v, err := s.Setting("a")
		must(t, err)
		if string(v) != "two" {
			t.Errorf("Setting = %q, want %q", v, "two")
		}
		v, err = s.Setting("empty")
		must(t, err)
		if len(v) != 0 {
			t.Errorf("Setting(empty) = %q", v)
		}
	})

	t.Run("Contacts", func(t *testing.T) {
		s := open(t)
		at := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
		carol := contacts.Contact{PeerID: "12D3Carol", Name: "carol", Notes: "n", Addrs: []string{"/ip4/1.2.3.4/tcp/1", "/ip6/::1/udp/2/quic-v1"}, State: contacts.Accepted, Message: "hi", AddedAt: at}
		bob := contacts.Contact{PeerID: "12D3Bob", Name: "Bob", State: contacts.Incoming}
		alice := contacts.Contact{PeerID: "12D3Alice", Name: "Alice", State: contacts.Outgoing, Addrs: []string{}}
		for _, c := range []contacts.Contact{carol, bob, alice} {
			must(t, s.PutContact(c))
		}
		got, err := s.Contacts()
		must(t, err)
		var names []string
		for _, c := range got {
			names = append(names, c.Name)
		}
		if want := []string{"Alice", "Bob", "carol"}; !reflect.DeepEqual(names, want) {
			t.Errorf("Contacts order = %v, want %v", names, want)
		}
		c, err := s.Contact(carol.PeerID)
		must(t, err)
		if !c.AddedAt.Equal(at) {
			t.Errorf("AddedAt = %v, want %v", c.AddedAt, at)
		}
		c.AddedAt = at
		if !reflect.DeepEqual(c, carol) {
			t.Errorf("Contact = %+v, want %+v", c, carol)
		}
		c, err = s.Contact(alice.PeerID)
		must(t, err)
		if c.Addrs != nil || !c.AddedAt.IsZero() {
			t.Errorf("empty addrs/time = %#v, %v", c.Addrs, c.AddedAt)
		}

		bob.Name, bob.State = "Robert", contacts.Blocked
		must(t, s.PutContact(bob))
		c, err = s.Contact(bob.PeerID)
		must(t, err)
		if c.Name != "Robert" || c.State != contacts.Blocked {
			t.Errorf("replaced contact = %+v", c)
		}

		must(t, s.DeleteContact(bob.PeerID))
		if _, err := s.Contact(bob.PeerID); !errors.Is(err, ErrNotFound) {
			t.Errorf("Contact(deleted) = %v, want ErrNotFound", err)
		}
		if err := s.DeleteContact(bob.PeerID); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeleteContact(deleted) = %v, want ErrNotFound", err)
		}
		if err := s.PutContact(contacts.Contact{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("PutContact(no ID) = %v, want ErrInvalid", err)
		}
		got, err = s.Contacts()
		must(t, err)
		if len(got) != 2 {
			t.Errorf("%d contacts left, want 2", len(got))
		}
	})

	t.Run("Invites", func(t *testing.T) {
		s := open(t)
		must(t, s.AddInvite(contacts.Invite{Secret: "s1", CreatedAt: time.Now()}))
		if ok, err := s.UseInvite("unknown"); ok || err != nil {
			t.Errorf("UseInvite(unknown) = %v, %v", ok, err)
		}
		if ok, err := s.UseInvite("s1"); !ok || err != nil {
			t.Errorf("first UseInvite = %v, %v", ok, err)
		}
		if ok, err := s.UseInvite("s1"); ok || err != nil {
			t.Errorf("second UseInvite = %v, %v", ok, err)
		}
		// Re-adding a used secret must not revive it.
		must(t, s.AddInvite(contacts.Invite{Secret: "s1"}))
		if ok, _ := s.UseInvite("s1"); ok {
			t.Error("re-added invite was usable again")
		}

		must(t, s.AddInvite(contacts.Invite{Secret: "race"}))
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.UseInvite("race")
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d concurrent UseInvite calls won, want exactly 1", wins)
		}
	})

	t.Run("AddMessageDedupe", func(t *testing.T) {
		s := open(t)
		m := msg("m1", "peerA", "hello", false)
		if ok, err := s.AddMessage(m); !ok || err != nil {
			t.Fatalf("first AddMessage = %v, %v", ok, err)
		}
		m2 := m
		m2.Body = "changed"
		if ok, err := s.AddMessage(m2); ok || err != nil {
			t.Fatalf("duplicate AddMessage = %v, %v", ok, err)
		}
		got, err := s.Messages("peerA", 10)
		must(t, err)
		if len(got) != 1 || got[0].Body != "hello" {
			t.Fatalf("after duplicate: %+v", got)
		}
		if !got[0].SentAt.Equal(m.SentAt) || !got[0].ReceivedAt.Equal(m.ReceivedAt) {
			t.Errorf("times changed: %v %v", got[0].SentAt, got[0].ReceivedAt)
		}
		got[0].SentAt, got[0].ReceivedAt = m.SentAt, m.ReceivedAt
		if !reflect.DeepEqual(got[0], m) {
			t.Errorf("round trip = %+v, want %+v", got[0], m)
		}
		if _, err := s.AddMessage(contacts.Message{Conversation: "x"}); !errors.Is(err, ErrInvalid) {
			t.Errorf("AddMessage(no ID) = %v, want ErrInvalid", err)
		}

		ins, err := s.AddMessages([]contacts.Message{
			msg("m1", "peerA", "dup of stored", false),
			msg("m2", "peerA", "new", false),
			msg("m2", "peerA", "dup in batch", false),
			msg("m3", "peerB", "other", true),
		})
		must(t, err)
		if want := []bool{false, true, false, true}; !reflect.DeepEqual(ins, want) {
			t.Errorf("AddMessages = %v, want %v", ins, want)
		}
		if _, err := s.AddMessages([]contacts.Message{msg("m9", "p", "x", false), {}}); !errors.Is(err, ErrInvalid) {
			t.Errorf("AddMessages with empty ID = %v", err)
		}
		if got, _ := s.Messages("p", 0); len(got) != 0 {
			t.Errorf("a failed batch stored %d messages", len(got))
		}
	})

	t.Run("MessagesOrderAndLimit", func(t *testing.T) {
		s := open(t)
		base := time.Now()
		for i := range 10 {
			m := msg(fmt.Sprintf("id-%d", 9-i), "peerA", fmt.Sprint(i), i%2 == 0)
			// Clocks disagree: later messages claim earlier times.
			m.SentAt = base.Add(-time.Duration(i) * time.Hour)
			m.ReceivedAt = m.SentAt
			_, err := s.AddMessage(m)
			must(t, err)
			_, err = s.AddMessage(msg(fmt.Sprintf("other-%d", i), "peerB", "x", false))
			must(t, err)
		}
		all, err := s.Messages("peerA", 0)
		must(t, err)
		if got := bodies(all); !reflect.DeepEqual(got, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
			t.Errorf("all = %v", got)
		}
		last, err := s.Messages("peerA", 3)
		must(t, err)
		if got := bodies(last); !reflect.DeepEqual(got, []string{"7", "8", "9"}) {
			t.Errorf("last 3 = %v", got)
		}
		many, err := s.Messages("peerA", 100)
		must(t, err)
		if len(many) != 10 {
			t.Errorf("limit above count gave %d", len(many))
		}
		none, err := s.Messages("nobody", 10)
		must(t, err)
		if len(none) != 0 {
			t.Errorf("unknown conversation gave %d", len(none))
		}
	})

	t.Run("OutboxAndStatus", func(t *testing.T) {
		s := open(t)
		for i, id := range []string{"o1", "in", "o2", "o3"} {
			m := msg(id, "peerA", fmt.Sprint(i), id != "in")
			_, err := s.AddMessage(m)
			must(t, err)
		}
		_, err := s.AddMessage(msg("elsewhere", "peerB", "x", true))
		must(t, err)
		out, err := s.Outbox("peerA", 0)
		must(t, err)
		if got := ids(out); !reflect.DeepEqual(got, []string{"o1", "o2", "o3"}) {
			t.Errorf("Outbox = %v", got)
		}
		out, err = s.Outbox("peerA", 2)
		must(t, err)
		if got := ids(out); !reflect.DeepEqual(got, []string{"o1", "o2"}) {
			t.Errorf("Outbox limit 2 = %v", got)
		}
		must(t, s.SetStatus("o2", contacts.Delivered))
		must(t, s.SetStatus("o2", contacts.Delivered)) // unchanged is fine
		out, err = s.Outbox("peerA", 0)
		must(t, err)
		if got := ids(out); !reflect.DeepEqual(got, []string{"o1", "o3"}) {
			t.Errorf("Outbox after delivery = %v", got)
		}
		must(t, s.SetStatuses([]string{"o3", "missing"}, contacts.Delivered))
		out, err = s.Outbox("peerA", 0)
		must(t, err)
		if got := ids(out); !reflect.DeepEqual(got, []string{"o1"}) {
			t.Errorf("Outbox after SetStatuses = %v", got)
		}
		if err := s.SetStatus("missing", contacts.Delivered); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetStatus(missing) = %v, want ErrNotFound", err)
		}
		all, err := s.Messages("peerA", 0)
		must(t, err)
		if all[2].Status != contacts.Delivered {
			t.Errorf("status = %v", all[2].Status)
		}
	})

	t.Run("Unread", func(t *testing.T) {
		s := open(t)
		for i := range 5 {
			_, err := s.AddMessage(msg(fmt.Sprintf("r%d", i), "peerA", "x", false))
			must(t, err)
		}
		_, err := s.AddMessage(msg("mine", "peerA", "x", true))
		must(t, err)
		read := msg("already", "peerA", "x", false)
		read.Read = true
		_, err = s.AddMessage(read)
		must(t, err)
		_, err = s.AddMessage(msg("b", "peerB", "x", false))
		must(t, err)
		if n, err := s.Unread("peerA"); n != 5 || err != nil {
			t.Errorf("Unread = %d, %v; want 5", n, err)
		}
		must(t, s.MarkRead("peerA"))
		if n, err := s.Unread("peerA"); n != 0 || err != nil {
			t.Errorf("Unread after MarkRead = %d, %v", n, err)
		}
		if n, err := s.Unread("peerB"); n != 1 || err != nil {
			t.Errorf("Unread(peerB) = %d, %v; want 1", n, err)
		}
		must(t, s.MarkRead("nobody"))
	})

	t.Run("Search", func(t *testing.T) {
		s := open(t)
		for i, body := range []string{
			"Let's meet at the café on Friday",
			"The holiday photos are ready",
			"FRIDAY works for me",
			`he said "AND OR NOT (" and left*`,
			"日本語のテキスト 東京",
			"Привет, как дела?",
			"meeting notes: budget-2025 approved",
		} {
			_, err := s.AddMessage(msg(fmt.Sprintf("s%d", i), "peerA", body, i%2 == 0))
			must(t, err)
		}
		cases := []struct {
			query string
			want  []string
		}{
			{"friday", []string{"s2", "s0"}},
			{"Friday meet", []string{"s0"}},
			{"cafe", []string{"s0"}},
			{"CAFÉ", []string{"s0"}},
			{"hol", []string{"s1"}},
			{"meet", []string{"s6", "s0"}},
			{"привет", []string{"s5"}},
			{"東京", []string{"s4"}},
			{"budget 2025", []string{"s6"}},
			{"budget-2025", []string{"s6"}},
			{"nothing-like-this", nil},
			{"", nil},
			{"   ", nil},
			{`"`, nil},
			{`*`, nil},
			{`AND OR NOT (`, []string{"s3"}},
			{`"friday`, []string{"s2", "s0"}},
			{`friday"*)`, []string{"s2", "s0"}},
			{`NEAR(friday meet)`, nil},
			{`body:friday`, nil},
			{`^friday`, []string{"s2", "s0"}},
			{"\x00\xff\xfe", nil},
			{"💥 friday", []string{"s2", "s0"}},
		}
		for _, c := range cases {
			got, err := s.Search(c.query, 10)
			if err != nil {
				t.Errorf("Search(%q): %v", c.query, err)
				continue
			}
			if g := ids(got); !reflect.DeepEqual(g, c.want) {
				t.Errorf("Search(%q) = %v, want %v", c.query, g, c.want)
			}
		}
		got, err := s.Search("friday", 1)
		must(t, err)
		if g := ids(got); !reflect.DeepEqual(g, []string{"s2"}) {
			t.Errorf("Search limit 1 = %v", g)
		}
		long := ""
		for i := range 1000 {
			long += fmt.Sprintf("w%d ", i)
		}
		if _, err := s.Search(long, 10); err != nil {
			t.Errorf("long query: %v", err)
		}
	})

	t.Run("Transfers", func(t *testing.T) { testTransfers(t, open(t)) })

	t.Run("Closed", func(t *testing.T) {
		s := open(t)
		must(t, s.Close())
		if _, err := s.AddMessage(msg("x", "p", "b", false)); !errors.Is(err, ErrClosed) {
			t.Errorf("AddMessage after Close = %v, want ErrClosed", err)
		}
		if _, err := s.Setting("a"); !errors.Is(err, ErrClosed) {
			t.Errorf("Setting after Close = %v, want ErrClosed", err)
		}
		if err := s.PutTransfer(contacts.Transfer{ID: "x"}); !errors.Is(err, ErrClosed) {
			t.Errorf("PutTransfer after Close = %v, want ErrClosed", err)
		}
		if _, err := s.ActiveTransfers(); !errors.Is(err, ErrClosed) {
			t.Errorf("ActiveTransfers after Close = %v, want ErrClosed", err)
		}
		must(t, s.Close())
	})
}

func msg(id, conv, body string, outgoing bool) contacts.Message {
	now := time.Now()
	m := contacts.Message{
		ID: id, Conversation: conv, Body: body,
		SentAt: now.Add(-time.Second), ReceivedAt: now,
		Outgoing: outgoing,
	}
	if outgoing {
		m.From = "me"
		m.Status = contacts.Pending
		m.Read = true
	} else {
		m.From = conv
		m.Status = contacts.Received
	}
	return m
}

func bodies(ms []contacts.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Body)
	}
	return out
}

func ids(ms []contacts.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
