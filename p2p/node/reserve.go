package node

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/host/eventbus"
	"github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/client"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Reservation timing. A pass runs every ReservePeriod (or at once when
// Kick is called); a reservation is renewed when less than ReserveRenew of
// it is left.
var (
	ReservePeriod = 10 * time.Second
	ReserveRenew  = 10 * time.Minute
	// MaxRelays is how many relays hold a slot for us at once: two, so
	// that one going away leaves a way in.
	MaxRelays = 2
)

// reserver keeps slots on up to MaxRelays relays while this node has no
// address that AutoNAT v2 confirmed reachable, and announces the circuit
// addresses through them (the host adds them to its addresses, and
// identify tells contacts). libp2p's AutoRelay does the same but starts
// only once AutoNAT v1 has decided the node is private, which takes
// minutes; the candidates here are peers we already know.
type reserver struct {
	h          host.Host
	candidates func() []peer.AddrInfo
	emit       event.Emitter
	kick       chan struct{}
	ctx        context.Context
	cancel     context.CancelFunc
	wg         sync.WaitGroup

	mu    sync.Mutex // guards slots
	slots map[peer.ID]slot
}

type slot struct {
	expires time.Time
	addrs   []ma.Multiaddr // circuit addresses through this relay
}

func newReserver(h host.Host, candidates func() []peer.AddrInfo) *reserver {
	ctx, cancel := context.WithCancel(context.Background())
	r := &reserver{h: h, candidates: candidates, kick: make(chan struct{}, 1),
		ctx: ctx, cancel: cancel, slots: map[peer.ID]slot{}}
	if candidates == nil {
		return r
	}
	em, err := h.EventBus().Emitter(new(event.EvtAutoRelayAddrsUpdated), eventbus.Stateful)
	if err != nil {
		return r
	}
	r.emit = em
	if sub, err := h.EventBus().Subscribe(new(event.EvtPeerIdentificationCompleted)); err == nil {
		r.wg.Add(1)
		go r.watch(sub)
	}
	r.wg.Add(1)
	go r.loop()
	return r
}

// watch kicks a pass when a peer offering a relay identified itself: a
// contact's home node or the public peer, just (re)connected.
func (r *reserver) watch(sub event.Subscription) {
	defer r.wg.Done()
	defer sub.Close()
	for {
		select {
		case <-r.ctx.Done():
			return
		case e, ok := <-sub.Out():
			if !ok {
				return
			}
			if slices.Contains(e.(event.EvtPeerIdentificationCompleted).Protocols, hopProto) {
				r.Kick()
			}
		}
	}
}

func (r *reserver) close() {
	r.cancel()
	r.wg.Wait()
	if r.emit != nil {
		r.emit.Close()
	}
}

// Kick asks for a pass now (a relay candidate just connected).
func (r *reserver) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

func (r *reserver) loop() {
	defer r.wg.Done()
	t := time.NewTicker(ReservePeriod)
	defer t.Stop()
	for {
		r.pass()
		select {
		case <-r.ctx.Done():
			return
		case <-t.C:
		case <-r.kick:
		}
	}
}

// publiclyReachable: AutoNAT v2 confirmed one of our addresses.
func (r *reserver) publiclyReachable() bool {
	c, ok := r.h.(interface {
		ConfirmedAddrs() (reachable, unreachable, unknown []ma.Multiaddr)
	})
	if !ok {
		if lh, isLimited := r.h.(limitedHost); isLimited {
			c, ok = lh.Host.(interface {
				ConfirmedAddrs() (reachable, unreachable, unknown []ma.Multiaddr)
			})
		}
	}
	if !ok {
		return false
	}
	reachable, _, _ := c.ConfirmedAddrs()
	return len(reachable) > 0 || publicNow(r.h)
}

// publicNow: the host has a public address of its own (on an interface,
// or mapped by the router), not only through a relay. AutoNAT v2 may take
// a while to confirm it; until then this is the better guess.
func publicNow(h host.Host) bool {
	for _, a := range h.Addrs() {
		if manet.IsPublicAddr(a) && !isRelayed(a) {
			return true
		}
	}
	return false
}

func (r *reserver) pass() {
	now := time.Now()
	changed := false
	r.mu.Lock()
	for id, s := range r.slots {
		// A slot is worth only as much as the connection to its relay.
		if s.expires.Before(now) || r.h.Network().Connectedness(id) != network.Connected {
			delete(r.slots, id)
			changed = true
		}
	}
	held := len(r.slots)
	r.mu.Unlock()
	if r.publiclyReachable() {
		if held > 0 {
			r.mu.Lock()
			clear(r.slots)
			r.mu.Unlock()
			changed = true
		}
		if changed {
			r.announce()
		}
		return
	}
	for _, ai := range r.candidates() {
		if r.ctx.Err() != nil {
			return
		}
		if ai.ID == r.h.ID() {
			continue
		}
		r.mu.Lock()
		s, have := r.slots[ai.ID]
		n := len(r.slots)
		r.mu.Unlock()
		if have && s.expires.Sub(now) > ReserveRenew {
			continue
		}
		if !have && n >= MaxRelays {
			continue
		}
		ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
		rsvp, err := client.Reserve(ctx, r.h, ai)
		cancel()
		if err != nil {
			continue
		}
		addrs := circuitAddrs(ai.ID, rsvp.Addrs, r.h.Peerstore().Addrs(ai.ID))
		if len(addrs) == 0 {
			continue
		}
		r.mu.Lock()
		r.slots[ai.ID] = slot{expires: rsvp.Expiration, addrs: addrs}
		r.mu.Unlock()
		changed = true
	}
	if changed {
		r.announce()
	}
}

// announce hands the circuit addresses to the host's address manager,
// which adds them while no address of ours is confirmed reachable.
func (r *reserver) announce() {
	r.emit.Emit(event.EvtAutoRelayAddrsUpdated{RelayAddrs: r.addrs()})
}

// addrs are the circuit addresses of the slots held now.
func (r *reserver) addrs() []ma.Multiaddr {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []ma.Multiaddr
	for _, s := range r.slots {
		out = append(out, s.addrs...)
	}
	slices.SortFunc(out, ma.Multiaddr.Compare)
	return out
}

// relays are the peers holding a slot for us now.
func (r *reserver) relays() []peer.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []peer.ID
	for id := range r.slots {
		out = append(out, id)
	}
	return out
}

// circuitAddrs builds "<relay address>/p2p/<relay>/p2p-circuit" from the
// addresses the relay vouched for in its reservation (public ones), or,
// when it named none (a relay on a LAN), from those we know it by. Relay
// addresses through another relay are no use.
func circuitAddrs(relay peer.ID, vouched, known []ma.Multiaddr) []ma.Multiaddr {
	src := vouched
	if len(src) == 0 {
		src = known
	}
	circuit := ma.StringCast("/p2p-circuit")
	self := ma.StringCast("/p2p/" + relay.String())
	var out []ma.Multiaddr
	for _, a := range src {
		if isRelayed(a) || manet.IsIPUnspecified(a) {
			continue
		}
		base, last := ma.SplitLast(a)
		if last != nil && last.Code() == ma.P_P2P {
			a = base
		}
		out = append(out, a.Encapsulate(self).Encapsulate(circuit))
	}
	return ma.Unique(out)
}
