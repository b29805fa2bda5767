package discovery

import (
	"bytes"
	"crypto/rand"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/net/ipv4"
)

// mDNS multicasts on every interface that allows it. To keep tests from
// sending anything beyond this machine's loopback, the test re-runs itself
// in a fresh network namespace whose only interface is a loopback with
// multicast turned on.
const nsEnv = "HEARTH_TEST_IN_NETNS"

// It returns true in the parent once the child passed: the caller returns.
func inPrivateNetwork(t *testing.T) (ranInChild bool) {
	t.Helper()
	return inNetwork(t, "ip link set lo up && ip link set lo multicast on && exec \"$@\"")
}

// inNetwork re-runs the test in a fresh network namespace prepared by
// script, which ends by running its arguments.
func inNetwork(t *testing.T, script string) (ranInChild bool) {
	t.Helper()
	if os.Getenv(nsEnv) == "1" {
		return false
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Fatal("unshare (util-linux) is needed to run mDNS tests in a private network namespace")
	}
	args := []string{"-n", "-r", "sh", "-c", script, "sh", os.Args[0], "-test.run=^" + t.Name() + "$", "-test.v"}
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(os.Environ(), nsEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in private network namespace:\n%s", out)
	if err != nil {
		t.Fatalf("mDNS test in private network namespace failed: %v", err)
	}
	return true
}

func newHost(t *testing.T) host.Host {
	t.Helper()
	k, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	h, err := libp2p.New(libp2p.Identity(k), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func TestMDNSFindsPeer(t *testing.T) {
	if inPrivateNetwork(t) {
		return
	}
	a, b := newHost(t), newHost(t)
	ma, err := NewMDNS(a)
	if err != nil {
		t.Fatal(err)
	}
	defer ma.Close()
	start := time.Now()
	mb, err := NewMDNS(b)
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	if err := mb.Announce("Bob ☃"); err != nil {
		t.Fatal(err)
	}
	waitFound(t, ma, b.ID())
	t.Logf("found after %v", time.Since(start))
	if got := ma.Name(b.ID()); got != "Bob ☃" {
		t.Fatalf("name %q", got)
	}
}

// waitFound waits until m hears of id with at least one address.
func waitFound(t *testing.T, m *MDNS, id peer.ID) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case pi := <-m.Found():
			if pi.ID == id && len(pi.Addrs) > 0 {
				return
			}
		case <-deadline:
			t.Fatalf("never heard of %v", id)
		}
	}
}

// sniffer records every mDNS packet on the (private) loopback.
type sniffer struct {
	mu   sync.Mutex
	pkts [][]byte
}

func sniff(t *testing.T) *sniffer {
	t.Helper()
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	// Bound as zeroconf binds (the multicast wildcard, which makes Go set
	// SO_REUSEADDR), so the kernel hands each datagram to both.
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(224, 0, 0, 0), Port: 5353})
	if err != nil {
		t.Fatal(err)
	}
	if err := ipv4.NewPacketConn(c).JoinGroup(lo, &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251)}); err != nil {
		t.Fatal(err)
	}
	s := &sniffer{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 9000)
		for {
			n, _, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			s.mu.Lock()
			s.pkts = append(s.pkts, append([]byte(nil), buf[:n]...))
			s.mu.Unlock()
		}
	}()
	t.Cleanup(func() { c.Close(); <-done })
	return s
}

// carries reports whether any packet so far holds text.
func (s *sniffer) carries(text string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pkts {
		if bytes.Contains(p, []byte(text)) {
			return true
		}
	}
	return false
}

// waitFor waits until a packet holding text was read (the sniffer's
// goroutine may lag behind the nodes).
func (s *sniffer) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !s.carries(text) {
		if time.Now().After(deadline) {
			t.Fatalf("no packet with %q among %d: the sniffer sees nothing", text, s.count())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *sniffer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pkts)
}

// TestSilentUntilAnnounce: a node that listens but does not announce puts
// neither its peer ID nor its name on the wire, while it hears a node that
// announces; once it announces, both appear, and it is found by name.
func TestSilentUntilAnnounce(t *testing.T) {
	if inPrivateNetwork(t) {
		return
	}
	sn := sniff(t)
	a, b := newHost(t), newHost(t)
	quiet, err := NewMDNS(a)
	if err != nil {
		t.Fatal(err)
	}
	defer quiet.Close()
	loud, err := NewMDNS(b)
	if err != nil {
		t.Fatal(err)
	}
	defer loud.Close()
	if err := loud.Announce("Bob"); err != nil {
		t.Fatal(err)
	}
	// The quiet node's queries went out and Bob's answers came back.
	waitFound(t, quiet, b.ID())
	sn.waitFor(t, b.ID().String())
	if sn.carries(a.ID().String()) || sn.carries("Alice") {
		t.Fatal("a node that does not announce put its peer ID or name on the LAN")
	}
	if quiet.Announcing() {
		t.Fatal("announcing without Announce")
	}
	if err := quiet.Announce("Alice"); err != nil {
		t.Fatal(err)
	}
	waitFound(t, loud, a.ID())
	if loud.Name(a.ID()) != "Alice" {
		t.Fatal("announcement without the name")
	}
	sn.waitFor(t, "Alice")
	quiet.StopAnnouncing()
	if quiet.Announcing() {
		t.Fatal("still announcing")
	}
}

// TestCloseWithoutMulticast: on a machine with no multicast interface
// browsing fails at once; Close must still return.
func TestCloseWithoutMulticast(t *testing.T) {
	if inNetwork(t, "exec \"$@\"") {
		return
	}
	m, err := NewMDNS(newHost(t))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { m.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs when browsing could not start")
	}
}

func TestParseAnnouncement(t *testing.T) {
	id := "12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB"
	good := []string{"dnsaddr=/ip4/10.0.0.2/tcp/4001/p2p/" + id, "name=Ann"}
	pi, name, ok := parseAnnouncement(good)
	if !ok || pi.ID.String() != id || len(pi.Addrs) != 1 || name != "Ann" {
		t.Fatalf("%v %q %v", pi, name, ok)
	}
	cases := map[string][]string{
		"no address":  {"name=Ann"},
		"no peer id":  {"dnsaddr=/ip4/10.0.0.2/tcp/4001"},
		"two peers":   {good[0], "dnsaddr=/ip4/10.0.0.3/tcp/4001/p2p/12D3KooWRBhwfeP2Y4TCx1SM6s9rUoHhR5STiGwxBhgFRcw3UERE"},
		"garbage":     {"dnsaddr=/nonsense", "dnsaddr="},
		"only id":     {"dnsaddr=/p2p/" + id},
		"binary name": {good[0], "name=\xff"},
	}
	for n, txt := range cases {
		if _, _, ok := parseAnnouncement(txt); ok && n != "binary name" {
			t.Errorf("%s: accepted", n)
		}
	}
	if _, name, _ := parseAnnouncement([]string{good[0], `name=Bob \226\152\131 \"x\"`}); name != `Bob ☃ "x"` {
		t.Errorf("escaped name read as %q", name)
	}
	for _, bad := range []string{"a\x00b", "line\nbreak", strings.Repeat("n", MaxName+1), "\xc3\x28"} {
		if _, name, ok := parseAnnouncement([]string{good[0], "name=" + bad}); !ok || name != "" {
			t.Errorf("name %q kept as %q", bad, name)
		}
	}
}

func FuzzParseAnnouncement(f *testing.F) {
	f.Add([]byte("dnsaddr=/ip4/10.0.0.2/tcp/4001/p2p/12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB\x00name=Ann"))
	f.Add([]byte("name=\xff\x00dnsaddr=/ip6/::1/udp/1/quic-v1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pi, name, ok := parseAnnouncement(strings.Split(string(b), "\x00"))
		if !ok {
			return
		}
		if len(name) > MaxName || !utf8.ValidString(name) || len(pi.Addrs) > maxAddrs || pi.ID == "" {
			t.Fatalf("%v %q", pi, name)
		}
	})
}

func TestCloseClosesFound(t *testing.T) {
	if inPrivateNetwork(t) {
		return
	}
	m, err := NewMDNS(newHost(t))
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	for range m.Found() {
	}
	m.Close() // twice is fine
}
