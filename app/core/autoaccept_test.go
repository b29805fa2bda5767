package core

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"hearth/app/core/transfers"
	"hearth/app/policy"
	"hearth/contacts"
)

// TestAutoAcceptSetting: the user's auto-accept size decides which offers
// start at once, and it survives a restart.
func TestAutoAcceptSetting(t *testing.T) {
	alice, bob := newFilePeers(t)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	if got := bob.m.Transfers.AutoAcceptBelow(); got != policy.DefaultAutoAccept {
		t.Fatalf("default auto-accept %d, want %d", got, policy.DefaultAutoAccept)
	}
	if bob.m.Transfers.Policy().AutoAcceptFixed {
		t.Fatal("fixed without a policy file")
	}

	// Off: even a small file waits for the user.
	if err := bob.m.Transfers.SetAutoAcceptBelow(0); err != nil {
		t.Fatal(err)
	}
	small, _ := writeFile(t, "note.txt", 2000)
	sent, err := alice.m.Transfers.SendFile(bID, small)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "offer at bob", func() bool { return transferOf(bob.m, aID, sent.ID).State != -1 })
	if st := transferOf(bob.m, aID, sent.ID).State; st != contacts.Offered {
		t.Fatalf("with auto-accept off a small file is %v", st)
	}

	// 1 MB, kept over a restart: 500 kB starts at once, 2 MB waits.
	if err := bob.m.Transfers.SetAutoAcceptBelow(1_000_000); err != nil {
		t.Fatal(err)
	}
	bob.stop(t)
	bob.restart(t)
	if got := bob.m.Transfers.Policy().AutoAcceptBelow; got != 1_000_000 {
		t.Fatalf("after a restart auto-accept is %d", got)
	}
	waitFor(t, "online again", func() bool { return presenceOf(alice.m, bID) == contacts.Online })
	mid, _ := writeFile(t, "photo.bin", 500_000)
	big, _ := writeFile(t, "scan.bin", 2_000_000)
	sentMid, err := alice.m.Transfers.SendFile(bID, mid)
	if err != nil {
		t.Fatal(err)
	}
	sentBig, err := alice.m.Transfers.SendFile(bID, big)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "500 kB accepted by itself", func() bool { return transferOf(bob.m, aID, sentMid.ID).State == contacts.Done })
	// Saved with the mode any download gets (0644 less the umask), not
	// the private mode of a partial file.
	probe := filepath.Join(t.TempDir(), "probe")
	if f, err := os.OpenFile(probe, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
		f.Close()
	}
	want, _ := os.Stat(probe)
	got, err := os.Stat(transferOf(bob.m, aID, sentMid.ID).Path)
	if err != nil || got.Mode().Perm() != want.Mode().Perm() {
		t.Errorf("received file mode %v (%v), want %v", got.Mode().Perm(), err, want.Mode().Perm())
	}
	waitFor(t, "2 MB offer at bob", func() bool { return transferOf(bob.m, aID, sentBig.ID).State != -1 })
	if st := transferOf(bob.m, aID, sentBig.ID).State; st != contacts.Offered {
		t.Fatalf("a 2 MB file under a 1 MB auto-accept is %v", st)
	}

	if err := bob.m.Transfers.SetAutoAcceptBelow(-1); err == nil {
		t.Fatal("a negative size was taken")
	}
}

// TestAutoAcceptFixedByPolicy: a policy that sets the size wins over the
// user's earlier choice, and the user cannot change it.
func TestAutoAcceptFixedByPolicy(t *testing.T) {
	bob := newPeer(t, "Bob")
	if err := bob.m.Transfers.SetAutoAcceptBelow(1 << 30); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bob.dir, "policy.json"), []byte(`{"auto_accept_below": "2MB"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bob.stop(t)
	bob.restart(t)
	p := bob.m.Transfers.Policy()
	if !p.AutoAcceptFixed || p.AutoAcceptBelow != 2_000_000 || bob.m.Transfers.AutoAcceptBelow() != 2_000_000 {
		t.Fatalf("policy view %+v, auto-accept %d", p, bob.m.Transfers.AutoAcceptBelow())
	}
	if err := bob.m.Transfers.SetAutoAcceptBelow(0); !errors.Is(err, transfers.ErrPolicyFixed) {
		t.Fatalf("changing a fixed size: %v", err)
	}
}
