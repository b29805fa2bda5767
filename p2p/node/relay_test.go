package node

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

const echoProto = "/hearth-test/echo/1.0.0"

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRelayedStream: b takes a slot on r (which relays only for b), its
// circuit address shows among its addresses, and a reaches b through r
// on a limited connection that carries a stream of ours both ways.
func TestRelayedStream(t *testing.T) {
	old := ReservePeriod
	ReservePeriod = 100 * time.Millisecond
	t.Cleanup(func() { ReservePeriod = old })

	var b *Node
	r := start(t, Config{Port: -1, MayRelay: func(p peer.ID) bool { return b != nil && p == b.Host.ID() }})
	b = start(t, Config{Port: -1, RelayCandidates: func() []peer.AddrInfo { return []peer.AddrInfo{info(r)} }})
	b.Host.SetStreamHandler(echoProto, func(s network.Stream) {
		defer s.Close()
		io.Copy(s, io.LimitReader(s, 5))
	})
	var circuit string
	waitFor(t, "a circuit address", func() bool {
		for _, a := range b.Host.Addrs() {
			if isRelayed(a) {
				circuit = a.String()
				return true
			}
		}
		return false
	})
	if got := b.Reach().Relays; len(got) != 1 || got[0] != r.Host.ID() {
		t.Fatalf("relays %v, want [%s]", got, r.Host.ID())
	}
	shared := b.ShareableAddrs()
	if len(shared) == 0 {
		t.Fatal("no shareable addresses")
	}

	a := start(t, Config{Port: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ai, err := peer.AddrInfoFromString(circuit + "/p2p/" + b.Host.ID().String())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Host.Connect(ctx, *ai); err != nil {
		t.Fatalf("connect through relay: %v", err)
	}
	if !Connected(a.Host, b.Host.ID()) || !Relayed(a.Host, b.Host.ID()) {
		t.Fatal("want a relayed connection")
	}
	if got := RelayOf(a.Host, b.Host.ID()); got != r.Host.ID() {
		t.Fatalf("RelayOf = %s, want %s", got, r.Host.ID())
	}
	s, err := a.Host.NewStream(ctx, b.Host.ID(), echoProto)
	if err != nil {
		t.Fatalf("stream over a limited connection: %v", err)
	}
	s.Write([]byte("hello"))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(s, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("echo %q, %v", buf, err)
	}
	s.Close()
}

// TestRelayRefusesStrangers: a relay keeps no slot for a peer it was not
// told to relay for.
func TestRelayRefusesStrangers(t *testing.T) {
	old := ReservePeriod
	ReservePeriod = 100 * time.Millisecond
	t.Cleanup(func() { ReservePeriod = old })
	r := start(t, Config{Port: -1, MayRelay: func(peer.ID) bool { return false }})
	b := start(t, Config{Port: -1, RelayCandidates: func() []peer.AddrInfo { return []peer.AddrInfo{info(r)} }})
	time.Sleep(500 * time.Millisecond)
	for _, a := range b.Host.Addrs() {
		if isRelayed(a) {
			t.Fatalf("got a circuit address %s from a relay that refuses us", a)
		}
	}
	if len(b.Reach().Relays) != 0 {
		t.Fatal("a slot on a relay that refuses us")
	}
}

// TestBusyPortProbe: a port held by a listener without reuseport, and
// one held by a Hearth node (with reuseport), both count as busy.
func TestBusyPortProbe(t *testing.T) {
	a := start(t, Config{Port: -1})
	if !portBusy(true, a.Port) {
		t.Fatal("a node's port is not seen as busy")
	}
}

// TestRestartKeepsPort: a node closed and started again gets its port
// back (the busy-port probe must not see its own leftovers).
func TestRestartKeepsPort(t *testing.T) {
	k := newKey(t)
	a, err := New(Config{Key: k, Port: -1, Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	b := start(t, Config{Port: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Host.Connect(ctx, info(b)); err != nil {
		t.Fatal(err)
	}
	port := a.Port
	a.Close()
	a2 := start(t, Config{Key: k, Port: port})
	if a2.Port != port {
		t.Fatalf("port %d after restart, want %d", a2.Port, port)
	}
}
