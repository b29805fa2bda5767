package node

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// observedTTL is how long an address a peer saw us at is kept.
const observedTTL = 30 * time.Minute

// maxObserved bounds the addresses kept (a peer could report anything).
const maxObserved = 8

// observed keeps the public addresses peers saw our connections come from.
// libp2p adopts such an address only once four different peers reported
// it, which a messenger talking to a handful of contacts rarely reaches;
// an invite code is worth more with it than without (a port mapped by
// UPnP, or a NAT that keeps the port, makes it dialable).
type observed struct {
	sub    event.Subscription
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex // guards addrs
	addrs map[string]observation
}

type observation struct {
	addr ma.Multiaddr
	seen time.Time
}

func newObserved(h host.Host) (*observed, error) {
	sub, err := h.EventBus().Subscribe(new(event.EvtPeerIdentificationCompleted))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	o := &observed{sub: sub, cancel: cancel, done: make(chan struct{}), addrs: map[string]observation{}}
	go o.loop(ctx)
	return o, nil
}

func (o *observed) loop(ctx context.Context) {
	defer close(o.done)
	defer o.sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-o.sub.Out():
			if !ok {
				return
			}
			ev := e.(event.EvtPeerIdentificationCompleted)
			if ev.ObservedAddr == nil || !manet.IsPublicAddr(ev.ObservedAddr) || isRelayed(ev.ObservedAddr) {
				continue
			}
			if ev.Conn != nil && isRelayed(ev.Conn.RemoteMultiaddr()) {
				continue // a relay's view of us is the relay's business
			}
			o.add(ev.ObservedAddr, time.Now())
		}
	}
}

func (o *observed) add(a ma.Multiaddr, now time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.addrs[string(a.Bytes())] = observation{addr: a, seen: now}
	for k, v := range o.addrs {
		if now.Sub(v.seen) > observedTTL {
			delete(o.addrs, k)
		}
	}
	for len(o.addrs) > maxObserved {
		var oldest string
		var at time.Time
		for k, v := range o.addrs {
			if oldest == "" || v.seen.Before(at) {
				oldest, at = k, v.seen
			}
		}
		delete(o.addrs, oldest)
	}
}

// list returns the observed addresses, newest first.
func (o *observed) list() []ma.Multiaddr {
	o.mu.Lock()
	defer o.mu.Unlock()
	all := make([]observation, 0, len(o.addrs))
	for _, v := range o.addrs {
		if time.Since(v.seen) <= observedTTL {
			all = append(all, v)
		}
	}
	slices.SortFunc(all, func(a, b observation) int { return b.seen.Compare(a.seen) })
	out := make([]ma.Multiaddr, len(all))
	for i, v := range all {
		out[i] = v.addr
	}
	return out
}

func (o *observed) close() {
	o.cancel()
	<-o.done
}

// relayID is the relay's peer ID in a circuit address.
func relayID(a ma.Multiaddr) (peer.ID, error) {
	var id peer.ID
	var err error = ErrNotRelayed
	for _, c := range a {
		switch c.Code() {
		case ma.P_P2P:
			id, err = peer.Decode(c.Value())
		case ma.P_CIRCUIT:
			return id, err
		}
	}
	return "", ErrNotRelayed
}
