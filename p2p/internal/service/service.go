// Package service holds the stream bookkeeping every Hearth protocol
// service shares: it registers the protocol's handler, tracks each open
// stream so Close can reset it, and makes Close wait for the inbound
// handlers to return.
package service

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// Streams is one protocol's handler and its open streams on one host.
type Streams struct {
	h    host.Host
	id   protocol.ID
	name string         // the service name in the resource manager
	wg   sync.WaitGroup // inbound handlers running

	// fields below protected by mu
	mu     sync.Mutex
	closed bool
	live   map[network.Stream]struct{} // every open stream, reset by Close
}

// New returns the bookkeeping for protocol id on h; name is the service
// name inbound streams are attached to in the resource manager.
func New(h host.Host, id protocol.ID, name string) *Streams {
	return &Streams{h: h, id: id, name: name, live: make(map[network.Stream]struct{})}
}

// Handle registers serve as the protocol's handler. A stream from a peer
// that allow refuses (nil allows everyone), one that arrives after Close
// and one the resource manager will not attach to the service are reset;
// any other is tracked while serve runs. serve closes or resets st.
func (s *Streams) Handle(allow func(peer.ID) bool, serve func(st network.Stream, from peer.ID)) {
	s.h.SetStreamHandler(s.id, func(st network.Stream) {
		from := st.Conn().RemotePeer()
		if allow != nil && !allow(from) {
			st.Reset()
			return
		}
		if !s.Track(st, true) {
			st.Reset()
			return
		}
		defer s.Untrack(st, true)
		if err := st.Scope().SetService(s.name); err != nil {
			st.Reset()
			return
		}
		serve(st, from)
	})
}

// Close removes the handler, resets every open stream and waits for the
// inbound handlers to return. Track fails after it. It always returns
// nil, so a Service's Close can return it.
func (s *Streams) Close() error {
	s.h.RemoveStreamHandler(s.id)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	live := make([]network.Stream, 0, len(s.live))
	for st := range s.live {
		live = append(live, st)
	}
	s.mu.Unlock()
	for _, st := range live {
		st.Reset()
	}
	s.wg.Wait()
	return nil
}

// Closed reports whether Close has been called.
func (s *Streams) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Track records an open stream so Close can reset it (and, for an inbound
// one, wait for its handler); it fails once closed. Every successful Track
// is paired with an Untrack.
func (s *Streams) Track(st network.Stream, inbound bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.live[st] = struct{}{}
	if inbound {
		s.wg.Add(1)
	}
	return true
}

// Untrack forgets a stream recorded by Track.
func (s *Streams) Untrack(st network.Stream, inbound bool) {
	s.mu.Lock()
	delete(s.live, st)
	s.mu.Unlock()
	if inbound {
		s.wg.Done()
	}
}
