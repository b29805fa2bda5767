package chat

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

// inbox is an in-memory Deliver that can be told to fail or block.
type inbox struct {
	mu     sync.Mutex
	got    []wire.ChatMessage
	from   []peer.ID
	failID string        // Deliver fails for this ID
	block  chan struct{} // when set, Deliver waits for it to close
}

func (b *inbox) deliver(from peer.ID, m wire.ChatMessage) error {
	b.mu.Lock()
	block := b.block
	b.mu.Unlock()
	if block != nil {
		<-block
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if m.ID == b.failID {
		return errors.New("disk full")
	}
	b.got = append(b.got, m)
	b.from = append(b.from, from)
	return nil
}

func (b *inbox) ids() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := make([]string, len(b.got))
	for i, m := range b.got {
		ids[i] = m.ID
	}
	return ids
}

func msgs(ids ...string) []wire.ChatMessage {
	out := make([]wire.ChatMessage, len(ids))
	for i, id := range ids {
		out[i] = wire.ChatMessage{ID: id, Body: "body of " + id, SentAt: int64(1700000000000 + i)}
	}
	return out
}

func ctxT(t testing.TB) context.Context { return p2ptest.Context(t, 10*time.Second) }

// setup starts a sender service on a and a receiver on b.
func setup(t testing.TB, a, b host.Host, rcfg Config) (*Service, *Service, *inbox) {
	in := &inbox{}
	if rcfg.Deliver == nil {
		rcfg.Deliver = in.deliver
	}
	sender := New(a, Config{Deliver: func(peer.ID, wire.ChatMessage) error { return nil }})
	receiver := New(b, rcfg)
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	return sender, receiver, in
}

func TestSendDelivers(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, in := setup(t, a, b, Config{})
	acked, err := sender.Send(ctxT(t), b.ID(), msgs("1", "2", "3"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(acked, []string{"1", "2", "3"}) {
		t.Fatalf("acked %q", acked)
	}
	if got := in.ids(); !slices.Equal(got, acked) {
		t.Fatalf("delivered %q", got)
	}
	if in.got[1] != msgs("1", "2")[1] || in.from[0] != a.ID() {
		t.Fatalf("delivered %#v from %s", in.got[1], in.from[0])
	}
}

func TestSendReusesStream(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, in := setup(t, a, b, Config{})
	ctx := ctxT(t)
	if _, err := sender.Send(ctx, b.ID(), msgs("1")); err != nil {
		t.Fatal(err)
	}
	first := sender.out[b.ID()].st
	for i := 2; i <= 5; i++ {
		if _, err := sender.Send(ctx, b.ID(), msgs(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if sender.out[b.ID()].st != first {
		t.Fatal("Send opened a new stream instead of reusing the first")
	}
	if n := len(in.ids()); n != 5 {
		t.Fatalf("%d delivered", n)
	}
}

func TestSendEmpty(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, _ := setup(t, a, b, Config{})
	if acked, err := sender.Send(ctxT(t), b.ID(), nil); err != nil || len(acked) != 0 {
		t.Fatalf("%q %v", acked, err)
	}
}

func TestAllowFalse(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	var asked []peer.ID
	var mu sync.Mutex
	sender, _, in := setup(t, a, b, Config{Allow: func(p peer.ID) bool {
		mu.Lock()
		asked = append(asked, p)
		mu.Unlock()
		return false
	}})
	acked, err := sender.Send(ctxT(t), b.ID(), msgs("1", "2"))
	if err == nil {
		t.Fatal("Send to a peer that does not allow us succeeded")
	}
	if len(acked) != 0 || len(in.ids()) != 0 {
		t.Fatalf("acked %q, delivered %q", acked, in.ids())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) == 0 || asked[0] != a.ID() {
		t.Fatalf("Allow asked about %v, want sender", asked)
	}
}

func TestDeliverErrorNotAcked(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, in := setup(t, a, b, Config{})
	in.failID = "2"
	ctx := ctxT(t)
	acked, err := sender.Send(ctx, b.ID(), msgs("1", "2", "3"))
	if err == nil {
		t.Fatal("no error when the receiver could not store")
	}
	if !slices.Equal(acked, []string{"1"}) {
		t.Fatalf("acked %q, want only 1", acked)
	}
	if got := in.ids(); !slices.Equal(got, []string{"1"}) {
		t.Fatalf("delivered %q: the receiver went on after a failed Deliver", got)
	}
	// Once storage works again, the rest goes through on a new stream.
	in.mu.Lock()
	in.failID = ""
	in.mu.Unlock()
	acked, err = sender.Send(ctx, b.ID(), msgs("2", "3"))
	if err != nil || !slices.Equal(acked, []string{"2", "3"}) {
		t.Fatalf("after recovery: %q %v", acked, err)
	}
}

func TestSendRefusesTooLarge(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, in := setup(t, a, b, Config{})
	big := wire.ChatMessage{ID: "big", Body: strings.Repeat("x", wire.MaxChatBody+1)}
	acked, err := sender.Send(ctxT(t), b.ID(), []wire.ChatMessage{msgs("1")[0], big})
	if !errors.Is(err, ErrTooLarge) || len(acked) != 0 {
		t.Fatalf("acked %q, err %v; want ErrTooLarge and nothing sent", acked, err)
	}
	if _, err := sender.Send(ctxT(t), b.ID(), []wire.ChatMessage{{Body: "no id"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err %v, want ErrInvalid", err)
	}
	max := wire.ChatMessage{ID: "max", Body: strings.Repeat("x", wire.MaxChatBody)}
	if _, err := sender.Send(ctxT(t), b.ID(), []wire.ChatMessage{max}); err != nil {
		t.Fatalf("largest allowed body: %v", err)
	}
	if got := in.ids(); !slices.Equal(got, []string{"max"}) {
		t.Fatalf("delivered %q", got)
	}
}

// expectReset writes bytes on a fresh raw chat stream and checks that the
// receiver resets it rather than answering or closing cleanly.
func expectReset(t *testing.T, a, b host.Host, data []byte) {
	t.Helper()
	st, err := a.NewStream(ctxT(t), b.ID(), ID)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Reset()
	st.Write(data)
	p2ptest.ReadReset(t, st)
}

func TestHostileFrames(t *testing.T) {
	cases := map[string][]byte{
		"oversized announced": {0x80, 0x80, 0x40}, // 1 MiB
		"oversized frame within message limit": p2ptest.RawFrame(wire.ChatMessage{ID: "x",
			Body: strings.Repeat("y", DefaultMaxFrame)}.Marshal()),
		"garbage":          p2ptest.RawFrame([]byte{0xff, 0xff, 0xff, 0x01, 0x02}),
		"wrong wire type":  p2ptest.RawFrame([]byte{0x08, 0x01}),
		"bad utf8":         p2ptest.RawFrame([]byte{0x0a, 0x01, 0x61, 0x12, 0x01, 0xff}),
		"no id":            p2ptest.RawFrame(wire.ChatMessage{Body: "anonymous"}.Marshal()),
		"body over limit":  p2ptest.RawFrame(wire.ChatMessage{ID: "x", Body: strings.Repeat("y", wire.MaxChatBody+1)}.Marshal()),
		"overflow varint":  []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"truncated frame":  []byte{0x10, 0x0a},
		"good then broken": append(p2ptest.RawFrame(wire.ChatMessage{ID: "ok"}.Marshal()), 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := p2ptest.MockPair(t)
			sender, _, in := setup(t, a, b, Config{})
			if name == "truncated frame" {
				// A truncated frame followed by end of stream.
				st, err := a.NewStream(ctxT(t), b.ID(), ID)
				if err != nil {
					t.Fatal(err)
				}
				st.Write(data)
				st.CloseWrite()
				p2ptest.ReadReset(t, st)
			} else {
				expectReset(t, a, b, data)
			}
			if got := in.ids(); len(got) > 0 && !(name == "good then broken" && slices.Equal(got, []string{"ok"})) {
				t.Fatalf("delivered %q from a hostile stream", got)
			}
			// The service still works.
			acked, err := sender.Send(ctxT(t), b.ID(), msgs("after"))
			if err != nil || !slices.Equal(acked, []string{"after"}) {
				t.Fatalf("good send after hostile frame: %q %v", acked, err)
			}
		})
	}
}

func TestSendContextCancel(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, receiver, in := setup(t, a, b, Config{})
	in.block = make(chan struct{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	acked, err := sender.Send(ctx, b.ID(), msgs("1"))
	if !errors.Is(err, context.DeadlineExceeded) || len(acked) != 0 {
		t.Fatalf("acked %q err %v, want deadline exceeded", acked, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Send took %v after its context ended", d)
	}
	close(in.block)
	// Close must not hang on the handler that was stuck in Deliver.
	done := make(chan struct{})
	go func() { receiver.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("receiver Close hung")
	}
}

func TestConcurrentSends(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, in := setup(t, a, b, Config{})
	ctx := ctxT(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				id := fmt.Sprintf("g%d-%d", g, i)
				if _, err := sender.Send(ctx, b.ID(), msgs(id)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := len(in.ids()); n != 100 {
		t.Fatalf("%d delivered, want 100", n)
	}
}

func TestSendAfterClose(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, _, _ := setup(t, a, b, Config{})
	sender.Close()
	if _, err := sender.Send(ctxT(t), b.ID(), msgs("1")); !errors.Is(err, ErrClosed) {
		t.Fatalf("err %v, want ErrClosed", err)
	}
	sender.Close() // twice is fine
}

// TestRealHosts sends over real libp2p hosts on loopback, including more
// messages than one window, and checks order and goroutine hygiene.
func TestRealHosts(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	in := &inbox{}
	sender := New(a, Config{})
	receiver := New(b, Config{Deliver: in.deliver})
	ctx := ctxT(t)
	var want []string
	for batch := range 4 {
		var ms []wire.ChatMessage
		for i := range 300 {
			ms = append(ms, wire.ChatMessage{ID: fmt.Sprintf("%d-%d", batch, i), Body: strings.Repeat("z", i*50)})
			want = append(want, ms[i].ID)
		}
		acked, err := sender.Send(ctx, b.ID(), ms)
		if err != nil || len(acked) != len(ms) {
			t.Fatalf("batch %d: %d acked, %v", batch, len(acked), err)
		}
	}
	if got := in.ids(); !slices.Equal(got, want) {
		t.Fatalf("delivered %d messages out of order or missing", len(got))
	}
	sender.Close()
	receiver.Close()
	a.Close()
	b.Close()
	p2ptest.WaitGoroutines(t, base)
}

// TestIdleStream checks that a silent peer's stream is reset after the idle
// timeout, and that a sender whose cached stream was dropped that way
// reconnects by itself.
func TestIdleStream(t *testing.T) {
	a, b := p2ptest.RealPair(t)
	defer a.Close()
	defer b.Close()
	sender, _, in := setup(t, a, b, Config{IdleTimeout: 200 * time.Millisecond})
	ctx := ctxT(t)
	if _, err := sender.Send(ctx, b.ID(), msgs("1")); err != nil {
		t.Fatal(err)
	}

	st, err := a.NewStream(ctx, b.ID(), ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = bufio.NewReader(st).ReadByte()
	if err == nil || errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Fatalf("silent stream: %v after %v, want reset after ~200ms", err, time.Since(start))
	}

	// By now the receiver has dropped the sender's cached stream too.
	time.Sleep(300 * time.Millisecond)
	acked, err := sender.Send(ctx, b.ID(), msgs("2", "3"))
	if err != nil || !slices.Equal(acked, []string{"2", "3"}) {
		t.Fatalf("send after idle drop: %q %v", acked, err)
	}
	if got := in.ids(); !slices.Equal(got, []string{"1", "2", "3"}) {
		t.Fatalf("delivered %q", got)
	}
}

// batchInbox stores whole batches, as the SQLite store does in one
// transaction, and can fail a batch that holds a given ID.
type batchInbox struct {
	inbox
	batches int
}

func (b *batchInbox) deliverBatch(from peer.ID, ms []wire.ChatMessage) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range ms {
		if m.ID == b.failID {
			return errors.New("disk full")
		}
	}
	b.batches++
	b.got = append(b.got, ms...)
	return nil
}

func TestDeliverBatchGroupsAPipelinedBurst(t *testing.T) {
	a, b := p2ptest.RealPair(t)
	in := &batchInbox{}
	sender, _, _ := setup(t, a, b, Config{DeliverBatch: in.deliverBatch})
	var ids []string
	for i := 0; i < 1000; i++ {
		ids = append(ids, fmt.Sprint(i))
	}
	ctx := ctxT(t)
	var acked []string
	for i := 0; i < len(ids); i += window {
		got, err := sender.Send(ctx, b.ID(), msgs(ids[i:min(i+window, len(ids))]...))
		if err != nil {
			t.Fatal(err)
		}
		acked = append(acked, got...)
	}
	if !slices.Equal(acked, ids) || !slices.Equal(in.ids(), ids) {
		t.Fatalf("acked %d, delivered %d, want %d in order", len(acked), len(in.ids()), len(ids))
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.batches >= len(ids) {
		t.Fatalf("%d batches for %d messages: nothing was grouped", in.batches, len(ids))
	}
}

func TestDeliverBatchFailureAcksNothingOfIt(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	in := &batchInbox{}
	in.failID = "2"
	sender, _, _ := setup(t, a, b, Config{DeliverBatch: in.deliverBatch})
	acked, err := sender.Send(ctxT(t), b.ID(), msgs("1", "2", "3"))
	if err == nil {
		t.Fatal("Send succeeded although the batch was not stored")
	}
	for _, id := range acked {
		if !slices.Contains(in.ids(), id) {
			t.Fatalf("%s acked but not stored", id)
		}
	}
	if slices.Contains(acked, "2") || slices.Contains(acked, "3") {
		t.Fatalf("acked %q", acked)
	}
}
