package node

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

func newKey(t *testing.T) crypto.PrivKey {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func start(t *testing.T, cfg Config) *Node {
	t.Helper()
	if cfg.Key == nil {
		cfg.Key = newKey(t)
	}
	cfg.Loopback = true
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func info(n *Node) peer.AddrInfo {
	return peer.AddrInfo{ID: n.Host.ID(), Addrs: n.Host.Addrs()}
}

func TestConnectOverLoopback(t *testing.T) {
	a := start(t, Config{Port: -1})
	b := start(t, Config{Port: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Host.Connect(ctx, info(b)); err != nil {
		t.Fatalf("connect: %v", err)
	}
	if len(b.Host.Network().ConnsToPeer(a.Host.ID())) == 0 {
		t.Fatal("b does not see the connection from a")
	}
}

func TestBlockedPeerCannotConnect(t *testing.T) {
	a := start(t, Config{Port: -1})
	b := start(t, Config{Port: -1, Blocked: func(p peer.ID) bool { return p == a.Host.ID() }})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Host.Connect(ctx, info(b)); err == nil {
		// The dialer may briefly believe it connected; the gater on b must
		// close it, so no connection survives.
		time.Sleep(200 * time.Millisecond)
		if len(b.Host.Network().ConnsToPeer(a.Host.ID())) != 0 {
			t.Fatal("blocked peer holds a connection")
		}
	}
	if err := b.Host.Connect(ctx, info(a)); err == nil {
		t.Fatal("dialing a blocked peer succeeded")
	}
}

func TestBusyPortFallsBack(t *testing.T) {
	a := start(t, Config{Port: -1})
	b := start(t, Config{Port: a.Port})
	if b.Port == 0 || b.Port == a.Port {
		t.Fatalf("second node got port %d, first has %d", b.Port, a.Port)
	}
}

func TestNeedsKey(t *testing.T) {
	if _, err := New(Config{}); err != ErrNoKey {
		t.Fatalf("got %v, want ErrNoKey", err)
	}
}
