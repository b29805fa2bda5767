package core

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/contacts"
)

// A team's policy names the virus scanner; it wins over the command line's.
func TestPolicyNamesTheVirusScanner(t *testing.T) {
	p := newPeerWith(t, "Alice", func(o *Options) { o.ClamdAddr = "unix:/run/user-chosen/clamd.sock" })
	if got := p.m.Transfers.Policy().ScannerAddr; got != "unix:/run/user-chosen/clamd.sock" {
		t.Fatalf("without a policy the scanner is %q", got)
	}
	pol := `{"virus_scanner": "tcp:127.0.0.1:3310"}`
	if err := os.WriteFile(filepath.Join(p.dir, "policy.json"), []byte(pol), 0o600); err != nil {
		t.Fatal(err)
	}
	p.stop(t)
	o := opts()
	o.ClamdAddr = "unix:/run/user-chosen/clamd.sock"
	m, err := Opener{Dir: p.dir, Opts: o}.Unlock("")
	if err != nil {
		t.Fatal(err)
	}
	p.m = m
	if v := m.Transfers.Policy(); !v.ScannerAvailable || v.ScannerAddr != "tcp:127.0.0.1:3310" {
		t.Fatalf("with the policy: %+v", v)
	}
}

// A configured scanner that cannot be reached leaves the file usable but
// marked not scanned, with the reason on the transfer (not "no scanner").
func TestUnreachableScannerIsNamedOnTheFile(t *testing.T) {
	alice := newPeer(t, "Alice")
	bob := newPeerWith(t, "Bob", func(o *Options) { o.ClamdAddr = "unix:" + filepath.Join(t.TempDir(), "no-clamd.sock") })
	if err := bob.m.Transfers.SetDownloadDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	pair(t, alice, bob)
	path, data := writeFile(t, "notes.txt", 3000)
	sent, err := alice.m.Transfers.SendFile(bob.m.MyPeerID(), path)
	if err != nil {
		t.Fatal(err)
	}
	aID := alice.m.MyPeerID()
	waitFor(t, "bob has it", func() bool { return transferOf(bob.m, aID, sent.ID).State == contacts.Done })
	got := transferOf(bob.m, aID, sent.ID)
	if got.Scan != contacts.NotScanned || !strings.Contains(got.Reason, "not available") {
		t.Fatalf("scan %v, reason %q", got.Scan, got.Reason)
	}
	if b, err := os.ReadFile(got.Path); err != nil || !bytes.Equal(b, data) {
		t.Fatalf("file differs (%v)", err)
	}
}
