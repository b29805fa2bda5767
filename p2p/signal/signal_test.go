package signal

import (
	"context"
	"errors"
	"fmt"
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
	got   []wire.Signal
	from  []peer.ID
	block chan struct{}
}

func (r *recorder) on(from peer.ID, s wire.Signal) {
	if r.block != nil {
		<-r.block
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, s)
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
	if rcfg.OnSignal == nil {
		rcfg.OnSignal = rec.on
	}
	sender := New(a, Config{})
	receiver := New(b, rcfg)
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	return sender, rec
}

var offer = wire.Signal{Kind: wire.SignalOffer, CallID: "call-1", SDP: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}

func TestSend(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, rec := setup(t, a, b, Config{})
	if err := sender.Send(ctxT(t), b.ID(), offer); err != nil {
		t.Fatal(err)
	}
	if rec.n() != 1 || rec.got[0] != offer || rec.from[0] != a.ID() {
		t.Fatalf("got %#v from %v", rec.got, rec.from)
	}
}

// TestOrder: sequential Sends reach OnSignal in order.
func TestOrder(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, rec := setup(t, a, b, Config{})
	ctx := ctxT(t)
	var want []wire.Signal
	want = append(want, offer)
	for i := range 30 {
		want = append(want, wire.Signal{Kind: wire.SignalCandidate, CallID: "call-1", Candidate: fmt.Sprintf(`{"candidate":"%d"}`, i)})
	}
	want = append(want, wire.Signal{Kind: wire.SignalHangup, CallID: "call-1"})
	for _, s := range want {
		if err := sender.Send(ctx, b.ID(), s); err != nil {
			t.Fatal(err)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.got) != len(want) {
		t.Fatalf("%d signals, want %d", len(rec.got), len(want))
	}
	for i := range want {
		if rec.got[i] != want[i] {
			t.Fatalf("signal %d: %#v, want %#v", i, rec.got[i], want[i])
		}
	}
}

func TestAllowFalse(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, rec := setup(t, a, b, Config{Allow: func(p peer.ID) bool { return false }})
	if err := sender.Send(ctxT(t), b.ID(), offer); err == nil {
		t.Fatal("Send to a peer that does not allow us succeeded")
	}
	if rec.n() != 0 {
		t.Fatal("OnSignal called for a peer that is not allowed")
	}
}

func TestSendRefusesInvalid(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, rec := setup(t, a, b, Config{})
	bad := []wire.Signal{
		{Kind: 0, CallID: "c"},
		{Kind: 99, CallID: "c"},
		{Kind: wire.SignalOffer},
		{Kind: wire.SignalOffer, CallID: "c", SDP: strings.Repeat("a", MaxFrame)},
	}
	for _, s := range bad {
		if err := sender.Send(ctxT(t), b.ID(), s); !errors.Is(err, ErrInvalid) {
			t.Errorf("Send(kind %d, call %q, %d bytes SDP): %v, want ErrInvalid", s.Kind, s.CallID, len(s.SDP), err)
		}
	}
	// A large but legal SDP goes through.
	big := wire.Signal{Kind: wire.SignalOffer, CallID: "c", SDP: strings.Repeat("a", 60<<10)}
	if err := sender.Send(ctxT(t), b.ID(), big); err != nil {
		t.Fatal(err)
	}
	if rec.n() != 1 {
		t.Fatalf("%d signals", rec.n())
	}
}

func TestHostileFrames(t *testing.T) {
	cases := map[string][]byte{
		"oversized announced": {0x80, 0x80, 0x80, 0x01},
		"oversized frame":     p2ptest.RawFrame(wire.Signal{Kind: wire.SignalOffer, CallID: "c", SDP: strings.Repeat("s", MaxFrame)}.Marshal()),
		"garbage":             p2ptest.RawFrame([]byte{0xff, 0xff, 0xff, 0x01}),
		"wrong wire type":     p2ptest.RawFrame([]byte{0x0a, 0x01, 0x01}),
		"bad utf8":            p2ptest.RawFrame([]byte{0x08, 0x01, 0x12, 0x01, 0xff}),
		"unknown kind":        p2ptest.RawFrame(wire.Signal{Kind: 42, CallID: "c"}.Marshal()),
		"no call id":          p2ptest.RawFrame(wire.Signal{Kind: wire.SignalHangup}.Marshal()),
		"truncated":           {0x05, 0x08},
		"empty stream":        {},
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := p2ptest.MockPair(t)
			sender, rec := setup(t, a, b, Config{})
			p2ptest.SendRaw(t, a, b.ID(), ID, data)
			if rec.n() != 0 {
				t.Fatalf("OnSignal called with %#v", rec.got)
			}
			if err := sender.Send(ctxT(t), b.ID(), offer); err != nil {
				t.Fatalf("good signal after hostile frame: %v", err)
			}
			if rec.n() != 1 {
				t.Fatal("good signal not delivered")
			}
		})
	}
}

func TestSendContextCancel(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{block: make(chan struct{})}
	sender, _ := setup(t, a, b, Config{OnSignal: rec.on})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := sender.Send(ctx, b.ID(), offer); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
	close(rec.block)
}

func TestSendAfterClose(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _ := setup(t, a, b, Config{})
	sender.Close()
	if err := sender.Send(ctxT(t), b.ID(), offer); err == nil {
		t.Fatal("Send after Close succeeded")
	}
}

func TestRealHosts(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	rec := &recorder{}
	sa := New(a, Config{})
	sb := New(b, Config{OnSignal: rec.on, Allow: func(p peer.ID) bool { return p == a.ID() }})
	ctx := ctxT(t)
	seq := []wire.Signal{offer,
		{Kind: wire.SignalRinging, CallID: "call-1"},
		{Kind: wire.SignalCandidate, CallID: "call-1", Candidate: "{}"},
		{Kind: wire.SignalHangup, CallID: "call-1"}}
	for _, s := range seq {
		if err := sa.Send(ctx, b.ID(), s); err != nil {
			t.Fatal(err)
		}
	}
	if rec.n() != len(seq) || rec.got[3].Kind != wire.SignalHangup {
		t.Fatalf("got %#v", rec.got)
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
