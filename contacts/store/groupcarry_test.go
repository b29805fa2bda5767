package store

import (
	"slices"
	"testing"
	"time"

	"hearth/contacts"
)

func TestGroupCarrySQLite(t *testing.T)         { testGroupCarry(t, openSQLite) }
func TestGroupCarrySQLiteInMemory(t *testing.T) { testGroupCarry(t, openSQLiteMemory) }

// testGroupCarry: which group messages still go to carriers for a member.
func testGroupCarry(t *testing.T, open func(t *testing.T) Store) {
	s := open(t)
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	conv := contacts.GroupConversation("g1")
	for i, id := range []string{"a", "b", "c"} {
		if _, err := s.AddGroupMessage(groupMessage(id, conv, i), []string{"peer-bob", "peer-cleo"}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(member, key string, since time.Time, limit int) []string {
		t.Helper()
		ms, err := s.UndepositedGroup(member, key, since, limit)
		must(t, err)
		var out []string
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	if got := ids("peer-bob", "C>peer-bob", now, 0); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("nothing deposited: %q", got)
	}
	if got := ids("peer-bob", "C>peer-bob", now, 2); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("limit 2: %q", got)
	}
	// A deposit for Bob through C leaves Cleo's and another carrier's.
	must(t, s.MarkDeposited("C>peer-bob", []string{"a", "c"}, now))
	if got := ids("peer-bob", "C>peer-bob", now.Add(-time.Hour), 0); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("after deposit: %q", got)
	}
	if got := ids("peer-cleo", "C>peer-cleo", now.Add(-time.Hour), 0); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("Cleo's after Bob's deposit: %q", got)
	}
	if got := ids("peer-bob", "D>peer-bob", now.Add(-time.Hour), 0); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("another carrier: %q", got)
	}
	// A deposit older than since counts for nothing (the envelope expired).
	if got := ids("peer-bob", "C>peer-bob", now, 0); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("deposits before since: %q", got)
	}
	// Delivered to Bob: nothing more for him, whatever the deposits.
	if _, err := s.DoneGroupDeliveries("peer-bob", []string{"b"}); err != nil {
		t.Fatal(err)
	}
	if got := ids("peer-bob", "C>peer-bob", now.Add(-time.Hour), 0); len(got) != 0 {
		t.Fatalf("after delivery: %q", got)
	}
	if got := ids("peer-nobody", "C>peer-nobody", now, 0); len(got) != 0 {
		t.Fatalf("a stranger: %q", got)
	}
	must(t, s.Close())
	if _, err := s.UndepositedGroup("peer-bob", "k", now, 0); err == nil {
		t.Fatal("closed store answered")
	}
}
