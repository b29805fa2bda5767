package discovery

import (
	"context"
	"errors"
	"testing"
	"time"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/peer"
)

// privateDHT starts n DHT servers on loopback, connected to each other:
// a DHT that never reaches beyond this machine.
func privateDHT(t *testing.T, n int) []peer.AddrInfo {
	t.Helper()
	var infos []peer.AddrInfo
	for range n {
		h := newHost(t)
		d, err := dht.New(h, dht.Mode(dht.ModeServer))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
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

func TestDHTRendezvous(t *testing.T) {
	boot := privateDHT(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, b := newHost(t), newHost(t)
	da, err := JoinDHT(ctx, a, boot)
	if err != nil {
		t.Fatal(err)
	}
	defer da.Close()
	db, err := JoinDHT(ctx, b, boot[2:])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key := []byte("hearth test rendezvous key")
	// b starts looking before a provides: it must ask again.
	found, err := db.FindProviders(ctx, key, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if err := da.Provide(ctx, key); err != nil {
		t.Fatal(err)
	}
	for pi := range found {
		if pi.ID == a.ID() {
			if len(pi.Addrs) == 0 {
				t.Fatal("provider found without addresses")
			}
			cancel()
			for range found {
			}
			da.Close()
			da.Close() // twice is fine
			return
		}
		t.Fatalf("found %v, not the provider", pi.ID)
	}
	t.Fatal("the provider was never found")
}

func TestJoinDHTWithoutPeers(t *testing.T) {
	if _, err := JoinDHT(context.Background(), newHost(t), nil); !errors.Is(err, ErrNoDHTPeers) {
		t.Fatalf("%v, want ErrNoDHTPeers", err)
	}
	// A bootstrap peer that does not answer: the join ends with ctx.
	gone := newHost(t)
	pi := peer.AddrInfo{ID: gone.ID(), Addrs: gone.Addrs()}
	gone.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := JoinDHT(ctx, newHost(t), []peer.AddrInfo{pi}); !errors.Is(err, ErrNoDHTPeers) {
		t.Fatalf("%v, want ErrNoDHTPeers", err)
	}
}
