package carry

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

func env(id string) wire.Envelope {
	return wire.Envelope{Version: 1, Recipient: "12D3KooWRecipient", ID: id, Expires: 1700000000000,
		Ephemeral: make([]byte, wire.SealKeySize), Box: []byte("box of " + id)}
}

func envs(n int) []wire.Envelope {
	out := make([]wire.Envelope, n)
	for i := range out {
		out[i] = env(fmt.Sprintf("e%03d", i))
	}
	return out
}

// keeper records what it settles and answers with verdict(i).
type keeper struct {
	mu      sync.Mutex
	got     []string
	from    []peer.ID
	failAt  string // fail (settling nothing more) at this ID
	verdict func(e wire.Envelope) Verdict
}

func (k *keeper) settle(from peer.ID, es []wire.Envelope) ([]Verdict, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []Verdict
	for _, e := range es {
		if e.ID == k.failAt {
			return out, errors.New("disk full")
		}
		k.got = append(k.got, e.ID)
		k.from = append(k.from, from)
		v := Verdict{Status: wire.CarryOK}
		if k.verdict != nil {
			v = k.verdict(e)
		}
		out = append(out, v)
	}
	return out, nil
}

func (k *keeper) ids() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.got...)
}

func TestDepositAndHandover(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	dep, hand := &keeper{}, &keeper{}
	dep.verdict = func(e wire.Envelope) Verdict {
		if e.ID == "e001" {
			return Verdict{Status: wire.CarryFull, Reason: "quota ☃"}
		}
		return Verdict{Status: wire.CarryOK}
	}
	sa := New(a, Config{})
	sb := New(b, Config{Deposit: dep.settle, Handover: hand.settle})
	t.Cleanup(func() { sa.Close(); sb.Close() })

	ctx := p2ptest.Context(t, 10*time.Second)
	replies, err := sa.Deposit(ctx, b.ID(), envs(3))
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != 3 || replies[0].Status != wire.CarryOK || replies[1].Status != wire.CarryFull ||
		replies[1].Reason != "quota ☃" || replies[2].ID != "e002" {
		t.Fatalf("replies %+v", replies)
	}
	if got := dep.ids(); len(got) != 3 || dep.from[0] != a.ID() {
		t.Fatalf("deposited %v from %v", got, dep.from)
	}
	// More than a window, as hand-overs.
	replies, err = sa.Handover(ctx, b.ID(), envs(150))
	if err != nil || len(replies) != 150 {
		t.Fatalf("handover: %d replies, %v", len(replies), err)
	}
	if got := hand.ids(); len(got) != 150 || got[149] != "e149" {
		t.Fatalf("handed over %d, last %v", len(got), got[len(got)-1])
	}
	if len(dep.ids()) != 3 {
		t.Fatal("a hand-over reached Deposit")
	}
}

func TestSettleFailureAnswersPrefix(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	k := &keeper{failAt: "e005"}
	sa, sb := New(a, Config{}), New(b, Config{Deposit: k.settle})
	t.Cleanup(func() { sa.Close(); sb.Close() })
	replies, err := sa.Deposit(p2ptest.Context(t, 10*time.Second), b.ID(), envs(10))
	if err == nil {
		t.Fatal("no error when the carrier failed part way")
	}
	if len(replies) != 5 {
		t.Fatalf("%d replies, want the 5 settled", len(replies))
	}
}

func TestNilCallbacksRefuse(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sa, sb := New(a, Config{}), New(b, Config{})
	t.Cleanup(func() { sa.Close(); sb.Close() })
	replies, err := sa.Deposit(p2ptest.Context(t, 10*time.Second), b.ID(), envs(2))
	if err != nil || len(replies) != 2 || replies[0].Status != wire.CarryOff {
		t.Fatalf("replies %+v, %v", replies, err)
	}
}

func TestAllowRefuses(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	k := &keeper{}
	sa := New(a, Config{})
	sb := New(b, Config{Allow: func(peer.ID) bool { return false }, Deposit: k.settle})
	t.Cleanup(func() { sa.Close(); sb.Close() })
	replies, err := sa.Deposit(p2ptest.Context(t, 10*time.Second), b.ID(), envs(1))
	if err == nil || len(replies) != 0 || len(k.ids()) != 0 {
		t.Fatalf("stranger's deposit: %+v, %v, stored %v", replies, err, k.ids())
	}
}

func TestInvalidEnvelopeNotSent(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sa := New(a, Config{})
	t.Cleanup(func() { sa.Close() })
	bad := env("x")
	bad.Box = nil
	if _, err := sa.Deposit(p2ptest.Context(t, 10*time.Second), b.ID(), []wire.Envelope{bad}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

func TestHostileFramesReset(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	k := &keeper{}
	sb := New(b, Config{Deposit: k.settle})
	t.Cleanup(func() { sb.Close() })
	big := env("big")
	big.Box = make([]byte, wire.MaxEnvelopeBox+1)
	for name, data := range map[string][]byte{
		"garbage":      p2ptest.RawFrame([]byte{0xff, 0xff, 0xff}),
		"empty":        p2ptest.RawFrame(nil),
		"both":         p2ptest.RawFrame(wire.CarryRequest{Deposit: &big, Handover: &big}.Marshal()),
		"oversized":    p2ptest.RawFrame(wire.CarryRequest{Deposit: &big}.Marshal()),
		"huge length":  {0xff, 0xff, 0xff, 0xff, 0x0f},
		"invalid env":  p2ptest.RawFrame(wire.CarryRequest{Deposit: &wire.Envelope{ID: "x"}}.Marshal()),
		"cut in frame": p2ptest.RawFrame(wire.CarryRequest{Deposit: &big}.Marshal())[:100],
	} {
		t.Run(name, func(t *testing.T) { p2ptest.SendRaw(t, a, b.ID(), ID, data) })
	}
	if len(k.ids()) != 0 {
		t.Fatalf("hostile frames reached Deposit: %v", k.ids())
	}
}

func TestIdleStreamReset(t *testing.T) {
	a, b := p2ptest.RealPair(t)
	sb := New(b, Config{IdleTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { sb.Close() })
	p2ptest.ExpectIdleReset(t, a, b.ID(), ID)
}

func TestClosed(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sa := New(a, Config{})
	sa.Close()
	if _, err := sa.Deposit(p2ptest.Context(t, 10*time.Second), b.ID(), envs(1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v, want ErrClosed", err)
	}
}
