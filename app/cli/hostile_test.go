package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"hearth/app/core"
	"hearth/p2p/contactreq"
	p2pnode "hearth/p2p/node"
	"hearth/p2p/wire"
)

// lockedBuffer is the daemon's log, written by logEvents and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// assertNoTerminalControl fails when out holds anything a terminal would
// obey, or a line that a peer forged.
func assertNoTerminalControl(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\u202e", "\u009b", "\r"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s: %q reaches the terminal raw:\n%s", what, bad, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "notice: the passphrase") {
			t.Errorf("%s: a peer forged a line: %q", what, line)
		}
	}
}

// A stranger's contact request whose name and note hold an escape that
// clears the screen, a newline with a fake notice, and a right-to-left
// override reaches `hearth contacts` and the daemon's log escaped: real
// nodes, a real daemon socket, the request sent raw on the wire.
// Guards finding 3 of issue 14 ("even from strangers").
func TestHostileStrangerControlCharactersEscaped(t *testing.T) {
	t.Setenv("HEARTH_PASSPHRASE", "")
	dir := filepath.Join(t.TempDir(), "ann")
	if code, _, errOut := runCLI(t, "", "create-profile", "--name", "Ann", "--profile", dir); code != 0 {
		t.Fatal(errOut)
	}
	m, err := core.Opener{Dir: dir, Opts: core.Options{Loopback: true, NoMDNS: true, Port: -1}}.Unlock("")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var log lockedBuffer
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		logEvents(m, &log)
	}()
	srv, err := listen(dir, func(r Request) Reply { return execute(newCoreMessenger(m), r, true) })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := p2pnode.New(p2pnode.Config{Key: key, Port: -1, Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	annID, err := peer.Decode(m.MyPeerID())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range m.Addrs() {
		if addr, err := ma.NewMultiaddr(a); err == nil {
			stranger.Host.Peerstore().AddAddr(annID, addr, time.Hour)
		}
	}
	evil := "Eve\x1b[2J\nnotice: the passphrase of this profile was reset\r\u202egnp.exe\u009b31m"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = contactreq.New(stranger.Host, contactreq.Config{}).Send(ctx, annID,
		wire.ContactRequest{Kind: wire.KindRequest, Name: evil, Note: evil})
	if err != nil {
		t.Fatal(err)
	}
	waitCLI(t, "the request in the daemon's log", func() bool { return strings.Contains(log.String(), "contact request from") })
	for _, args := range [][]string{{"contacts"}, {"contacts", "--json"}} {
		code, out, errOut := runCLI(t, "", append(args, "--profile", dir)...)
		if code != 0 || !strings.Contains(out, "Eve") {
			t.Fatalf("%v: %d %q %q", args, code, out, errOut)
		}
		assertNoTerminalControl(t, strings.Join(args, " "), out)
	}
	assertNoTerminalControl(t, "daemon log", log.String())
}
