package pairing

import (
	"context"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/discovery"
	paircode "hearth/p2p/pair"
)

// dhtRendezvous meets over the DHT: the waiting side joins it while its
// code is open and provides the code's rendezvous key; the typing side
// joins it while it looks. Neither stays in the DHT after pairing.
type dhtRendezvous struct {
	bootstrap []peer.AddrInfo
	h         host.Host
}

// dhtLookInterval is how often the typing side asks the DHT again.
const dhtLookInterval = 2 * time.Second

func newDHTRendezvous(h host.Host, bootstrap []peer.AddrInfo) dhtRendezvous {
	return dhtRendezvous{bootstrap: bootstrap, h: h}
}

// Announce joins and provides in the background (joining the public DHT
// takes seconds); stop leaves.
func (r dhtRendezvous) Announce(h host.Host, c paircode.Code) (func(), error) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		d, err := discovery.JoinDHT(ctx, h, r.bootstrap)
		if err != nil {
			return // the LAN may still work; the code expires by itself
		}
		defer d.Close()
		d.Provide(ctx, c.Key())
		<-ctx.Done()
	}()
	return func() {
		cancel()
		wg.Wait()
	}, nil
}

func (r dhtRendezvous) Find(ctx context.Context, c paircode.Code) (<-chan peer.AddrInfo, error) {
	out := make(chan peer.AddrInfo, 16)
	go func() {
		defer close(out)
		d, err := discovery.JoinDHT(ctx, r.h, r.bootstrap)
		if err != nil {
			return
		}
		defer d.Close()
		found, err := d.FindProviders(ctx, c.Key(), dhtLookInterval)
		if err != nil {
			return
		}
		for pi := range found {
			select {
			case out <- pi:
			case <-ctx.Done():
			}
		}
	}()
	return out, nil
}
