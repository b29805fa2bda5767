package presence

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

type recorder struct {
	mu    sync.Mutex
	got   []wire.Presence
	from  []peer.ID
	block chan struct{}
}

func (r *recorder) on(from peer.ID, p wire.Presence) {
	if r.block != nil {
		<-r.block
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, p)
	r.from = append(r.from, from)
}

func (r *recorder) n() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func ctxT(t testing.TB) context.Context { return p2ptest.Context(t, 10*time.Second) }

func setup(t testing.TB, a, b host.Host, rcfg Config) (*Service, *recorder) {
	rec := &recorder{}
	if rcfg.OnPresence == nil {
		rcfg.OnPresence = rec.on
	}
	sender := New(a, Config{})
	receiver := New(b, rcfg)
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	return sender, rec
}

func TestSend(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, rec := setup(t, a, b, Config{})
	want := wire.Presence{State: wire.PresenceAway, Text: "at lunch ☕"}
	if err := sender.Send(ctxT(t), b.ID(), want); err != nil {
		t.Fatal(err)
	}
	// Send returned after OnPresence: no waiting needed.
	if rec.n() != 1 || rec.got[0] != want || rec.from[0] != a.ID() {
		t.Fatalf("got %#v from %v", rec.got, rec.from)
	}
	if err := sender.Send(ctxT(t), b.ID(), wire.Presence{State: wire.PresenceOffline}); err != nil {
		t.Fatal(err)
	}
	if rec.n() != 2 || rec.got[1].State != wire.PresenceOffline {
		t.Fatalf("got %#v", rec.got)
	}
}

func TestAllowFalse(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, rec := setup(t, a, b, Config{Allow: func(p peer.ID) bool { return false }})
	if err := sender.Send(ctxT(t), b.ID(), wire.Presence{State: wire.PresenceOnline}); err == nil {
		t.Fatal("Send to a peer that does not allow us succeeded")
	}
	if rec.n() != 0 {
		t.Fatal("OnPresence called for a peer that is not allowed")
	}
}

func TestSendRefusesLongText(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, rec := setup(t, a, b, Config{})
	err := sender.Send(ctxT(t), b.ID(), wire.Presence{Text: strings.Repeat("x", wire.MaxPresenceText+1)})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err %v, want ErrTooLarge", err)
	}
	if err := sender.Send(ctxT(t), b.ID(), wire.Presence{Text: strings.Repeat("x", wire.MaxPresenceText)}); err != nil {
		t.Fatal(err)
	}
	if rec.n() != 1 {
		t.Fatalf("%d updates", rec.n())
	}
}

func TestHostileFrames(t *testing.T) {
	cases := map[string][]byte{
		"oversized announced": {0x80, 0x80, 0x40},
		"oversized frame":     p2ptest.RawFrame([]byte(strings.Repeat("\x12\x01a", MaxFrame))),
		"garbage":             p2ptest.RawFrame([]byte{0xff, 0xff, 0xff, 0x01}),
		"wrong wire type":     p2ptest.RawFrame([]byte{0x0a, 0x01, 0x01}),
		"bad utf8":            p2ptest.RawFrame([]byte{0x12, 0x02, 0xc3, 0x28}),
		"text over limit":     p2ptest.RawFrame(wire.Presence{Text: strings.Repeat("t", wire.MaxPresenceText+1)}.Marshal()),
		"truncated":           {0x05, 0x08},
		"empty stream":        {},
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := p2ptest.MockPair(t)
			sender, rec := setup(t, a, b, Config{})
			p2ptest.SendRaw(t, a, b.ID(), ID, data)
			if rec.n() != 0 {
				t.Fatalf("OnPresence called with %#v", rec.got)
			}
			if err := sender.Send(ctxT(t), b.ID(), wire.Presence{State: wire.PresenceBusy}); err != nil {
				t.Fatalf("good update after hostile frame: %v", err)
			}
			if rec.n() != 1 {
				t.Fatal("good update not delivered")
			}
		})
	}
}

func TestSendContextCancel(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{block: make(chan struct{})}
	sender, _ := setup(t, a, b, Config{OnPresence: rec.on})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := sender.Send(ctx, b.ID(), wire.Presence{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
	close(rec.block)
}

func TestSendAfterClose(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _ := setup(t, a, b, Config{})
	sender.Close()
	if err := sender.Send(ctxT(t), b.ID(), wire.Presence{}); err == nil {
		t.Fatal("Send after Close succeeded")
	}
}

func TestRealHosts(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	rec := &recorder{}
	sa := New(a, Config{OnPresence: rec.on})
	sb := New(b, Config{OnPresence: rec.on, Allow: func(p peer.ID) bool { return p == a.ID() }})
	ctx := ctxT(t)
	for i := range 20 {
		if err := sa.Send(ctx, b.ID(), wire.Presence{State: uint32(i % 4), Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sb.Send(ctx, a.ID(), wire.Presence{State: wire.PresenceOnline}); err != nil {
		t.Fatal(err)
	}
	if rec.n() != 21 {
		t.Fatalf("%d updates, want 21", rec.n())
	}
	sa.Close()
	sb.Close()
	a.Close()
	b.Close()
	p2ptest.WaitGoroutines(t, base)
}

func TestSilentPeer(t *testing.T) {
	a, b := p2ptest.RealPair(t)
	defer a.Close()
	defer b.Close()
	setup(t, a, b, Config{Timeout: 200 * time.Millisecond})
	p2ptest.ExpectIdleReset(t, a, b.ID(), ID)
}
