package compliance

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

type recorder struct {
	mu  sync.Mutex
	got []wire.ComplianceNotice
}

func (r *recorder) on(_ peer.ID, n wire.ComplianceNotice) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, n)
}

func (r *recorder) all() []wire.ComplianceNotice {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]wire.ComplianceNotice(nil), r.got...)
}

func TestSendAndRefuse(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{}
	var allowed atomic.Bool
	allowed.Store(true)
	sender := New(a, Config{})
	receiver := New(b, Config{OnNotice: rec.on, Allow: func(peer.ID) bool { return allowed.Load() }})
	t.Cleanup(func() { sender.Close(); receiver.Close() })

	want := wire.ComplianceNotice{Archived: 1, SetAt: 1234}
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), want); err != nil {
		t.Fatal(err)
	}
	if got := rec.all(); len(got) != 1 || got[0] != want {
		t.Fatalf("received %+v, want [%+v]", got, want)
	}
	// An invalid notice is refused by the sender itself.
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), wire.ComplianceNotice{Archived: 7}); err == nil {
		t.Error("invalid notice sent")
	}
	// Hostile bytes reset the stream and reach nobody.
	p2ptest.SendRaw(t, a, b.ID(), ID, p2ptest.RawFrame([]byte{0x08, 0x05}))
	p2ptest.SendRaw(t, a, b.ID(), ID, p2ptest.RawFrame(make([]byte, wire.MaxComplianceFrame+1)))
	// Someone not allowed is refused.
	allowed.Store(false)
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), want); err == nil {
		t.Error("notice from a peer that is not allowed was taken")
	}
	if got := rec.all(); len(got) != 1 {
		t.Errorf("receiver got %d notices, want 1", len(got))
	}
}
