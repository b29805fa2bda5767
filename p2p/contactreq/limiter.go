package contactreq

import (
	"container/list"
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"
)

// limiter holds a token bucket per peer, for at most max peers (least
// recently seen evicted), and one global bucket.
type limiter struct {
	perRate  rate.Limit
	perBurst int
	max      int

	// fields below protected by mu
	mu     sync.Mutex
	global *rate.Limiter
	peers  map[peer.ID]*list.Element // of *peerBucket
	lru    *list.List                // front: most recently seen
}

type peerBucket struct {
	id peer.ID
	l  *rate.Limiter
}

func newLimiter(perRate rate.Limit, perBurst int, globalRate rate.Limit, globalBurst, max int) *limiter {
	return &limiter{
		perRate:  perRate,
		perBurst: perBurst,
		max:      max,
		global:   rate.NewLimiter(globalRate, globalBurst),
		peers:    make(map[peer.ID]*list.Element),
		lru:      list.New(),
	}
}

// allow takes a token for p. The peer's own bucket is asked first, so one
// flooding peer is stopped there and does not drain the global bucket that
// everyone else shares.
func (l *limiter) allow(p peer.ID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.peers[p]
	if ok {
		l.lru.MoveToFront(e)
	} else {
		for l.lru.Len() >= l.max {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.peers, old.Value.(*peerBucket).id)
		}
		e = l.lru.PushFront(&peerBucket{id: p, l: rate.NewLimiter(l.perRate, l.perBurst)})
		l.peers[p] = e
	}
	return e.Value.(*peerBucket).l.Allow() && l.global.Allow()
}

// tracked is how many peers have a bucket.
func (l *limiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.peers)
}
