package store

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"hearth/contacts"
)

func TestSQLiteGroups(t *testing.T)         { testGroups(t, openSQLite) }
func TestSQLiteInMemoryGroups(t *testing.T) { testGroups(t, openSQLiteMemory) }

func sampleGroup(id, name string) contacts.Group {
	return contacts.Group{
		ID: id, Name: name, Creator: "peer-ann",
		Members: []contacts.GroupMember{
			{PeerID: "peer-ann", Name: "Ann", Addrs: []string{"/ip4/127.0.0.1/tcp/1"}},
			{PeerID: "peer-bob", Name: "Bob"},
			{PeerID: "peer-cleo", Name: "Cleo"},
		},
		Version: 3, State: []byte{1, 2, 3}, Signature: []byte{4, 5},
		Told:      map[string]uint64{"peer-bob": 2},
		CreatedAt: time.Unix(1700000000, 123),
	}
}

func groupMessage(id, conv string, at int) contacts.Message {
	t := time.Unix(1700000000+int64(at), 0)
	return contacts.Message{ID: id, Conversation: conv, From: "peer-ann", Body: "body " + id,
		SentAt: t, ReceivedAt: t, Status: contacts.Pending, Outgoing: true, Read: true}
}

func outboxIDs(t *testing.T, s Store, member string, limit int) []string {
	t.Helper()
	ms, err := s.GroupOutbox(member, limit)
	must(t, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

func status(t *testing.T, s Store, conv, id string) contacts.Status {
	t.Helper()
	ms, err := s.Messages(conv, 0)
	must(t, err)
	for _, m := range ms {
		if m.ID == id {
			return m.Status
		}
	}
	t.Fatalf("message %s not stored", id)
	return 0
}

// testGroups is the group part of the conformance suite.
func testGroups(t *testing.T, open func(t *testing.T) Store) {
	t.Run("PutGroup", func(t *testing.T) {
		s := open(t)
		if _, err := s.Group("nope"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Group(unknown) = %v", err)
		}
		if err := s.PutGroup(contacts.Group{}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("PutGroup without ID = %v", err)
		}
		g := sampleGroup("g1", "choir")
		must(t, s.PutGroup(g))
		must(t, s.PutGroup(sampleGroup("g2", "Allotment")))
		must(t, s.PutGroup(contacts.Group{ID: "g0", Name: "Choir"}))
		got, err := s.Group("g1")
		must(t, err)
		if !reflect.DeepEqual(got, g) {
			t.Fatalf("round trip:\n got %#v\nwant %#v", got, g)
		}
		g.Name, g.Version, g.Left, g.LeavePending = "Choir 2", 4, true, true
		g.Told = nil
		must(t, s.PutGroup(g))
		got, _ = s.Group("g1")
		if !reflect.DeepEqual(got, g) {
			t.Fatalf("after replace:\n got %#v\nwant %#v", got, g)
		}
		gs, err := s.Groups()
		must(t, err)
		var ids []string
		for _, g := range gs {
			ids = append(ids, g.ID)
		}
		if !slices.Equal(ids, []string{"g2", "g0", "g1"}) {
			t.Fatalf("Groups order = %q", ids)
		}
		// The stored copy is not the caller's.
		got.Members[0].Name = "changed"
		got.Told = map[string]uint64{"x": 1}
		again, _ := s.Group("g1")
		if again.Members[0].Name != "Ann" || again.Told != nil {
			t.Fatal("store shares memory with its caller")
		}
	})

	t.Run("Deliveries", func(t *testing.T) {
		s := open(t)
		conv := contacts.GroupConversation("g1")
		other := contacts.GroupConversation("g2")
		to := []string{"peer-bob", "peer-cleo"}
		for i, id := range []string{"a", "b", "c"} {
			ok, err := s.AddGroupMessage(groupMessage(id, conv, i), to)
			must(t, err)
			if !ok {
				t.Fatalf("%s not new", id)
			}
		}
		ok, err := s.AddGroupMessage(groupMessage("d", other, 3), []string{"peer-bob"})
		must(t, err)
		if !ok {
			t.Fatal("d not new")
		}
		// A repeated ID changes nothing, not even the deliveries.
		if ok, err := s.AddGroupMessage(groupMessage("a", conv, 9), []string{"peer-dan"}); err != nil || ok {
			t.Fatalf("duplicate: %v %v", ok, err)
		}
		peers, err := s.GroupDeliveryPeers()
		must(t, err)
		if !slices.Equal(peers, []string{"peer-bob", "peer-cleo"}) {
			t.Fatalf("peers = %q", peers)
		}
		if got := outboxIDs(t, s, "peer-bob", 0); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
			t.Fatalf("bob's outbox = %q", got)
		}
		if got := outboxIDs(t, s, "peer-bob", 2); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("bob's outbox, limit 2 = %q", got)
		}
		// The messages are in the conversation once each, like any other.
		if ms, _ := s.Messages(conv, 0); len(ms) != 3 {
			t.Fatalf("conversation holds %d", len(ms))
		}

		// Bob acknowledges a and b (and an unknown ID): still pending for Cleo.
		done, err := s.DoneGroupDeliveries("peer-bob", []string{"a", "b", "zzz"})
		must(t, err)
		if len(done) != 0 || status(t, s, conv, "a") != contacts.Pending {
			t.Fatalf("done %q after bob only", done)
		}
		// Acknowledging again is harmless.
		done, err = s.DoneGroupDeliveries("peer-bob", []string{"a"})
		must(t, err)
		if len(done) != 0 {
			t.Fatalf("repeat ack completed %q", done)
		}
		// Cleo acknowledges a: a is delivered to everyone.
		done, err = s.DoneGroupDeliveries("peer-cleo", []string{"a"})
		must(t, err)
		if !slices.Equal(done, []string{"a"}) || status(t, s, conv, "a") != contacts.Delivered {
			t.Fatalf("done = %q", done)
		}
		// Cleo is removed from g1: her deliveries end, b completes.
		done, err = s.DropGroupDeliveries(conv, "peer-cleo")
		must(t, err)
		if !slices.Equal(done, []string{"b"}) {
			t.Fatalf("drop completed %q", done)
		}
		if got := outboxIDs(t, s, "peer-cleo", 0); len(got) != 0 {
			t.Fatalf("cleo still owed %q", got)
		}
		if got := outboxIDs(t, s, "peer-bob", 0); !slices.Equal(got, []string{"c", "d"}) {
			t.Fatalf("bob's outbox = %q", got)
		}
		peers, _ = s.GroupDeliveryPeers()
		if !slices.Equal(peers, []string{"peer-bob"}) {
			t.Fatalf("peers = %q", peers)
		}
		// Dropping one group's deliveries leaves the other's.
		done, err = s.DropGroupDeliveries(other, "peer-bob")
		must(t, err)
		if !slices.Equal(done, []string{"d"}) {
			t.Fatalf("drop g2 completed %q", done)
		}
		if got := outboxIDs(t, s, "peer-bob", 0); !slices.Equal(got, []string{"c"}) {
			t.Fatalf("bob's outbox = %q", got)
		}
		// A message to a group where I am alone is stored, owed to no one.
		ok, err = s.AddGroupMessage(groupMessage("e", conv, 5), nil)
		must(t, err)
		if !ok {
			t.Fatal("e not stored")
		}
		if _, err := s.AddGroupMessage(contacts.Message{Conversation: conv}, to); !errors.Is(err, ErrInvalid) {
			t.Fatalf("message without ID: %v", err)
		}
	})
}

func TestSQLiteGroupsPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	s, err := OpenSQLite(path, testKey(3))
	must(t, err)
	conv := contacts.GroupConversation("g1")
	must(t, s.PutGroup(sampleGroup("g1", "Choir")))
	_, err = s.AddGroupMessage(groupMessage("a", conv, 0), []string{"peer-bob", "peer-cleo"})
	must(t, err)
	must(t, s.Close())
	s2, err := OpenSQLite(path, testKey(3))
	must(t, err)
	defer s2.Close()
	g, err := s2.Group("g1")
	must(t, err)
	if !reflect.DeepEqual(g, sampleGroup("g1", "Choir")) {
		t.Fatalf("after reopen %#v", g)
	}
	if got := outboxIDs(t, s2, "peer-cleo", 0); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("cleo's outbox after reopen = %q", got)
	}
}
