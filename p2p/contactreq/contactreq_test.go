package contactreq

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
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	"golang.org/x/time/rate"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

type recorder struct {
	mu   sync.Mutex
	got  []wire.ContactRequest
	from []peer.ID
}

func (r *recorder) on(from peer.ID, req wire.ContactRequest) wire.ContactReply {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, req)
	r.from = append(r.from, from)
	return wire.ContactReply{Status: wire.StatusPending, Name: "Bob"}
}

func (r *recorder) n() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func ctxT(t testing.TB) context.Context { return p2ptest.Context(t, 10*time.Second) }

func setup(t testing.TB, a, b host.Host, rcfg Config) (*Service, *Service, *recorder) {
	rec := &recorder{}
	if rcfg.OnRequest == nil {
		rcfg.OnRequest = rec.on
	}
	sender := New(a, Config{})
	receiver := New(b, rcfg)
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	return sender, receiver, rec
}

var hello = wire.ContactRequest{Kind: wire.KindRequest, Name: "Ann", Note: "from the club",
	Secret: "s3cret", Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}}

// slow is a per-peer rate that refills nothing during a test.
var slow = rate.Every(time.Hour)

func TestSend(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, rec := setup(t, a, b, Config{})
	reply, err := sender.Send(ctxT(t), b.ID(), hello)
	if err != nil {
		t.Fatal(err)
	}
	if reply != (wire.ContactReply{Status: wire.StatusPending, Name: "Bob"}) {
		t.Fatalf("reply %#v", reply)
	}
	if rec.n() != 1 || rec.from[0] != a.ID() || rec.got[0].Note != hello.Note || len(rec.got[0].Addrs) != 1 {
		t.Fatalf("got %#v from %v", rec.got, rec.from)
	}
}

func TestSendRefusesInvalid(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, rec := setup(t, a, b, Config{})
	for _, r := range []wire.ContactRequest{{}, {Kind: 9}, {Kind: wire.KindRequest, Note: strings.Repeat("n", wire.MaxNoteLen+1)},
		{Kind: wire.KindRequest, Addrs: []string{strings.Repeat("a", MaxFrame)}}} {
		if _, err := sender.Send(ctxT(t), b.ID(), r); !errors.Is(err, ErrInvalid) {
			t.Errorf("kind %d: %v, want ErrInvalid", r.Kind, err)
		}
	}
	if rec.n() != 0 {
		t.Fatal("invalid request delivered")
	}
}

// TestFloodOnePeer: 100 requests from one peer reach OnRequest at most
// burst times; the rest are reset and counted.
func TestFloodOnePeer(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, receiver, rec := setup(t, a, b, Config{PerPeerRate: slow, PerPeerBurst: 3})
	ctx := ctxT(t)
	var ok, noReply int
	for range 100 {
		_, err := sender.Send(ctx, b.ID(), hello)
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrNoReply):
			noReply++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if rec.n() != 3 || ok != 3 || noReply != 97 {
		t.Fatalf("OnRequest %d times, %d replies, %d ErrNoReply; want 3, 3, 97", rec.n(), ok, noReply)
	}
	if d := receiver.Dropped(); d != 97 {
		t.Fatalf("Dropped() = %d, want 97", d)
	}
}

func TestFloodOnePeerConcurrent(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, rec := setup(t, a, b, Config{PerPeerRate: slow, PerPeerBurst: 3})
	ctx := ctxT(t)
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sender.Send(ctx, b.ID(), hello)
		}()
	}
	wg.Wait()
	if rec.n() > 3 {
		t.Fatalf("OnRequest called %d times, burst is 3", rec.n())
	}
}

// manyPeers returns a mocknet of n connected hosts.
func manyPeers(t *testing.T, n int) []host.Host {
	mn, err := mocknet.FullMeshConnected(n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mn.Close() })
	return mn.Hosts()
}

func TestGlobalLimit(t *testing.T) {
	hs := manyPeers(t, 9)
	rec := &recorder{}
	target := New(hs[0], Config{OnRequest: rec.on, GlobalRate: slow, GlobalBurst: 5})
	defer target.Close()
	for _, h := range hs[1:] {
		s := New(h, Config{})
		s.Send(ctxT(t), hs[0].ID(), hello)
		s.Close()
	}
	if rec.n() != 5 || target.Dropped() != 3 {
		t.Fatalf("OnRequest %d times, dropped %d; want 5 and 3", rec.n(), target.Dropped())
	}
}

func TestLimiterMapBounded(t *testing.T) {
	hs := manyPeers(t, 11)
	rec := &recorder{}
	target := New(hs[0], Config{OnRequest: rec.on, MaxTrackedPeers: 4})
	defer target.Close()
	for _, h := range hs[1:] {
		s := New(h, Config{})
		if _, err := s.Send(ctxT(t), hs[0].ID(), hello); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if n := target.lim.tracked(); n > 4 {
			t.Fatalf("%d peers tracked, cap 4", n)
		}
	}
	if rec.n() != 10 {
		t.Fatalf("%d requests reached OnRequest, want 10", rec.n())
	}
}

func TestLimiterEviction(t *testing.T) {
	l := newLimiter(slow, 1, rate.Inf, 1, 1024)
	const busy = peer.ID("busy")
	if !l.allow(busy) || l.allow(busy) {
		t.Fatal("per-peer burst of 1 not enforced")
	}
	for i := range 100_000 {
		l.allow(peer.ID(fmt.Sprint("flood-", i)))
		if i%1000 == 0 {
			l.allow(busy) // seen recently: must keep its empty bucket
		}
		if n := l.tracked(); n > 1024 {
			t.Fatalf("%d peers tracked, cap 1024", n)
		}
	}
	if l.allow(busy) {
		t.Fatal("a recently seen peer's bucket was evicted and refilled")
	}
	if l.allow("flood-0") != true {
		t.Fatal("the oldest peer was not evicted")
	}
}

func TestHostileFrames(t *testing.T) {
	cases := map[string][]byte{
		"oversized announced": {0x80, 0x80, 0x80, 0x01},
		"oversized frame":     p2ptest.RawFrame(wire.ContactRequest{Kind: wire.KindRequest, Addrs: []string{strings.Repeat("a", MaxFrame)}}.Marshal()),
		"garbage":             p2ptest.RawFrame([]byte{0xff, 0xff, 0xff, 0x01}),
		"wrong wire type":     p2ptest.RawFrame([]byte{0x0a, 0x01, 0x01}),
		"bad utf8":            p2ptest.RawFrame([]byte{0x08, 0x01, 0x12, 0x01, 0xff}),
		"kind zero":           p2ptest.RawFrame(wire.ContactRequest{Name: "x"}.Marshal()),
		"unknown kind":        p2ptest.RawFrame(wire.ContactRequest{Kind: 77}.Marshal()),
		"note over limit":     p2ptest.RawFrame(wire.ContactRequest{Kind: wire.KindRequest, Note: strings.Repeat("n", wire.MaxNoteLen+1)}.Marshal()),
		"truncated":           {0x05, 0x08},
		"empty stream":        {},
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := p2ptest.MockPair(t)
			sender, _, rec := setup(t, a, b, Config{})
			p2ptest.SendRaw(t, a, b.ID(), ID, data)
			if rec.n() != 0 {
				t.Fatalf("OnRequest called with %#v", rec.got)
			}
			if _, err := sender.Send(ctxT(t), b.ID(), hello); err != nil {
				t.Fatalf("good request after hostile frame: %v", err)
			}
			if rec.n() != 1 {
				t.Fatal("good request not delivered")
			}
		})
	}
}

func TestNilOnRequest(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender := New(a, Config{})
	defer sender.Close()
	receiver := New(b, Config{})
	defer receiver.Close()
	if _, err := sender.Send(ctxT(t), b.ID(), hello); !errors.Is(err, ErrNoReply) {
		t.Fatalf("err %v, want ErrNoReply", err)
	}
}

func TestSendAfterClose(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, _ := setup(t, a, b, Config{})
	sender.Close()
	if _, err := sender.Send(ctxT(t), b.ID(), hello); err == nil {
		t.Fatal("Send after Close succeeded")
	}
}

func TestRealHosts(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	recA, recB := &recorder{}, &recorder{}
	sa := New(a, Config{OnRequest: recA.on})
	sb := New(b, Config{OnRequest: func(from peer.ID, r wire.ContactRequest) wire.ContactReply {
		recB.on(from, r)
		if r.Secret == "s3cret" {
			return wire.ContactReply{Status: wire.StatusAccepted, Name: "Bob"}
		}
		return wire.ContactReply{Status: wire.StatusRefused}
	}, PerPeerBurst: 2, PerPeerRate: slow})
	ctx := ctxT(t)
	reply, err := sa.Send(ctx, b.ID(), hello)
	if err != nil || reply.Status != wire.StatusAccepted || reply.Name != "Bob" {
		t.Fatalf("reply %#v, %v", reply, err)
	}
	reply, err = sa.Send(ctx, b.ID(), wire.ContactRequest{Kind: wire.KindRequest})
	if err != nil || reply.Status != wire.StatusRefused {
		t.Fatalf("reply %#v, %v", reply, err)
	}
	if _, err := sa.Send(ctx, b.ID(), hello); !errors.Is(err, ErrNoReply) {
		t.Fatalf("third request: %v, want ErrNoReply (burst 2)", err)
	}
	if _, err := sb.Send(ctx, a.ID(), wire.ContactRequest{Kind: wire.KindAccept, Name: "Bob"}); err != nil {
		t.Fatal(err)
	}
	if recA.n() != 1 || recB.n() != 2 {
		t.Fatalf("a got %d, b got %d", recA.n(), recB.n())
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

// TestTrustedBypassesLimits: a trusted peer's requests are not limited and
// do not use up the global bucket strangers share.
func TestTrustedBypassesLimits(t *testing.T) {
	hs := manyPeers(t, 3)
	friend, stranger := hs[1], hs[2]
	rec := &recorder{}
	target := New(hs[0], Config{OnRequest: rec.on, PerPeerRate: slow, PerPeerBurst: 1, GlobalRate: slow, GlobalBurst: 1,
		Trusted: func(p peer.ID) bool { return p == friend.ID() }})
	defer target.Close()
	fs, ss := New(friend, Config{}), New(stranger, Config{})
	defer fs.Close()
	defer ss.Close()
	for i := range 5 {
		if _, err := fs.Send(ctxT(t), hs[0].ID(), hello); err != nil {
			t.Fatalf("trusted request %d: %v", i, err)
		}
	}
	if _, err := ss.Send(ctxT(t), hs[0].ID(), hello); err != nil {
		t.Fatalf("the stranger's first request was refused: %v", err)
	}
	if _, err := ss.Send(ctxT(t), hs[0].ID(), hello); !errors.Is(err, ErrNoReply) {
		t.Fatalf("the stranger's second request: %v, want ErrNoReply", err)
	}
	if rec.n() != 6 || target.Tracked() != 1 {
		t.Fatalf("OnRequest %d times, %d tracked; want 6 and 1", rec.n(), target.Tracked())
	}
}
