package store

import (
	"errors"
	"math"
	"path/filepath"
	"testing"
	"time"

	"hearth/contacts"
)

// A message is its ID within its conversation and author: another
// author's message with the same ID (a group member who saw it, sending
// it first as a 1:1 message) is stored beside it, never instead of it.
// Guards finding 1 of issue 14.
func TestSQLiteMessageIdentityScoped(t *testing.T) {
	for name, open := range map[string]func(*testing.T) Store{"file": openSQLite, "memory": openSQLiteMemory} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			forged := msg("x1", "mallory", "forged first", false)
			real := msg("x1", "carol", "the real one", false)
			group := msg("x1", "g:team", "in the group", false)
			group.From = "carol"
			mine := msg("x1", "carol", "mine with their ID", true)
			for _, m := range []contacts.Message{forged, real, group, mine} {
				if ok, err := s.AddMessage(m); err != nil || !ok {
					t.Fatalf("AddMessage(%s in %s by %s) = %v, %v: suppressed by another's copy", m.ID, m.Conversation, m.From, ok, err)
				}
			}
			// The same author's same message again is a duplicate.
			if ok, err := s.AddMessage(real); err != nil || ok {
				t.Fatalf("duplicate of the same key = %v, %v", ok, err)
			}
			ins, err := s.AddMessages([]contacts.Message{real, msg("x2", "carol", "new", false), msg("x2", "carol", "again", false)})
			must(t, err)
			if ins[0] || !ins[1] || ins[2] {
				t.Fatalf("AddMessages = %v", ins)
			}
			if got, _ := s.Messages("carol", 0); len(got) != 3 || got[0].Body != "the real one" {
				t.Fatalf("carol's conversation = %q", bodies(got))
			}
			// A lookup on a peer's word is scoped; one by ID alone prefers mine.
			if m, err := s.MessageIn("carol", "carol", "x1"); err != nil || m.Body != "the real one" {
				t.Fatalf("MessageIn = %+v, %v", m, err)
			}
			if m, err := s.MessageIn("carol", "", "x1"); err != nil || !m.Outgoing {
				t.Fatalf("MessageIn(any author) = %+v, %v, want mine", m, err)
			}
			if _, err := s.MessageIn("carol", "mallory", "x1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("MessageIn(wrong author) = %v", err)
			}
			// An edit by key changes that message only.
			ok, err := s.EditMessage(forged.Key(), "edited by mallory", time.UnixMilli(10))
			if err != nil || !ok {
				t.Fatalf("EditMessage = %v, %v", ok, err)
			}
			if m, _ := s.MessageIn("carol", "carol", "x1"); m.Body != "the real one" {
				t.Fatalf("mallory's edit reached carol's message: %q", m.Body)
			}
			if _, err := s.DeleteMessage(contacts.MessageKey{Conversation: "carol", From: "mallory", ID: "x1"}, time.UnixMilli(11)); !errors.Is(err, ErrNotFound) {
				t.Fatalf("delete of a key that does not exist = %v", err)
			}
			// Statuses are kept for my messages only.
			must(t, s.SetStatus("x1", contacts.Delivered))
			if m, _ := s.MessageIn("carol", "carol", "x1"); m.Status != contacts.Received {
				t.Fatalf("SetStatus changed a peer's message to %v", m.Status)
			}
			if m, _ := s.MessageIn("carol", "me", "x1"); m.Status != contacts.Delivered {
				t.Fatalf("my message's status = %v", m.Status)
			}
		})
	}
}

// Migration 9 rebuilds the messages table: every message, its seq (the
// search index and group deliveries refer to it), and the deliveries
// themselves survive, and the triggers keep the index in step.
func TestSQLiteMigrateToScopedIdentity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	key := testKey(9)
	all := migrations
	migrations = all[:8]
	old, err := OpenSQLite(path, key)
	migrations = all
	must(t, err)
	_, err = old.AddGroupMessage(msg("g1", "g:team", "group zebra", true), []string{"bob", "carol"})
	must(t, err)
	_, err = old.AddMessage(msg("m1", "bob", "plain zebra", false))
	must(t, err)
	if found, err := old.Search("zebra", 0); err != nil || len(found) != 2 { // indexed before the upgrade
		t.Fatalf("search before = %d, %v", len(found), err)
	}
	must(t, old.Close())

	s, err := OpenSQLite(path, key)
	must(t, err)
	defer s.Close()
	if peers, err := s.GroupDeliveryPeers(); err != nil || len(peers) != 2 {
		t.Fatalf("deliveries after migration = %v, %v", peers, err)
	}
	if found, err := s.Search("zebra", 0); err != nil || len(found) != 2 {
		t.Fatalf("search after migration = %d, %v", len(found), err)
	}
	_, err = s.DeleteMessage(contacts.MessageKey{Conversation: "bob", From: "bob", ID: "m1"}, time.UnixMilli(1))
	must(t, err)
	if found, _ := s.Search("plain", 0); len(found) != 0 {
		t.Fatal("the delete trigger is gone: deleted text still found")
	}
	done, err := s.DoneGroupDeliveries("bob", []string{"g1"})
	must(t, err)
	if len(done) != 0 {
		t.Fatalf("delivered with one member still owed: %v", done)
	}
	done, err = s.DoneGroupDeliveries("carol", []string{"g1"})
	must(t, err)
	if len(done) != 1 {
		t.Fatalf("group message not delivered after both acks: %v", done)
	}
	if ok, err := s.AddMessage(msg("m1", "g:team", "same ID elsewhere", false)); err != nil || !ok {
		t.Fatalf("after migration, same ID in another conversation = %v, %v", ok, err)
	}
}

// Times outside what Unix nanoseconds hold are stored saturated, in order,
// never wrapped: year 9999 stayed after year 2000 (it came back as 1816).
// Guards finding 2 of issue 14 at the store.
func TestSQLiteExtremeTimesSaturate(t *testing.T) {
	s := openSQLite(t)
	times := map[string]time.Time{
		"max":   time.UnixMilli(math.MaxInt64),
		"y9999": time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		"p62":   time.UnixMilli(1 << 62),
		"min":   time.UnixMilli(math.MinInt64),
		"y1":    time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
	}
	y2000 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for id, at := range times {
		m := msg(id, "bob", id, false)
		m.SentAt = at
		_, err := s.AddMessage(m)
		must(t, err)
		got, err := s.MessageIn("bob", "bob", id)
		must(t, err)
		if future := at.After(y2000); future != got.SentAt.After(y2000) || got.SentAt.IsZero() {
			t.Errorf("%s: sent %v, stored as %v", id, at, got.SentAt)
		}
	}
}
