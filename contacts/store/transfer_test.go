package store

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"hearth/contacts"
)

// testTransfers is the part of the conformance suite (testStore) about
// file transfers.
func testTransfers(t *testing.T, s Store) {
	base := time.Date(2025, 3, 4, 5, 6, 7, 890123456, time.UTC)
	full := contacts.Transfer{
		ID: "t-full", Conversation: "peerA", Outgoing: true,
		Name: "Report «final».pdf", Size: 1 << 40, MIME: "application/pdf",
		SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		Path:   "/home/ada/Report.pdf", Done: 12345, State: contacts.Paused,
		Reason: "paused by Bob", Scan: contacts.Infected, Signature: "Eicar-Test-Signature",
		VoiceNote: true, CreatedAt: base, UpdatedAt: base.Add(time.Minute),
		// Group files: who sent it, and each member's state.
		Sender:     "peerS",
		Recipients: map[string]contacts.TransferState{"peerB": contacts.Done, "peerC": contacts.Offered},
	}

	if _, err := s.Transfer("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Transfer(unknown) = %v, want ErrNotFound", err)
	}
	if err := s.PutTransfer(contacts.Transfer{Conversation: "peerA"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("PutTransfer(no ID) = %v, want ErrInvalid", err)
	}
	if ts, err := s.Transfers("peerA"); err != nil || len(ts) != 0 {
		t.Errorf("Transfers on an empty store = %v, %v", ts, err)
	}
	if ts, err := s.ActiveTransfers(); err != nil || len(ts) != 0 {
		t.Errorf("ActiveTransfers on an empty store = %v, %v", ts, err)
	}

	// Every field survives a round trip.
	must(t, s.PutTransfer(full))
	got, err := s.Transfer(full.ID)
	must(t, err)
	if !got.CreatedAt.Equal(full.CreatedAt) || !got.UpdatedAt.Equal(full.UpdatedAt) {
		t.Errorf("times = %v, %v; want %v, %v", got.CreatedAt, got.UpdatedAt, full.CreatedAt, full.UpdatedAt)
	}
	got.CreatedAt, got.UpdatedAt = full.CreatedAt, full.UpdatedAt
	if !reflect.DeepEqual(got, full) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, full)
	}
	// The store hands out copies: changing one changes nothing stored.
	got.Recipients["peerB"] = contacts.Cancelled
	if again, _ := s.Transfer(full.ID); again.Recipients["peerB"] != contacts.Done {
		t.Errorf("a returned transfer's Recipients alias the stored one")
	}

	// Zero values (an incoming offer, no times) round-trip as zero values.
	bare := contacts.Transfer{ID: "t-bare", Conversation: "peerB"}
	must(t, s.PutTransfer(bare))
	got, err = s.Transfer(bare.ID)
	must(t, err)
	if !reflect.DeepEqual(got, bare) {
		t.Errorf("zero-valued round trip = %+v", got)
	}

	// Replacing changes every field, but not the place in the order.
	upd := full
	upd.State, upd.Done, upd.Reason, upd.Scan, upd.Signature = contacts.Transferring, 99, "", contacts.NotScanned, ""
	upd.Path, upd.VoiceNote, upd.Sender, upd.Recipients = "", false, "", nil
	must(t, s.PutTransfer(upd))
	got, err = s.Transfer(full.ID)
	must(t, err)
	got.CreatedAt, got.UpdatedAt = upd.CreatedAt, upd.UpdatedAt
	if !reflect.DeepEqual(got, upd) {
		t.Errorf("after replace:\n got %+v\nwant %+v", got, upd)
	}
}

func TestTransfersOrderSQLite(t *testing.T) { testTransfersOrder(t, openSQLite(t)) }
func TestTransfersOrderSQLiteInMemory(t *testing.T) {
	testTransfersOrder(t, openSQLiteMemory(t))
}

func testTransfersOrder(t *testing.T, s Store) {
	base := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	put := func(id, conv string, created time.Duration, st contacts.TransferState) {
		t.Helper()
		must(t, s.PutTransfer(contacts.Transfer{
			ID: id, Conversation: conv, Name: id, State: st,
			CreatedAt: base.Add(created), UpdatedAt: base.Add(created),
		}))
	}
	// Stored out of time order; c1 and c2 share a creation time, so their
	// insertion order decides.
	put("c3", "peerA", 3*time.Second, contacts.Done)
	put("c1", "peerA", time.Second, contacts.Offered)
	put("b1", "peerB", 2*time.Second, contacts.Transferring)
	put("c2", "peerA", time.Second, contacts.Paused)
	put("c0", "peerA", 0, contacts.Verifying)
	put("b2", "peerB", 4*time.Second, contacts.Quarantined)
	for i, st := range []contacts.TransferState{contacts.Declined, contacts.Cancelled, contacts.Failed} {
		put(fmt.Sprintf("z%d", i), "peerC", time.Duration(i), st)
	}

	check := func(what string, ts []contacts.Transfer, err error, want ...string) {
		t.Helper()
		must(t, err)
		var got []string
		for _, tr := range ts {
			got = append(got, tr.ID)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	ts, err := s.Transfers("peerA")
	check("Transfers(peerA)", ts, err, "c0", "c1", "c2", "c3")
	ts, err = s.Transfers("peerB")
	check("Transfers(peerB)", ts, err, "b1", "b2")
	ts, err = s.Transfers("nobody")
	check("Transfers(nobody)", ts, err)
	ts, err = s.ActiveTransfers()
	check("ActiveTransfers", ts, err, "c0", "c1", "c2", "b1")

	// Replacing c1 keeps it ahead of c2; finishing it drops it from the
	// active list, and resuming a finished one brings it back.
	tr, err := s.Transfer("c1")
	must(t, err)
	tr.State = contacts.Done
	must(t, s.PutTransfer(tr))
	ts, err = s.Transfers("peerA")
	check("Transfers(peerA) after replace", ts, err, "c0", "c1", "c2", "c3")
	ts, err = s.ActiveTransfers()
	check("ActiveTransfers after Done", ts, err, "c0", "c2", "b1")
	tr, err = s.Transfer("c3")
	must(t, err)
	tr.State = contacts.Paused
	must(t, s.PutTransfer(tr))
	ts, err = s.ActiveTransfers()
	check("ActiveTransfers after resume", ts, err, "c0", "c2", "b1", "c3")
}

func TestTransfersConcurrentSQLite(t *testing.T) { testTransfersConcurrent(t, openSQLite(t)) }
func TestTransfersConcurrentSQLiteInMemory(t *testing.T) {
	testTransfersConcurrent(t, openSQLiteMemory(t))
}

// testTransfersConcurrent updates transfers from several goroutines, as
// progress reports and the UI do; run with -race.
func testTransfersConcurrent(t *testing.T, s Store) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("g%d", g)
			for i := range 25 {
				if err := s.PutTransfer(contacts.Transfer{ID: id, Conversation: "p", Done: int64(i), State: contacts.Transferring}); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.ActiveTransfers(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ts, err := s.Transfers("p")
	must(t, err)
	if len(ts) != 4 {
		t.Fatalf("%d transfers, want 4", len(ts))
	}
	for _, tr := range ts {
		if tr.Done != 24 {
			t.Errorf("%s: Done = %d, want 24", tr.ID, tr.Done)
		}
	}
}
