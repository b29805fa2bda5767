// Package links keeps contacts connected: it dials accepted contacts and
// people I asked who are not connected (every RetryInterval, or at once
// when woken), pings connected contacts so that a machine that vanished
// is seen offline within seconds, and keeps each contact's stored
// addresses current from what it says about itself and from where its
// connection came; and stays connected to a public bootstrap peer, where
// the node takes a relay slot when no contact offers one. What runs on a new
// connection is the composition root's (it tells every mechanism).
package links

import (
	"context"
	"slices"
	"sync"
	"time"

	levent "github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"hearth/app/core/base"
	"hearth/contacts"
)

// LivenessInterval is how often connected contacts are pinged. A contact
// whose machine vanished (no FIN, no RST: a QUIC peer killed, a cable
// pulled) is seen offline within about two intervals instead of after the
// transports' idle timeouts.
var LivenessInterval = 3 * time.Second

// Config connects the loop to the mechanisms it serves.
type Config struct {
	// Retry runs on every pass, with the accepted contacts connected now:
	// what failed on a live connection is tried again, and carriers take
	// what waits for the others.
	Retry func(online []peer.ID)
	// Unanswered reports an Outgoing contact whose last request got no
	// answer; Resend sends it again while we stay connected.
	Unanswered func(id peer.ID) bool
	Resend     func(id peer.ID)
	// Bootstrap lists public peers (DHT servers, relays) to stay
	// connected to; nil or empty: none.
	Bootstrap func() []peer.AddrInfo
}

// Links owns the wake-up of the connect loop; its loops run on the core's
// tasks and keep no other state (the book holds the contacts).
type Links struct {
	kick chan struct{}
	d    *base.Deps
	cfg  Config
}

// New returns Links whose Wake works at once; Start runs the loops.
func New() *Links { return &Links{kick: make(chan struct{}, 1)} }

// Wake asks the connect loop to run now.
func (l *Links) Wake() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Start runs the connect, liveness and address loops.
func (l *Links) Start(d *base.Deps, cfg Config) {
	l.d, l.cfg = d, cfg
	if sub, err := d.Host.EventBus().Subscribe(new(levent.EvtPeerIdentificationCompleted)); err == nil {
		d.Go(func() { l.addrLoop(sub) })
	}
	d.Go(l.connectLoop)
	d.Go(l.livenessLoop)
}

// connectLoop keeps accepted contacts connected and resends pending
// requests, every RetryInterval or when woken.
func (l *Links) connectLoop() {
	t := time.NewTicker(l.d.RetryInterval)
	defer t.Stop()
	for {
		l.connectAll()
		select {
		case <-l.d.Ctx().Done():
			return
		case <-t.C:
		case <-l.kick:
		}
	}
}

func (l *Links) connectAll() {
	var todo, online, asking []peer.ID
	for id, c := range l.d.Book.Snapshot() {
		switch {
		case (c.State == contacts.Accepted || c.State == contacts.Outgoing) && !l.d.Connected(id):
			todo = append(todo, id)
		case c.State == contacts.Accepted:
			online = append(online, id)
		case c.State == contacts.Outgoing:
			if l.cfg.Unanswered(id) {
				asking = append(asking, id)
			}
		}
	}
	l.cfg.Retry(online)
	var wg sync.WaitGroup
	for _, id := range asking {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.cfg.Resend(id)
		}()
	}
	l.d.DialAll(todo)
	l.dialBootstrap()
	wg.Wait()
}

// dialBootstrap connects to the public peers unless one is connected
// already: one is enough for a relay slot and for others' view of our
// address.
func (l *Links) dialBootstrap() {
	if l.cfg.Bootstrap == nil {
		return
	}
	peers := l.cfg.Bootstrap()
	for _, ai := range peers {
		if l.d.Connected(ai.ID) {
			return
		}
	}
	for _, ai := range peers {
		ctx, cancel := l.d.Timeout(5 * time.Second)
		err := l.d.Host.Connect(ctx, ai)
		cancel()
		if err == nil {
			return
		}
	}
}

// addrLoop keeps each contact's stored addresses current: whenever a
// contact identifies itself, the addresses it listens on are saved, so that
// after a restart on either side we know where to find it.
func (l *Links) addrLoop(sub levent.Subscription) {
	defer sub.Close()
	for {
		select {
		case <-l.d.Ctx().Done():
			return
		case e, ok := <-sub.Out():
			if !ok {
				return
			}
			ev := e.(levent.EvtPeerIdentificationCompleted)
			if len(ev.ListenAddrs) == 0 {
				continue
			}
			addrs := make([]string, 0, len(ev.ListenAddrs)+1)
			for _, a := range ev.ListenAddrs {
				addrs = append(addrs, a.String())
			}
			// The address a contact's connection came from is a hint
			// worth keeping: after a hole punch, or behind a NAT that
			// keeps ports, it is where they can be dialled back.
			if hint := remoteHint(ev.Conn); hint != "" && !slices.Contains(addrs, hint) {
				addrs = append(addrs, hint)
			}
			l.d.Book.Lock()
			c, known := l.d.Book.Get(ev.Peer)
			if known && c.State != contacts.Blocked && !slices.Equal(addrs, c.Addrs) {
				c.Addrs = addrs
				l.d.Book.Put(c)
			}
			l.d.Book.Unlock()
		}
	}
}

// remoteHint is the public address a direct connection came from, or "".
func remoteHint(c network.Conn) string {
	if c == nil {
		return ""
	}
	a := c.RemoteMultiaddr()
	if _, err := a.ValueForProtocol(ma.P_CIRCUIT); err == nil || !manet.IsPublicAddr(a) {
		return ""
	}
	return a.String()
}

func (l *Links) livenessLoop() {
	t := time.NewTicker(LivenessInterval)
	defer t.Stop()
	for {
		select {
		case <-l.d.Ctx().Done():
			return
		case <-t.C:
		}
		peers, _ := l.d.Book.Accepted()
		// The public peer that holds our relay slot too: after a move
		// (a new address from the ISP) its connection is dead, and the
		// slot with it, until we notice and dial it again.
		if l.cfg.Bootstrap != nil {
			for _, ai := range l.cfg.Bootstrap() {
				if l.d.Connected(ai.ID) {
					peers = append(peers, ai.ID)
				}
			}
		}
		var wg sync.WaitGroup
		for _, id := range peers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(l.d.Ctx(), 2*LivenessInterval)
				defer cancel()
				// Ping closes its channel without a result when ctx
				// expires: a silent peer is exactly that case.
				res, ok := <-ping.Ping(ctx, l.d.Host, id)
				if (!ok || res.Error != nil) && l.d.Ctx().Err() == nil {
					// Gone: drop the connection so presence goes offline
					// and the connect loop starts looking again.
					l.d.Host.Network().ClosePeer(id)
				}
			}()
		}
		wg.Wait()
	}
}
