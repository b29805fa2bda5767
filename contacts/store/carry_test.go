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

func TestCarrySQLite(t *testing.T)         { testCarry(t, openSQLite) }
func TestCarrySQLiteInMemory(t *testing.T) { testCarry(t, openSQLiteMemory) }

func envelope(id, to, from string, size int, expires time.Time) contacts.Envelope {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i)
	}
	return contacts.Envelope{ID: id, Recipient: to, Depositor: from, Data: data, Expires: expires,
		StoredAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// normalizeEnvelope gives e the shape it has after a round trip through
// the store: times without monotonic clock or zone, empty data as nil.
func normalizeEnvelope(e contacts.Envelope) contacts.Envelope {
	e.Expires = fromUnixNano(unixNano(e.Expires))
	e.StoredAt = fromUnixNano(unixNano(e.StoredAt))
	e.Data = slices.Clone(e.Data)
	if len(e.Data) == 0 {
		e.Data = nil
	}
	return e
}

func envIDs(es []contacts.Envelope) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// testCarry is the store-and-forward part of the conformance suite.
func testCarry(t *testing.T, open func(t *testing.T) Store) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	later := now.Add(14 * 24 * time.Hour)

	t.Run("Envelopes", func(t *testing.T) {
		s := open(t)
		added, err := s.AddEnvelopes([]contacts.Envelope{
			envelope("e1", "R", "S", 100, later),
			envelope("e2", "Q", "S", 50, later),
			envelope("e3", "R", "T", 10, now.Add(time.Hour)),
			envelope("e1", "R", "S", 100, later), // repeated in the batch
		})
		must(t, err)
		if !reflect.DeepEqual(added, []bool{true, true, true, false}) {
			t.Fatalf("added = %v", added)
		}
		added, err = s.AddEnvelopes([]contacts.Envelope{envelope("e2", "Q", "S", 50, later), envelope("e4", "R", "S", 1, later)})
		must(t, err)
		if !reflect.DeepEqual(added, []bool{false, true}) {
			t.Fatalf("second batch added = %v", added)
		}
		got, err := s.Envelopes("R", now, 0)
		must(t, err)
		if ids := envIDs(got); !reflect.DeepEqual(ids, []string{"e1", "e3", "e4"}) {
			t.Fatalf("Envelopes(R) = %v", ids)
		}
		if want := envelope("e1", "R", "S", 100, later); !reflect.DeepEqual(got[0], normalizeEnvelope(want)) {
			t.Fatalf("envelope changed in the store:\n%+v\n%+v", got[0], want)
		}
		got, err = s.Envelopes("R", now, 1)
		must(t, err)
		if len(got) != 1 || got[0].ID != "e1" {
			t.Fatalf("limit 1: %v", envIDs(got))
		}
		// Expired ones are not handed out, then dropped.
		got, err = s.Envelopes("R", now.Add(time.Hour), 0)
		must(t, err)
		if ids := envIDs(got); !reflect.DeepEqual(ids, []string{"e1", "e4"}) {
			t.Fatalf("after e3 expired: %v", ids)
		}
		u, err := s.CarryUsage("S")
		must(t, err)
		if u != (contacts.CarryUsage{Count: 3, Bytes: 151, TotalCount: 4, TotalBytes: 161}) {
			t.Fatalf("usage %+v", u)
		}
		n, err := s.DropExpiredEnvelopes(now.Add(time.Hour))
		must(t, err)
		if n != 1 {
			t.Fatalf("dropped %d, want 1", n)
		}
		must(t, s.DeleteEnvelopes([]string{"e1", "nope"}))
		got, err = s.Envelopes("R", now, 0)
		must(t, err)
		if ids := envIDs(got); !reflect.DeepEqual(ids, []string{"e4"}) {
			t.Fatalf("after delete: %v", ids)
		}
		u, err = s.CarryUsage("T")
		must(t, err)
		if u != (contacts.CarryUsage{Count: 0, Bytes: 0, TotalCount: 2, TotalBytes: 51}) {
			t.Fatalf("usage after delete %+v", u)
		}
		if _, err := s.AddEnvelopes([]contacts.Envelope{{ID: "", Recipient: "R"}}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("envelope without ID: %v", err)
		}
	})

	t.Run("Deposits", func(t *testing.T) {
		s := open(t)
		for _, m := range []contacts.Message{
			msg("m1", "R", "one", true),
			msg("m2", "R", "two", true),
			msg("m3", "R", "three", true),
			msg("in", "R", "from R", false),
			msg("o", "Q", "to Q", true),
		} {
			_, err := s.AddMessage(m)
			must(t, err)
		}
		must(t, s.MarkDeposited("C", []string{"m1"}, now))
		must(t, s.MarkDeposited("D", []string{"m2"}, now))
		got, err := s.Undeposited("R", "C", time.Time{}, 0)
		must(t, err)
		if ids := ids(got); !reflect.DeepEqual(ids, []string{"m2", "m3"}) {
			t.Fatalf("Undeposited(R, C) = %v", ids)
		}
		got, err = s.Undeposited("R", "C", time.Time{}, 1)
		must(t, err)
		if ids := ids(got); !reflect.DeepEqual(ids, []string{"m2"}) {
			t.Fatalf("limit 1: %v", ids)
		}
		// A deposit older than since (its envelope expired) counts as none.
		got, err = s.Undeposited("R", "C", now, 0)
		must(t, err)
		if ids := ids(got); !reflect.DeepEqual(ids, []string{"m1", "m2", "m3"}) {
			t.Fatalf("since now: %v", ids)
		}
		// Delivered messages are never deposited again.
		must(t, s.SetStatus("m3", contacts.Delivered))
		got, err = s.Undeposited("R", "D", time.Time{}, 0)
		must(t, err)
		if ids := ids(got); !reflect.DeepEqual(ids, []string{"m1"}) {
			t.Fatalf("Undeposited(R, D) = %v", ids)
		}
	})

	t.Run("DepositedFiles", func(t *testing.T) {
		s := open(t)
		at := func(i int) time.Time { return now.Add(time.Duration(i) * time.Second) }
		for i, tr := range []contacts.Transfer{
			{ID: "f1", Conversation: "R", Outgoing: true, Name: "a.jpg", Size: 100, State: contacts.Offered},
			{ID: "f2", Conversation: "R", Outgoing: true, Name: "b.jpg", Size: 200, State: contacts.Offered},
			{ID: "big", Conversation: "R", Outgoing: true, Name: "c.iso", Size: 5000, State: contacts.Offered},
			{ID: "paused", Conversation: "R", Outgoing: true, Name: "d.jpg", Size: 100, State: contacts.Paused},
			{ID: "done", Conversation: "R", Outgoing: true, Name: "g.jpg", Size: 100, State: contacts.Done},
			{ID: "moving", Conversation: "R", Outgoing: true, Name: "h.jpg", Size: 100, State: contacts.Transferring},
			{ID: "theirs", Conversation: "R", Name: "e.jpg", Size: 100, State: contacts.Offered},
			{ID: "other", Conversation: "Q", Outgoing: true, Name: "f.jpg", Size: 100, State: contacts.Offered},
		} {
			tr.CreatedAt = at(i)
			must(t, s.PutTransfer(tr))
		}
		files := func(key string, since time.Time, limit int) []string {
			t.Helper()
			ts, err := s.UndepositedTransfers("R", key, since, 1000, limit)
			must(t, err)
			var out []string
			for _, tr := range ts {
				out = append(out, tr.ID)
			}
			return out
		}
		if got := files("C#f", time.Time{}, 0); !reflect.DeepEqual(got, []string{"f1", "f2", "moving"}) {
			t.Fatalf("UndepositedTransfers = %v", got)
		}
		must(t, s.MarkDeposited("C#f", []string{"f1"}, now))
		if got := files("C#f", time.Time{}, 0); !reflect.DeepEqual(got, []string{"f2", "moving"}) {
			t.Fatalf("after a deposit: %v", got)
		}
		if got := files("D#f", time.Time{}, 1); !reflect.DeepEqual(got, []string{"f1"}) {
			t.Fatalf("another carrier, limit 1: %v", got)
		}
		if got := files("C#f", now, 0); !reflect.DeepEqual(got, []string{"f1", "f2", "moving"}) {
			t.Fatalf("deposit older than since: %v", got)
		}
	})
}

func TestSQLiteCarryPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	s, err := OpenSQLite(path, testKey(1))
	must(t, err)
	later := time.Now().Add(time.Hour)
	_, err = s.AddEnvelopes([]contacts.Envelope{envelope("e1", "R", "S", 64, later)})
	must(t, err)
	_, err = s.AddMessage(msg("m1", "R", "one", true))
	must(t, err)
	must(t, s.MarkDeposited("C", []string{"m1"}, time.Now()))
	must(t, s.Close())

	s, err = OpenSQLite(path, testKey(1))
	must(t, err)
	defer s.Close()
	got, err := s.Envelopes("R", time.Now(), 0)
	must(t, err)
	if len(got) != 1 || len(got[0].Data) != 64 || got[0].Data[63] != 63 {
		t.Fatalf("after reopen: %+v", got)
	}
	out, err := s.Undeposited("R", "C", time.Time{}, 0)
	must(t, err)
	if len(out) != 0 {
		t.Fatalf("deposit forgotten: %v", ids(out))
	}
}
