package convo

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

type recorder struct {
	mu     sync.Mutex
	got    []wire.ChatUpdate
	refuse bool
}

func (r *recorder) on(_ peer.ID, u wire.ChatUpdate) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse {
		return false
	}
	r.got = append(r.got, u)
	return true
}

func (r *recorder) updates() []wire.ChatUpdate {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]wire.ChatUpdate(nil), r.got...)
}

func TestSendEveryKind(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{}
	sender, receiver := New(a, Config{}), New(b, Config{OnUpdate: rec.on})
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	want := []wire.ChatUpdate{
		{Kind: wire.UpdateTyping},
		{Kind: wire.UpdateRead, Target: "m1"},
		{Kind: wire.UpdateEdit, Target: "m1", Body: "fixed typo", At: 1700000000000},
		{Kind: wire.UpdateDelete, Target: "m1", At: 1700000000001},
	}
	for _, u := range want {
		if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), u); err != nil {
			t.Fatalf("%+v: %v", u, err)
		}
	}
	// Send returns after OnUpdate accepted: no waiting.
	got := rec.updates()
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("update %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestRefusedIsAnError(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{refuse: true}
	sender, receiver := New(a, Config{}), New(b, Config{OnUpdate: rec.on})
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), wire.ChatUpdate{Kind: wire.UpdateRead, Target: "m1"})
	if err == nil {
		t.Fatal("a refused update reported success: the sender would forget it")
	}
}

func TestNotAllowed(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{}
	sender := New(a, Config{})
	receiver := New(b, Config{OnUpdate: rec.on, Allow: func(peer.ID) bool { return false }})
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), wire.ChatUpdate{Kind: wire.UpdateTyping}); err == nil {
		t.Fatal("a stranger's update was accepted")
	}
	if len(rec.updates()) != 0 {
		t.Fatal("a stranger's update reached OnUpdate")
	}
}

func TestSendRefusesInvalid(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender := New(a, Config{})
	t.Cleanup(func() { sender.Close() })
	for _, u := range []wire.ChatUpdate{
		{},
		{Kind: wire.UpdateEdit, Target: "m1", At: 1},
		{Kind: wire.UpdateEdit, Target: "m1", At: 1, Body: strings.Repeat("x", wire.MaxChatBody+1)},
	} {
		if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), u); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", u.Kind, err)
		}
	}
}

// Hostile frames get a reset and never reach OnUpdate.
func TestHostileFrames(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{}
	receiver := New(b, Config{OnUpdate: rec.on})
	t.Cleanup(func() { receiver.Close() })
	for name, data := range map[string][]byte{
		"not protobuf":     p2ptest.RawFrame([]byte{0xff, 0xff}),
		"no kind":          p2ptest.RawFrame(wire.ChatUpdate{Target: "m1"}.Marshal()),
		"edit without at":  p2ptest.RawFrame(wire.ChatUpdate{Kind: wire.UpdateEdit, Target: "m", Body: "x"}.Marshal()),
		"frame over limit": p2ptest.RawFrame(make([]byte, MaxFrame+1)),
		"truncated":        {0x10, 0x08},
	} {
		t.Run(name, func(t *testing.T) { p2ptest.SendRaw(t, a, b.ID(), ID, data) })
	}
	if len(rec.updates()) != 0 {
		t.Fatalf("hostile frames delivered: %+v", rec.updates())
	}
}

func TestIdleStreamReset(t *testing.T) {
	a, b := p2ptest.RealPair(t)
	receiver := New(b, Config{OnUpdate: (&recorder{}).on, Timeout: 200 * time.Millisecond})
	t.Cleanup(func() { receiver.Close() })
	p2ptest.ExpectIdleReset(t, a, b.ID(), ID)
}

func TestCloseStopsSend(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender := New(a, Config{})
	receiver := New(b, Config{OnUpdate: (&recorder{}).on})
	t.Cleanup(func() { receiver.Close() })
	sender.Close()
	err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), wire.ChatUpdate{Kind: wire.UpdateTyping})
	if err == nil {
		t.Fatal("Send after Close succeeded")
	}
}
