package core

import (
	"os"
	"path/filepath"
	"testing"
)

// A team's policy names the virus scanner; it wins over the command line's.
func TestPolicyNamesTheVirusScanner(t *testing.T) {
	p := newPeerWith(t, "Alice", func(o *Options) { o.ClamdAddr = "unix:/run/user-chosen/clamd.sock" })
	if got := p.m.Policy().ScannerAddr; got != "unix:/run/user-chosen/clamd.sock" {
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
	if v := m.Policy(); !v.ScannerAvailable || v.ScannerAddr != "tcp:127.0.0.1:3310" {
		t.Fatalf("with the policy: %+v", v)
	}
}
