package core

import (
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"hearth/p2p/node"
)

// TestProfileKeepsItsPort: a profile that could not get the default port
// (another profile on this machine has it) gets the same fallback port
// again after a restart, so contacts find it where they last saw it.
func TestProfileKeepsItsPort(t *testing.T) {
	// Hold the default port the way a first Hearth on this machine would.
	if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(node.DefaultPort)); err == nil {
		defer l.Close()
	}
	o := opts()
	o.Port = 0
	dir := filepath.Join(t.TempDir(), "bob")
	m, err := Opener{Dir: dir, Opts: o}.Create("Bob", "")
	if err != nil {
		t.Fatal(err)
	}
	first := m.Port()
	if first == node.DefaultPort {
		t.Fatalf("got the default port %d although it is held", first)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m, err = Opener{Dir: dir, Opts: o}.Unlock("")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if got := m.Port(); got != first {
		t.Errorf("port after restart %d, want %d as before", got, first)
	}
}
