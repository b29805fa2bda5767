package core

import (
	"context"
	"slices"
	"sync"
	"time"

	levent "github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"

	"hearth/app/core/event"
	"hearth/contacts"
)

// wake asks the connect loop to run now.
func (m *Messenger) wake() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// connectLoop keeps accepted contacts connected and resends pending
// requests, every RetryInterval or when woken.
func (m *Messenger) connectLoop() {
	t := time.NewTicker(m.opts.RetryInterval)
	defer t.Stop()
	for {
		m.connectAll()
		select {
		case <-m.d.Ctx().Done():
			return
		case <-t.C:
		case <-m.kick:
		}
	}
}

func (m *Messenger) connectAll() {
	var todo []contacts.Contact
	var online, asking []peer.ID
	for id, c := range m.book.Snapshot() {
		switch {
		case (c.State == contacts.Accepted || c.State == contacts.Outgoing) && !m.d.Connected(id):
			todo = append(todo, c)
		case c.State == contacts.Accepted:
			online = append(online, id)
		case c.State == contacts.Outgoing:
			if m.People.Unanswered(id) {
				asking = append(asking, id)
			}
		}
	}
	// A flush that failed (a store error on their side, a reset stream)
	// is retried here while both stay connected.
	for _, id := range online {
		if waiting, _ := m.Chat.HasUndelivered(id.String()); waiting {
			m.Chat.RequestFlush(id)
		}
		if m.Chat.HasPendingUpdates(id) {
			m.Chat.RequestUpdates(id)
		}
	}
	// Whoever is not connected gets messages through carriers, at once.
	m.Carry.Tick()
	var wg sync.WaitGroup
	for _, id := range asking {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.People.SendRequest(id)
		}()
	}
	for _, c := range todo {
		id, _ := peer.Decode(c.PeerID)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(m.d.Ctx(), 5*time.Second)
			defer cancel()
			// A successful dial fires onConnected, which does the rest.
			m.node.Host.Connect(ctx, peer.AddrInfo{ID: id})
		}()
	}
	wg.Wait()
}

// onConnected runs in the swarm's notification path: do the work elsewhere.
func (m *Messenger) onConnected(id peer.ID) {
	c, ok := m.book.Get(id)
	if !ok || c.State != contacts.Accepted {
		m.People.Connected(id) // a request to resend, or a removal to retell
		return
	}
	m.d.Go(func() {
		switch c.State {
		case contacts.Accepted:
			m.Presence.SendTo(id)
			m.Chat.Flush(id)
			m.Chat.FlushUpdates(id)
			m.Transfers.Connected(id)
			m.Archive.SendFlag(id) // a compliance flag they have not heard of yet
			m.Carry.OnConnect(id)
		}
	})
}

func (m *Messenger) onDisconnected(id peer.ID) {
	if m.d.Connected(id) {
		return // another connection is still up
	}
	if m.Presence.Disconnected(id) {
		m.d.Publish(event.ContactsChanged{})
	}
}

// addrLoop keeps each contact's stored addresses current: whenever a
// contact identifies itself, the addresses it listens on are saved, so that
// after a restart on either side we know where to find it.
func (m *Messenger) addrLoop(sub levent.Subscription) {
	defer sub.Close()
	for {
		select {
		case <-m.d.Ctx().Done():
			return
		case e, ok := <-sub.Out():
			if !ok {
				return
			}
			ev := e.(levent.EvtPeerIdentificationCompleted)
			if len(ev.ListenAddrs) == 0 {
				continue
			}
			addrs := make([]string, 0, len(ev.ListenAddrs))
			for _, a := range ev.ListenAddrs {
				addrs = append(addrs, a.String())
			}
			m.book.Lock()
			c, known := m.book.Get(ev.Peer)
			if known && c.State != contacts.Blocked && !slices.Equal(addrs, c.Addrs) {
				c.Addrs = addrs
				m.book.Put(c)
			}
			m.book.Unlock()
		}
	}
}

// livenessInterval is how often connected contacts are pinged. A contact
// whose machine vanished (no FIN, no RST: a QUIC peer killed, a cable
// pulled) is seen offline within about two intervals instead of after the
// transports' idle timeouts.
var livenessInterval = 3 * time.Second

func (m *Messenger) livenessLoop() {
	t := time.NewTicker(livenessInterval)
	defer t.Stop()
	for {
		select {
		case <-m.d.Ctx().Done():
			return
		case <-t.C:
		}
		peers, _ := m.book.Accepted()
		var wg sync.WaitGroup
		for _, id := range peers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(m.d.Ctx(), 2*livenessInterval)
				defer cancel()
				// Ping closes its channel without a result when ctx
				// expires: a silent peer is exactly that case.
				res, ok := <-ping.Ping(ctx, m.node.Host, id)
				if (!ok || res.Error != nil) && m.d.Ctx().Err() == nil {
					// Gone: drop the connection so presence goes offline
					// and the connect loop starts looking again.
					m.node.Host.Network().ClosePeer(id)
				}
			}()
		}
		wg.Wait()
	}
}
