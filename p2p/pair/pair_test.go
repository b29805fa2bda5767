package pair

import (
	"bytes"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/pake"
	"hearth/p2p/wire"
)

var code7 = Code{Nameplate: 7, Words: [CodeWords]string{"orbit", "maple", "sugar"}}

// outcome records the waiting side's callbacks.
type outcome struct {
	mu       sync.Mutex
	accepted []string // "peer|name"
	ended    chan error
}

func newOutcome() *outcome { return &outcome{ended: make(chan error, 8)} }

func (o *outcome) accept(from peer.ID, name string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.accepted = append(o.accepted, from.String()+"|"+name)
	return nil
}

func (o *outcome) end(_ Code, _ peer.ID, err error) { o.ended <- err }

func (o *outcome) waitEnd(t *testing.T) error {
	t.Helper()
	select {
	case err := <-o.ended:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the code never ended")
		return nil
	}
}

func (o *outcome) n() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.accepted)
}

// setup returns the typing side on a and the waiting side on b.
func setup(t *testing.T, a, b host.Host, bcfg Config) (*Service, *Service, *outcome) {
	t.Helper()
	o := newOutcome()
	if bcfg.Accept == nil {
		bcfg.Accept = o.accept
	}
	bcfg.Ended = o.end
	bcfg.Name = func() string { return "Bob" }
	typer := New(a, Config{Name: func() string { return "Ann" }})
	waiter := New(b, bcfg)
	t.Cleanup(func() { typer.Close(); waiter.Close() })
	return typer, waiter, o
}

func TestPairRightCode(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	typer, waiter, o := setup(t, a, b, Config{})
	waiter.Wait(code7)
	name, err := typer.Pair(p2ptest.Context(t, 10*time.Second), b.ID(), code7)
	if err != nil {
		t.Fatal(err)
	}
	if name != "Bob" {
		t.Fatalf("name %q", name)
	}
	if err := o.waitEnd(t); err != nil {
		t.Fatalf("waiting side ended with %v", err)
	}
	if o.accepted[0] != a.ID().String()+"|Ann" {
		t.Fatalf("accepted %v", o.accepted)
	}
	if _, ok := waiter.Waiting(); ok {
		t.Fatal("code still open after use")
	}
}

func TestWrongCodeSpendsIt(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	typer, waiter, o := setup(t, a, b, Config{})
	waiter.Wait(code7)
	wrong := code7
	wrong.Words[2] = "salad"
	ctx := p2ptest.Context(t, 10*time.Second)
	if _, err := typer.Pair(ctx, b.ID(), wrong); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("typing side: %v, want ErrWrongCode", err)
	}
	if err := o.waitEnd(t); !errors.Is(err, ErrWrongCode) {
		t.Fatalf("waiting side: %v, want ErrWrongCode", err)
	}
	// The right code no longer works: it was spent by the wrong guess.
	if _, err := typer.Pair(ctx, b.ID(), code7); !errors.Is(err, ErrNotWaiting) {
		t.Fatalf("right code after a wrong one: %v, want ErrNotWaiting", err)
	}
	if o.n() != 0 {
		t.Fatal("someone was accepted")
	}
}

func TestWrongNameplateKeepsCode(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	typer, waiter, o := setup(t, a, b, Config{})
	waiter.Wait(code7)
	other := code7
	other.Nameplate = 8
	ctx := p2ptest.Context(t, 10*time.Second)
	if _, err := typer.Pair(ctx, b.ID(), other); !errors.Is(err, ErrNotWaiting) {
		t.Fatalf("%v, want ErrNotWaiting", err)
	}
	if _, err := typer.Pair(ctx, b.ID(), code7); err != nil {
		t.Fatalf("right code after another number: %v", err)
	}
	if err := o.waitEnd(t); err != nil {
		t.Fatal(err)
	}
}

func TestNoCodeNoTalk(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	typer, waiter, o := setup(t, a, b, Config{})
	ctx := p2ptest.Context(t, 10*time.Second)
	if _, err := typer.Pair(ctx, b.ID(), code7); !errors.Is(err, ErrNotWaiting) {
		t.Fatalf("%v, want ErrNotWaiting", err)
	}
	waiter.Wait(code7)
	waiter.Cancel()
	if _, err := typer.Pair(ctx, b.ID(), code7); !errors.Is(err, ErrNotWaiting) {
		t.Fatalf("after Cancel: %v, want ErrNotWaiting", err)
	}
	select {
	case err := <-o.ended:
		t.Fatalf("Ended(%v) after Cancel", err)
	default:
	}
}

func TestExpiry(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	typer, waiter, o := setup(t, a, b, Config{TTL: 50 * time.Millisecond})
	waiter.Wait(code7)
	if err := o.waitEnd(t); !errors.Is(err, ErrExpired) {
		t.Fatalf("%v, want ErrExpired", err)
	}
	if _, err := typer.Pair(p2ptest.Context(t, 10*time.Second), b.ID(), code7); !errors.Is(err, ErrNotWaiting) {
		t.Fatalf("expired code: %v, want ErrNotWaiting", err)
	}
}

func TestRateLimit(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	typer, waiter, _ := setup(t, a, b, Config{Rate: rate.Every(time.Hour), Burst: 3})
	waiter.Wait(code7)
	other := code7
	other.Nameplate = 8
	ctx := p2ptest.Context(t, 10*time.Second)
	for range 10 {
		typer.Pair(ctx, b.ID(), other)
	}
	if d := waiter.Dropped(); d != 7 {
		t.Fatalf("Dropped() = %d, want 7", d)
	}
	// Over the limit even the right code is refused, and not spent.
	if _, err := typer.Pair(ctx, b.ID(), code7); !errors.Is(err, ErrNotWaiting) {
		t.Fatalf("%v, want ErrNotWaiting", err)
	}
	if _, ok := waiter.Waiting(); !ok {
		t.Fatal("a refused stream spent the code")
	}
}

// hello is a valid first frame for code7's nameplate.
func hello(nameplate uint32) wire.PairHello {
	return wire.PairHello{Nameplate: nameplate, SID: make([]byte, wire.PairSIDLen), Point: bytes.Repeat([]byte{0}, wire.PairPointLen)}
}

func TestHostileFrames(t *testing.T) {
	valid := hello(7)
	valid.Point = validPoint(t)
	cases := map[string]struct {
		data  []byte
		spent bool // the bytes got far enough to claim the code
	}{
		"oversized announced": {[]byte{0x80, 0x80, 0x80, 0x01}, false},
		"garbage":             {p2ptest.RawFrame([]byte{0xff, 0xff, 0xff}), false},
		"wrong wire type":     {p2ptest.RawFrame([]byte{0x12, 0x01}), false},
		"nameplate 0":         {p2ptest.RawFrame(hello(0).Marshal()), false},
		"short point":         {p2ptest.RawFrame(wire.PairHello{Nameplate: 7, SID: make([]byte, 16), Point: []byte{1}}.Marshal()), false},
		"truncated":           {[]byte{0x20, 0x08}, false},
		"empty":               {nil, false},
		"identity point":      {p2ptest.RawFrame(hello(7).Marshal()), true},
		"hello then garbage":  {append(p2ptest.RawFrame(valid.Marshal()), 0x05, 0xff), true},
		"hello then silence":  {p2ptest.RawFrame(valid.Marshal()), true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := p2ptest.MockPair(t)
			typer, waiter, o := setup(t, a, b, Config{})
			waiter.Wait(code7)
			p2ptest.SendRaw(t, a, b.ID(), ID, c.data)
			if !c.spent {
				if _, err := typer.Pair(p2ptest.Context(t, 10*time.Second), b.ID(), code7); err != nil {
					t.Fatalf("right code after hostile bytes: %v", err)
				}
				if err := o.waitEnd(t); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err := o.waitEnd(t); !errors.Is(err, ErrInterrupted) {
				t.Fatalf("%v, want ErrInterrupted", err)
			}
			if o.n() != 0 {
				t.Fatal("accepted")
			}
		})
	}
}

// validPoint is some initiator's real PAKE message.
func validPoint(t *testing.T) []byte {
	t.Helper()
	s, err := pake.Start(pake.Initiator, code7.Password(), []byte("any"), make([]byte, wire.PairSIDLen), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s.Message()
}

func TestRefusedByAccept(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	typer, waiter, o := setup(t, a, b, Config{Accept: func(peer.ID, string) error { return errors.New("store full") }})
	waiter.Wait(code7)
	if _, err := typer.Pair(p2ptest.Context(t, 10*time.Second), b.ID(), code7); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("typing side: %v, want ErrInterrupted", err)
	}
	if err := o.waitEnd(t); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("waiting side: %v", err)
	}
}

func TestCloseWaits(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	typer, waiter, _ := setup(t, a, b, Config{})
	waiter.Wait(code7)
	if _, err := typer.Pair(p2ptest.Context(t, 10*time.Second), b.ID(), code7); err != nil {
		t.Fatal(err)
	}
	typer.Close()
	waiter.Close()
	if err := waiter.Wait(code7); !errors.Is(err, ErrClosed) {
		t.Fatalf("Wait after Close: %v", err)
	}
	a.Close()
	b.Close()
	p2ptest.WaitGoroutines(t, base)
}
