package core

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/app/scan/scantest"
	"hearth/contacts"
)

func writeFile(t *testing.T, name string, size int) (string, []byte) {
	t.Helper()
	b := make([]byte, size)
	rand.Read(b)
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, b
}

func transferOf(m *Messenger, conv, id string) contacts.Transfer {
	ts, _ := m.Transfers.Transfers(conv)
	for _, t := range ts {
		if t.ID == id {
			return t
		}
	}
	return contacts.Transfer{State: -1}
}

// newFilePeers pairs two peers whose downloads land in temp folders.
func newFilePeers(t *testing.T) (*peerT, *peerT) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	for _, p := range []*peerT{alice, bob} {
		if err := p.m.Transfers.SetDownloadDir(t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	pair(t, alice, bob)
	return alice, bob
}

func TestSmallFileIsAutoAcceptedAndArrivesIntact(t *testing.T) {
	alice, bob := newFilePeers(t)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	path, data := writeFile(t, "holiday.bin", 300_000)
	sent, err := alice.m.Transfers.SendFile(bID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob has it", func() bool { return transferOf(bob.m, aID, sent.ID).State == contacts.Done })
	got := transferOf(bob.m, aID, sent.ID)
	b, err := os.ReadFile(got.Path)
	if err != nil || !bytes.Equal(b, data) {
		t.Fatalf("received file differs (%v)", err)
	}
	if filepath.Dir(got.Path) != bob.m.Transfers.DownloadDir() || filepath.Base(got.Path) != "holiday.bin" {
		t.Fatalf("saved at %s", got.Path)
	}
	if got.Scan != contacts.NotScanned && !bob.m.Transfers.Policy().ScannerAvailable {
		t.Fatalf("scan result %v without a scanner", got.Scan)
	}
	waitFor(t, "alice sees it delivered", func() bool { return transferOf(alice.m, bID, sent.ID).State == contacts.Done })
	// The same name again is saved beside it, never over it.
	sent2, err := alice.m.Transfers.SendFile(bID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "second copy", func() bool { return transferOf(bob.m, aID, sent2.ID).State == contacts.Done })
	if p := transferOf(bob.m, aID, sent2.ID).Path; filepath.Base(p) != "holiday (2).bin" {
		t.Fatalf("second copy saved as %s", p)
	}
}

func TestLargeFileWaitsForAcceptThenPauseResume(t *testing.T) {
	alice, bob := newFilePeers(t)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	path, data := writeFile(t, "video.bin", 96<<20) // above the auto-accept size
	sent, err := alice.m.Transfers.SendFile(bID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "offer at bob", func() bool { return transferOf(bob.m, aID, sent.ID).State == contacts.Offered })
	if err := bob.m.Transfers.AcceptTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	// Pause as soon as it moves, then resume: it completes intact.
	waitFor(t, "transferring", func() bool {
		st := transferOf(bob.m, aID, sent.ID).State
		return st == contacts.Transferring || st == contacts.Done
	})
	// (On a fast machine the transfer may finish first; then there is
	// nothing to pause and the rest of the test still checks the file.)
	if err := bob.m.Transfers.PauseTransfer(sent.ID); err == nil {
		waitFor(t, "paused at alice", func() bool { return transferOf(alice.m, bID, sent.ID).State == contacts.Paused })
		paused := transferOf(bob.m, aID, sent.ID)
		if paused.State != contacts.Paused {
			t.Fatalf("after pause bob's transfer is %v", paused.State)
		}
		if err := bob.m.Transfers.ResumeTransfer(sent.ID); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "done", func() bool { return transferOf(bob.m, aID, sent.ID).State == contacts.Done })
	b, _ := os.ReadFile(transferOf(bob.m, aID, sent.ID).Path)
	if !bytes.Equal(b, data) {
		t.Fatal("file differs after pause and resume")
	}
}

func TestDeclineAndCancel(t *testing.T) {
	alice, bob := newFilePeers(t)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	path, _ := writeFile(t, "big.bin", 11<<20)
	sent, err := alice.m.Transfers.SendFile(bID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "offer at bob", func() bool { return transferOf(bob.m, aID, sent.ID).State == contacts.Offered })
	if err := bob.m.Transfers.DeclineTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "alice told", func() bool { return transferOf(alice.m, bID, sent.ID).State == contacts.Declined })
	sent2, _ := alice.m.Transfers.SendFile(bID, path)
	waitFor(t, "second offer", func() bool { return transferOf(bob.m, aID, sent2.ID).State == contacts.Offered })
	if err := alice.m.Transfers.CancelTransfer(sent2.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob sees cancelled", func() bool { return transferOf(bob.m, aID, sent2.ID).State == contacts.Cancelled })
}

func TestPolicyRefusesOnBothSides(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	// Bob's team allows 1 MB at most; Alice has no policy.
	if err := os.WriteFile(filepath.Join(bob.dir, "policy.json"), []byte(`{"max_size": "1MB"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bob.stop(t)
	bob.restart(t)
	pair(t, alice, bob)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	path, _ := writeFile(t, "report.bin", 2<<20)
	sent, err := alice.m.Transfers.SendFile(bID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "refused by bob's policy", func() bool { return transferOf(alice.m, bID, sent.ID).State == contacts.Declined })
	if r := transferOf(alice.m, bID, sent.ID).Reason; r == "" {
		t.Fatal("no reason given")
	}
	if transferOf(bob.m, aID, sent.ID).State != -1 {
		t.Fatal("bob stored a refused offer")
	}
	// Bob's own policy stops him sending big files, before anything leaves.
	if _, err := bob.m.Transfers.SendFile(aID, path); err == nil {
		t.Fatal("bob sent a file over his policy's limit")
	}
}

// TestEICARQuarantinedByRealClamd: the EICAR test file sent between two
// nodes is stopped by a real clamd on the receiving side and never reaches
// the download folder; a clean file from the same sender passes, scanned.
func TestEICARQuarantinedByRealClamd(t *testing.T) {
	addr := scantest.Start(t)
	alice := newPeer(t, "Alice")
	dir := filepath.Join(t.TempDir(), "Bob")
	o := opts()
	o.ClamdAddr = addr
	m, err := Opener{Dir: dir, Opts: o}.Create("Bob", "")
	if err != nil {
		t.Fatal(err)
	}
	bob := &peerT{dir: dir, m: m, log: &eventLog{}}
	bob.log.watch(m)
	t.Cleanup(func() { bob.m.Close() })
	bob.m.Transfers.SetDownloadDir(t.TempDir())
	if !bob.m.Transfers.Policy().ScannerAvailable {
		t.Fatal("bob does not see the scanner")
	}
	pair(t, alice, bob)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()

	// Named as data: an executable's name (EICAR's usual eicar.com) is
	// never auto-accepted (transfers.RiskyName), and this test is about
	// what the scanner finds in what is.
	eicar := filepath.Join(t.TempDir(), "eicar.txt")
	os.WriteFile(eicar, scantest.EICAR(), 0o600)
	bad, err := alice.m.Transfers.SendFile(bID, eicar)
	if err != nil {
		t.Fatal(err)
	}
	clean, _ := writeFile(t, "minutes.txt", 5000)
	good, err := alice.m.Transfers.SendFile(bID, clean)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "EICAR quarantined", func() bool { return transferOf(bob.m, aID, bad.ID).State == contacts.Quarantined })
	waitFor(t, "clean file saved", func() bool { return transferOf(bob.m, aID, good.ID).State == contacts.Done })
	q := transferOf(bob.m, aID, bad.ID)
	if !strings.HasPrefix(q.Signature, scantest.Signature) {
		t.Fatalf("signature %q", q.Signature)
	}
	if g := transferOf(bob.m, aID, good.ID); g.Scan != contacts.Clean {
		t.Fatalf("clean file scan result %v", g.Scan)
	}
	entries, _ := os.ReadDir(bob.m.Transfers.DownloadDir())
	if len(entries) != 1 || entries[0].Name() != "minutes.txt" {
		t.Fatalf("download folder holds %v", entries)
	}
	waitFor(t, "alice told", func() bool { return transferOf(alice.m, bID, bad.ID).State == contacts.Quarantined })
	if sig := transferOf(alice.m, bID, bad.ID).Signature; !strings.HasPrefix(sig, scantest.Signature) {
		t.Fatalf("alice was told signature %q", sig)
	}
}
