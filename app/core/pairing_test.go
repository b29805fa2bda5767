package core

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/event"
	"hearth/app/core/pairing"
	"hearth/contacts"
	paircode "hearth/p2p/pair"
)

// directRendezvous is the test's meeting place: announcing puts a node's
// loopback addresses under the code's tag, finding reads them back.
type directRendezvous struct {
	mu sync.Mutex
	at map[string]peer.AddrInfo
}

func newDirect() *directRendezvous { return &directRendezvous{at: map[string]peer.AddrInfo{}} }

func (d *directRendezvous) Announce(h host.Host, c paircode.Code) (func(), error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.at[c.Tag()] = peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()}
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		delete(d.at, c.Tag())
	}, nil
}

func (d *directRendezvous) Find(ctx context.Context, c paircode.Code) (<-chan peer.AddrInfo, error) {
	ch := make(chan peer.AddrInfo, 1)
	d.mu.Lock()
	pi, ok := d.at[c.Tag()]
	d.mu.Unlock()
	go func() {
		defer close(ch)
		if ok {
			ch <- pi
		}
		<-ctx.Done()
	}()
	return ch, nil
}

func (d *directRendezvous) announced() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.at)
}

// newPairPeer is newPeer with the given rendezvous (nil: the defaults).
func newPairPeer(t *testing.T, name string, o Options) *peerT {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	m, err := Opener{Dir: dir, Opts: o}.Create(name, "")
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	p := &peerT{dir: dir, m: m, log: &eventLog{}}
	p.log.watch(m)
	t.Cleanup(func() {
		if p.m != nil {
			p.m.Close()
		}
	})
	return p
}

func withRendezvous(rv pairing.Rendezvous) Options {
	o := opts()
	o.PairRendezvous = []pairing.Rendezvous{rv}
	return o
}

// pairByCode runs the whole flow and checks both sides end as contacts who
// can chat.
func pairByCode(t *testing.T, alice, bob *peerT) {
	t.Helper()
	code, err := alice.m.Pairing.NewPairingCode()
	if err != nil {
		t.Fatal(err)
	}
	// Bob types it as people do.
	typed := strings.ToUpper(strings.ReplaceAll(code, "-", " "))
	if name, err := bob.m.Pairing.PairWithCode(context.Background(), typed); err != nil || name != "Alice" {
		t.Fatalf("pairing with %q: %v", typed, err)
	}
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	waitFor(t, "both sides accepted", func() bool {
		return state(alice.m, bID) == contacts.Accepted && state(bob.m, aID) == contacts.Accepted
	})
	e, ok := alice.log.find(func(e event.Event) bool { _, ok := e.(event.PairingSucceeded); return ok })
	waitFor(t, "PairingSucceeded at alice", func() bool {
		e, ok = alice.log.find(func(e event.Event) bool { _, ok := e.(event.PairingSucceeded); return ok })
		return ok
	})
	if s := e.(event.PairingSucceeded); s.PeerID != bID || s.Name != "Bob" || s.Code != code {
		t.Fatalf("event %+v", s)
	}
	cs, _ := bob.m.People.Contacts()
	if len(cs) != 1 || cs[0].Name != "Alice" {
		t.Fatalf("bob's contacts %+v", cs)
	}
	if _, err := bob.m.Chat.Send(aID, "hello by code"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.m.Chat.Send(bID, "hello back"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "chat both ways", func() bool {
		return len(bodies(t, alice.m, bID)) == 2 && len(bodies(t, bob.m, aID)) == 2
	})
	waitFor(t, "both online", func() bool {
		return presenceOf(alice.m, bID) == contacts.Online && presenceOf(bob.m, aID) == contacts.Online
	})
}

func TestPairByCode(t *testing.T) {
	rv := newDirect()
	alice, bob := newPairPeer(t, "Alice", withRendezvous(rv)), newPairPeer(t, "Bob", withRendezvous(rv))
	pairByCode(t, alice, bob)
	if rv.announced() != 0 {
		t.Fatal("the code is still announced after use")
	}
}

func TestPairWrongCodeSpendsIt(t *testing.T) {
	rv := newDirect()
	alice, bob := newPairPeer(t, "Alice", withRendezvous(rv)), newPairPeer(t, "Bob", withRendezvous(rv))
	code, err := alice.m.Pairing.NewPairingCode()
	if err != nil {
		t.Fatal(err)
	}
	c, _ := paircode.ParseCode(code)
	wrong := c
	wrong.Words[2] = "zipper"
	if c.Words[2] == "zipper" {
		wrong.Words[2] = "acorn"
	}
	_, err = bob.m.Pairing.PairWithCode(context.Background(), wrong.String())
	if !errors.Is(err, paircode.ErrWrongCode) || !strings.Contains(err.Error(), "did not match") {
		t.Fatalf("typing side: %v, want ErrWrongCode", err)
	}
	var failed event.PairingFailed
	waitFor(t, "PairingFailed at alice", func() bool {
		e, ok := alice.log.find(func(e event.Event) bool { _, ok := e.(event.PairingFailed); return ok })
		if ok {
			failed = e.(event.PairingFailed)
		}
		return ok
	})
	if !errors.Is(failed.Err, paircode.ErrWrongCode) || !strings.Contains(failed.Reason, "did not match") || failed.Code != code {
		t.Fatalf("waiting side: %+v", failed)
	}
	// The right code is spent now.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := bob.m.Pairing.PairWithCode(ctx, code); err == nil {
		t.Fatal("the right code worked after a wrong guess")
	}
	for _, p := range []*peerT{alice, bob} {
		if cs, _ := p.m.People.Contacts(); len(cs) != 0 {
			t.Fatalf("%s has contacts %+v", p.m.MyName(), cs)
		}
	}
	// A new code works.
	pairByCode(t, alice, bob)
}

func TestPairCodeCancelled(t *testing.T) {
	rv := newDirect()
	alice, bob := newPairPeer(t, "Alice", withRendezvous(rv)), newPairPeer(t, "Bob", withRendezvous(rv))
	code, err := alice.m.Pairing.NewPairingCode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.m.Pairing.PairWithCode(context.Background(), code); !errors.Is(err, pairing.ErrOwnCode) {
		t.Fatalf("own code: %v", err)
	}
	alice.m.Pairing.CancelPairingCode()
	if rv.announced() != 0 {
		t.Fatal("still announced after cancel")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := bob.m.Pairing.PairWithCode(ctx, code); !errors.Is(err, pairing.ErrNobodyWaiting) {
		t.Fatalf("cancelled code: %v, want ErrNobodyWaiting", err)
	}
	// With neither mDNS nor the DHT there is no way to meet: say so at once.
	lonely := newPairPeer(t, "Lonely", opts())
	if _, err := lonely.m.Pairing.NewPairingCode(); !errors.Is(err, pairing.ErrNoRendezvous) {
		t.Fatalf("NewPairingCode without a rendezvous: %v", err)
	}
	if _, err := lonely.m.Pairing.PairWithCode(context.Background(), code); !errors.Is(err, pairing.ErrNoRendezvous) {
		t.Fatalf("PairWithCode without a rendezvous: %v", err)
	}
	for _, bad := range []string{"", "hello", "7-orbit-mapel-sugar"} {
		if _, err := bob.m.Pairing.PairWithCode(context.Background(), bad); !errors.Is(err, paircode.ErrBadCode) && !errors.Is(err, paircode.ErrNoCode) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
}

// A stranger who is waiting with a code cannot reach anything but the
// pairing protocol, and a blocked person cannot pair.
func TestPairBlockedRefused(t *testing.T) {
	rv := newDirect()
	alice, bob := newPairPeer(t, "Alice", withRendezvous(rv)), newPairPeer(t, "Bob", withRendezvous(rv))
	bid, _ := peer.Decode(bob.m.MyPeerID())
	alice.m.book.Lock()
	alice.m.book.Put(contacts.Contact{PeerID: bid.String(), State: contacts.Blocked, AddedAt: time.Now()})
	alice.m.book.Unlock()
	code, _ := alice.m.Pairing.NewPairingCode()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := bob.m.Pairing.PairWithCode(ctx, code); err == nil {
		t.Fatal("a blocked person paired")
	}
	if state(bob.m, alice.m.MyPeerID()) == contacts.Accepted {
		t.Fatal("bob thinks he is alice's contact")
	}
}

// mDNS multicasts; the LAN test re-runs itself in a private network
// namespace with only a multicast loopback, as p2p/discovery's tests do.
const nsEnv = "HEARTH_TEST_IN_NETNS"

func inPrivateNetwork(t *testing.T) (ranInChild bool) {
	t.Helper()
	if os.Getenv(nsEnv) == "1" {
		return false
	}
	script := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
	cmd := exec.Command("unshare", "-n", "-r", "sh", "-c", script, "sh", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), nsEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in private network namespace:\n%s", out)
	if err != nil {
		t.Fatalf("test in private network namespace failed: %v", err)
	}
	return true
}

func TestPairByCodeOnLAN(t *testing.T) {
	if inPrivateNetwork(t) {
		return
	}
	o := opts()
	o.NoMDNS = false // the default rendezvous: mDNS
	alice, bob := newPairPeer(t, "Alice", o), newPairPeer(t, "Bob", o)
	pairByCode(t, alice, bob)
}

// privateDHT starts n DHT servers on loopback, connected to each other: the
// DHT the pairing test meets over, which never reaches beyond this machine.
func privateDHT(t *testing.T, n int) []peer.AddrInfo {
	t.Helper()
	var infos []peer.AddrInfo
	for range n {
		h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay())
		if err != nil {
			t.Fatal(err)
		}
		d, err := dht.New(h, dht.Mode(dht.ModeServer))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close(); h.Close() })
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		for _, pi := range infos {
			if err := h.Connect(ctx, pi); err != nil {
				t.Fatal(err)
			}
		}
		cancel()
		infos = append(infos, peer.AddrInfo{ID: h.ID(), Addrs: h.Addrs()})
	}
	return infos
}

func TestPairByCodeOverDHT(t *testing.T) {
	o := opts() // NoMDNS: the DHT is the only way to meet
	o.PairDHTBootstrap = privateDHT(t, 3)
	alice, bob := newPairPeer(t, "Alice", o), newPairPeer(t, "Bob", o)
	pairByCode(t, alice, bob)
}
