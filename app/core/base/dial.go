package base

import (
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Dials of peers who are not my contacts. A contact's signed group state
// may name members I do not know, at addresses it chose: dialling each of
// them at every retry made a victim open 2,400 TCP connections in a
// minute. Such peers are dialled only when something is owed to them (the
// caller's "on demand"), within one budget for all of them
// (MaxUnknownDials at once, then one every UnknownDialEvery), and each one
// again only after a backoff that doubles up to DialBackoffMax.
const (
	// MaxUnknownDials bounds the unknown peers dialled at once.
	MaxUnknownDials = 8
	// UnknownDialEvery is how fast the budget comes back: a hostile state
	// costs at most 12 dials a minute, whatever it names.
	UnknownDialEvery = 5 * time.Second
	// DialBackoffMin is the wait after a first attempt; it doubles with
	// each attempt that did not connect.
	DialBackoffMin = 30 * time.Second
	// DialBackoffMax is the longest wait between two attempts.
	DialBackoffMax = time.Hour
	// maxDialEntries bounds the remembered peers.
	maxDialEntries = 4096
)

// Dials keeps the backoff of each unknown peer; the fields below mu are
// its state.
type Dials struct {
	now func() time.Time

	mu     sync.Mutex
	next   map[peer.ID]dialState
	tokens float64   // dials of unknown peers allowed now
	at     time.Time // when tokens was computed
}

type dialState struct {
	at    time.Time // not before
	delay time.Duration
}

// NewDials returns an empty set of backoffs on the clock now (nil:
// time.Now).
func NewDials(now func() time.Time) *Dials {
	if now == nil {
		now = time.Now
	}
	return &Dials{now: now, next: map[peer.ID]dialState{}, tokens: MaxUnknownDials, at: now()}
}

// Pick returns the peers of ids that may be dialled now, within the
// budget, and counts an attempt for each: it is not picked again before
// its backoff ends, unless Connected resets it.
func (d *Dials) Pick(ids []peer.ID) []peer.ID {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if el := now.Sub(d.at); el > 0 {
		d.tokens = min(MaxUnknownDials, d.tokens+el.Seconds()/UnknownDialEvery.Seconds())
		d.at = now
	}
	var out []peer.ID
	for _, id := range ids {
		if d.tokens < 1 {
			break
		}
		st, ok := d.next[id]
		if ok && now.Before(st.at) {
			continue
		}
		delay := DialBackoffMin
		if ok {
			delay = min(2*st.delay, DialBackoffMax)
		}
		if !ok && len(d.next) >= maxDialEntries {
			d.prune(now)
			if len(d.next) >= maxDialEntries {
				break
			}
		}
		d.next[id] = dialState{at: now.Add(delay), delay: delay}
		d.tokens--
		out = append(out, id)
	}
	return out
}

// Connected forgets id's backoff: it is reachable.
func (d *Dials) Connected(id peer.ID) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.next, id)
}

// prune drops the backoffs that ended long ago. d.mu is held.
func (d *Dials) prune(now time.Time) {
	for id, st := range d.next {
		if now.Sub(st.at) > DialBackoffMax {
			delete(d.next, id)
		}
	}
}
