package store

import (
	"errors"
	"testing"
	"time"

	"hearth/contacts"
)

func TestSQLiteReactions(t *testing.T) {
	s := openSQLite(t)
	for _, m := range []contacts.Message{msg("m1", "bob", "cake?", false), msg("m2", "bob", "yes", true), msg("c1", "carol", "hi", false)} {
		_, err := s.AddMessage(m)
		must(t, err)
	}
	t0 := time.Unix(1700000000, 0)
	set := func(id, who, emoji string, at time.Time) bool {
		t.Helper()
		conv := "bob"
		if id == "c1" {
			conv = "carol"
		}
		ok, err := s.SetReaction(conv, id, who, emoji, at)
		must(t, err)
		return ok
	}
	if !set("m1", "", "👍", t0) || !set("m1", "bob", "❤️", t0) || !set("c1", "", "😂", t0) {
		t.Fatal("a first reaction did not change anything")
	}
	// One per person per message: a newer one replaces, an older one is
	// ignored (changes can arrive out of order).
	if !set("m1", "", "🎉", t0.Add(time.Second)) {
		t.Error("a newer reaction was ignored")
	}
	if set("m1", "bob", "😢", t0.Add(-time.Second)) {
		t.Error("an older reaction of the peer's replaced a newer one")
	}
	// Mine always win, a millisecond after the last at the least: two taps
	// in the same millisecond still go in order.
	if !set("m1", "", "😢", t0) || !set("m1", "", "🎉", t0) {
		t.Error("my change within the same millisecond was ignored")
	}
	rs, err := s.Reactions("bob", []string{"m1", "m2"})
	must(t, err)
	if len(rs) != 2 || rs[0].From != "bob" || rs[0].Emoji != "❤️" || rs[1].From != "" || rs[1].Emoji != "🎉" {
		t.Errorf("reactions %+v", rs)
	}
	// Mine wait for the peer, per conversation, until acknowledged.
	p, err := s.PendingReactions("bob")
	must(t, err)
	if len(p) != 1 || p[0].MessageID != "m1" || p[0].Emoji != "🎉" {
		t.Fatalf("pending %+v", p)
	}
	must(t, s.ReactionSent("bob", "m1", t0)) // an older send: still pending
	if p, _ = s.PendingReactions("bob"); len(p) != 1 {
		t.Error("acknowledging an older reaction cleared the newer one")
	}
	must(t, s.ReactionSent("bob", "m1", p[0].At))
	if p, _ = s.PendingReactions("bob"); len(p) != 0 {
		t.Errorf("still pending %+v", p)
	}
	// Taking it back is a change too, and hides it.
	if !set("m1", "", "", t0.Add(2*time.Second)) {
		t.Error("removing did not change anything")
	}
	if rs, _ = s.Reactions("bob", []string{"m1"}); len(rs) != 1 || rs[0].From != "bob" {
		t.Errorf("after removing mine: %+v", rs)
	}
	if p, _ = s.PendingReactions("bob"); len(p) != 1 || p[0].Emoji != "" {
		t.Errorf("the removal is not pending: %+v", p)
	}
	if _, err := s.SetReaction("bob", "nope", "", "👍", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("reacting to an unknown message: %v", err)
	}
	// A message of another conversation is not reached by its ID alone.
	if _, err := s.SetReaction("carol", "m1", "carol", "👍", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("reacting across conversations: %v", err)
	}
	if rs, _ = s.Reactions("carol", []string{"m1"}); len(rs) != 0 {
		t.Errorf("bob's reactions show in carol's conversation: %+v", rs)
	}
	// A message that goes (retention) takes its reactions along.
	_, err = s.DeleteMessagesBefore("carol", time.Now().Add(time.Hour))
	must(t, err)
	if rs, _ = s.Reactions("carol", []string{"c1"}); len(rs) != 0 {
		t.Errorf("reactions outlived their message: %+v", rs)
	}
	must(t, s.Close())
	if _, err := s.Reactions("bob", []string{"m1"}); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}
