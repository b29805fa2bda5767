package base

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestPeerTimeWindow(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, ms := range []int64{math.MaxInt64, math.MinInt64, 1 << 62, -1, 0, now.Add(PeerFuture + time.Minute).UnixMilli(), now.Add(-PeerPast - time.Minute).UnixMilli()} {
		if got, ok := PeerTime(ms, now); ok || !got.Equal(now) {
			t.Errorf("PeerTime(%d) = %v, %v; want now, false", ms, got, ok)
		}
	}
	for _, at := range []time.Time{now, now.Add(-365 * 24 * time.Hour), now.Add(time.Hour)} {
		if got, ok := PeerTime(at.UnixMilli(), now); !ok || !got.Equal(at) {
			t.Errorf("PeerTime(%v) = %v, %v", at, got, ok)
		}
	}
}

func TestInboundQuota(t *testing.T) {
	c := &fakeClock{time.Unix(1e9, 0)}
	q := NewInbound(InboundLimits{Rate: 1000, Burst: 10_000, Day: 50_000}, c.now)
	a, b := peer.ID("a"), peer.ID("b")
	if err := q.Take(a, 10_000); err != nil {
		t.Fatal(err)
	}
	if err := q.Take(a, 1); !errors.Is(err, ErrOverQuota) {
		t.Fatalf("over the burst: %v", err)
	}
	if err := q.Take(b, 5_000); err != nil {
		t.Fatal("one contact's use counted against another")
	}
	c.t = c.t.Add(5 * time.Second) // 5,000 bytes back
	if err := q.Take(a, 5_000); err != nil {
		t.Fatal(err)
	}
	// The day's total holds whatever the rate allows.
	for range 3 {
		c.t = c.t.Add(time.Minute)
		q.Take(a, 10_000)
	}
	c.t = c.t.Add(time.Minute)
	if err := q.Take(a, 10_000); !errors.Is(err, ErrOverQuota) {
		t.Fatalf("over the day: %v", err)
	}
	c.t = c.t.Add(24 * time.Hour)
	if err := q.Take(a, 10_000); err != nil {
		t.Fatalf("a new day: %v", err)
	}
	if !q.ShouldWarn("x") || q.ShouldWarn("x") {
		t.Fatal("a notice is due once an hour")
	}
	c.t = c.t.Add(warnEvery)
	if !q.ShouldWarn("x") {
		t.Fatal("a notice after an hour")
	}
}

func TestDialsBudgetAndBackoff(t *testing.T) {
	c := &fakeClock{time.Unix(1e9, 0)}
	d := NewDials(c.now)
	var ghosts []peer.ID
	for i := range 48 {
		ghosts = append(ghosts, peer.ID(rune('A'+i)))
	}
	if got := d.Pick(ghosts); len(got) != MaxUnknownDials {
		t.Fatalf("first round: %d", len(got))
	}
	if got := d.Pick(ghosts); len(got) != 0 {
		t.Fatalf("no budget left, yet %d", len(got))
	}
	// A minute of rounds: the budget comes back at one per UnknownDialEvery.
	total := 0
	for range 60 {
		c.t = c.t.Add(time.Second)
		total += len(d.Pick(ghosts))
	}
	if want := int(time.Minute / UnknownDialEvery); total > want {
		t.Fatalf("%d dials in a minute, budget %d", total, want)
	}
	// Backoff: the first ghost is not picked again before DialBackoffMin·2
	// after its second attempt.
	one := []peer.ID{"solo"}
	c.t = c.t.Add(time.Hour)
	if len(d.Pick(one)) != 1 {
		t.Fatal("first attempt")
	}
	c.t = c.t.Add(DialBackoffMin - time.Second)
	if len(d.Pick(one)) != 0 {
		t.Fatal("picked inside its backoff")
	}
	c.t = c.t.Add(time.Second)
	if len(d.Pick(one)) != 1 {
		t.Fatal("not picked after its backoff")
	}
	c.t = c.t.Add(DialBackoffMin)
	if len(d.Pick(one)) != 0 {
		t.Fatal("the backoff did not double")
	}
	d.Connected("solo")
	if len(d.Pick(one)) != 1 {
		t.Fatal("a peer that connected is dialled again at once")
	}
}
