package discovery

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	mh "github.com/multiformats/go-multihash"
)

// A rendezvous over the Kademlia DHT: one node provides a key, others find
// its providers. Hearth joins the DHT as a client only for this (pairing
// by a short code over the internet) and leaves it afterwards; the
// bootstrap peers are the caller's (the public ones in the app, a private
// set of loopback nodes in tests). Provider records outlive the leaving
// (the DHT keeps them up to a day or two): the key must not say more than
// may stay public that long.

// ErrNoDHTPeers: none of the bootstrap peers could be reached.
var ErrNoDHTPeers = errors.New("could not reach the DHT (no bootstrap peer answered)")

// DHT is a DHT client joined by one host.
type DHT struct {
	d    *dht.IpfsDHT
	once sync.Once
}

// JoinDHT starts a DHT client on h and connects it to the bootstrap peers;
// it returns once at least one of them is in the routing table.
func JoinDHT(ctx context.Context, h host.Host, bootstrap []peer.AddrInfo) (*DHT, error) {
	if len(bootstrap) == 0 {
		return nil, ErrNoDHTPeers
	}
	d, err := dht.New(h, dht.Mode(dht.ModeClient), dht.BootstrapPeers(bootstrap...))
	if err != nil {
		return nil, fmt.Errorf("starting the DHT client: %w", err)
	}
	var wg sync.WaitGroup
	for _, pi := range bootstrap {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.Connect(ctx, pi)
		}()
	}
	wg.Wait()
	// Connected peers enter the routing table once identify says they
	// speak the DHT protocol.
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for d.RoutingTable().Size() == 0 {
		select {
		case <-ctx.Done():
			d.Close()
			return nil, fmt.Errorf("%w: %v", ErrNoDHTPeers, ctx.Err())
		case <-t.C:
		}
	}
	return &DHT{d: d}, nil
}

// keyCID is the content ID standing for a rendezvous key.
func keyCID(key []byte) (cid.Cid, error) {
	m, err := mh.Sum(key, mh.SHA2_256, -1)
	if err != nil {
		return cid.Undef, err
	}
	return cid.NewCidV1(cid.Raw, m), nil
}

// Provide announces h as a provider of key.
func (d *DHT) Provide(ctx context.Context, key []byte) error {
	c, err := keyCID(key)
	if err != nil {
		return err
	}
	if err := d.d.Provide(ctx, c, true); err != nil {
		return fmt.Errorf("announcing on the DHT: %w", err)
	}
	return nil
}

// FindProviders sends the providers of key it finds, asking again every
// interval (the provider may announce after the first search), until ctx
// ends; then the channel is closed.
func (d *DHT) FindProviders(ctx context.Context, key []byte, interval time.Duration) (<-chan peer.AddrInfo, error) {
	c, err := keyCID(key)
	if err != nil {
		return nil, err
	}
	out := make(chan peer.AddrInfo, 16)
	go func() {
		defer close(out)
		for {
			for pi := range d.d.FindProvidersAsync(ctx, c, 0) {
				select {
				case out <- pi:
				case <-ctx.Done():
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(interval):
			}
		}
	}()
	return out, nil
}

// Close leaves the DHT and waits for its goroutines.
func (d *DHT) Close() error {
	var err error
	d.once.Do(func() { err = d.d.Close() })
	return err
}

// PublicDHTPeers are the public (Amino) DHT's bootstrap peers.
func PublicDHTPeers() []peer.AddrInfo { return dht.GetDefaultBootstrapPeerAddrInfos() }
