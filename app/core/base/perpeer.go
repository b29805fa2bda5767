package base

import (
	"sync"
	"sync/atomic"

	"github.com/libp2p/go-libp2p/core/peer"
)

// PerPeer runs one job per peer at a time (a flush of an outbox, a
// deposit, a hand-over), in the spirit of a serial queue: a burst of
// requests while one waits queues one more run, not one per request, and
// a queued run reads its work only when it starts, so it takes all of it.
type PerPeer struct {
	runs sync.Map // peer.ID → *serial
}

type serial struct {
	mu      sync.Mutex // held while a run is in progress
	pending atomic.Bool
}

func (p *PerPeer) get(id peer.ID) *serial {
	s, _ := p.runs.LoadOrStore(id, &serial{})
	return s.(*serial)
}

// Request runs f in the background through tasks unless a run for id is
// already queued.
func (p *PerPeer) Request(tasks *Tasks, id peer.ID, f func()) {
	if p.get(id).pending.Swap(true) {
		return
	}
	tasks.Go(func() { p.Do(id, f) })
}

// Do runs f now, after any run for id in progress; it takes the place of
// a queued request.
func (p *PerPeer) Do(id peer.ID, f func()) {
	s := p.get(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending.Store(false)
	f()
}

// Lock runs f with id's serial lock held but leaves a queued request
// queued (for sends that must not interleave, not for runs of a queue).
func (p *PerPeer) Lock(id peer.ID, f func()) {
	s := p.get(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}
