package base

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Times from peers. A peer's clock may be wrong and a hostile peer's times
// may be anything (MaxInt64 came back as 1969): a time outside the window
// around now is replaced by now, and every stored time is within reach of
// the store's Unix nanoseconds.
const (
	// PeerPast is how far back a peer's time may lie: messages carried
	// or kept in an outbox for a long time are still dated by their author.
	PeerPast = 10 * 365 * 24 * time.Hour
	// PeerFuture is the clock skew allowed ahead of mine.
	PeerFuture = 24 * time.Hour
)

// PeerTime turns a peer's Unix milliseconds into a time within
// [now-PeerPast, now+PeerFuture]; ok is false (and the time is now) when
// ms lies outside.
func PeerTime(ms int64, now time.Time) (t time.Time, ok bool) {
	lo, hi := now.Add(-PeerPast).UnixMilli(), now.Add(PeerFuture).UnixMilli()
	if ms < lo || ms > hi {
		return now, false
	}
	return time.UnixMilli(ms), true
}

// BlankText reports whether a body from a peer has nothing to show
// (empty, or only spaces and invisible characters): such a message is
// acknowledged and dropped, never stored.
func BlankText(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && r != 0
	}) < 0
}

// ErrOverQuota: a contact sent more than Hearth stores from one contact in
// a while; what was refused stays with the sender and comes later.
var ErrOverQuota = errors.New("over the storage quota for one contact")

// InboundLimits bound what one contact can make me store: a rate (bytes a
// second, with a burst) and a total per day. Zero fields take the
// defaults. Received bodies cost about four times their size on disk (the
// row, its search index with prefixes, the WAL), so the figures below are
// a quarter of what the disk sees.
type InboundLimits struct {
	Rate  int64 // bytes a second, sustained (default 64 KiB)
	Burst int64 // bytes at once (default 8 MiB)
	Day   int64 // bytes in 24 hours (default 256 MiB)
}

const (
	defaultInboundRate  = 64 << 10
	defaultInboundBurst = 8 << 20
	defaultInboundDay   = 256 << 20
	// PerMessageCost is charged for each stored message beside its body.
	PerMessageCost = 256
	// warnEvery spaces the notices about one contact.
	warnEvery = time.Hour
)

// Inbound keeps each contact's storage quota and the notices about
// contacts over it or about storage failing. Its state (fields below mu)
// is its own.
type Inbound struct {
	lim InboundLimits
	now func() time.Time

	mu     sync.Mutex
	peers  map[peer.ID]*usage
	warned map[string]time.Time // notice key → when last shown
}

type usage struct {
	tokens   float64   // bytes that may be stored now
	at       time.Time // when tokens was computed
	dayStart time.Time
	day      int64 // bytes stored since dayStart
}

// NewInbound returns quotas with the given limits; now is the clock (nil:
// time.Now).
func NewInbound(lim InboundLimits, now func() time.Time) *Inbound {
	if lim.Rate <= 0 {
		lim.Rate = defaultInboundRate
	}
	if lim.Burst <= 0 {
		lim.Burst = defaultInboundBurst
	}
	if lim.Day <= 0 {
		lim.Day = defaultInboundDay
	}
	if now == nil {
		now = time.Now
	}
	return &Inbound{lim: lim, now: now, peers: map[peer.ID]*usage{}, warned: map[string]time.Time{}}
}

// Limits returns the limits in force.
func (q *Inbound) Limits() InboundLimits { return q.lim }

// Take charges n bytes to id's quota, or returns ErrOverQuota and charges
// nothing when they do not fit: the caller refuses what arrived, and the
// sender keeps it.
func (q *Inbound) Take(id peer.ID, n int64) error {
	now := q.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	u := q.peers[id]
	if u == nil {
		u = &usage{tokens: float64(q.lim.Burst), at: now, dayStart: now}
		q.peers[id] = u
	}
	if d := now.Sub(u.at); d > 0 {
		u.tokens = min(float64(q.lim.Burst), u.tokens+d.Seconds()*float64(q.lim.Rate))
		u.at = now
	}
	if now.Sub(u.dayStart) >= 24*time.Hour {
		u.dayStart, u.day = now, 0
	}
	if float64(n) > u.tokens || u.day+n > q.lim.Day {
		return ErrOverQuota
	}
	u.tokens -= float64(n)
	u.day += n
	return nil
}

// ShouldWarn reports whether the notice named key is due: true at most
// once an hour for each key, so a flood makes one notice, not thousands.
func (q *Inbound) ShouldWarn(key string) bool {
	now := q.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	if last, ok := q.warned[key]; ok && now.Sub(last) < warnEvery {
		return false
	}
	if len(q.warned) > 4096 {
		clear(q.warned)
	}
	q.warned[key] = now
	return true
}

// QuotaNotice is the notice shown when a contact goes over its quota.
func (q *Inbound) QuotaNotice(name string) string {
	return fmt.Sprintf("%s is sending more than Hearth stores from one contact (%s at once, %s a day): "+
		"the rest waits on their side and arrives later.", name, sizeText(q.lim.Burst), sizeText(q.lim.Day))
}

// StorageNotice is the notice shown when what a contact sent could not be
// stored (a full disk, say).
func StorageNotice(name string, err error) string {
	return fmt.Sprintf("Could not save what %s sent (%v). Nothing is lost: it waits on their side "+
		"and arrives once Hearth can store it again (is the disk full?).", name, err)
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
