package profile

import (
	"bytes"
	"errors"
	"runtime"
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
	got    []wire.Profile
	refuse bool
}

func (r *recorder) on(_ peer.ID, p wire.Profile) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, p)
	return !r.refuse
}

func (r *recorder) n() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func TestSendLargestAvatar(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{}
	sender := New(a, Config{})
	receiver := New(b, Config{OnProfile: rec.on})
	defer sender.Close()
	defer receiver.Close()
	want := wire.Profile{Name: strings.Repeat("n", wire.MaxNameLen), AvatarType: "image/jpeg", Avatar: bytes.Repeat([]byte{7}, wire.MaxAvatar)}
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), want); err != nil {
		t.Fatal(err)
	}
	if rec.n() != 1 || rec.got[0].Name != want.Name || !bytes.Equal(rec.got[0].Avatar, want.Avatar) {
		t.Fatalf("got %d profiles", rec.n())
	}
}

func TestSendRefusesOversized(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{}
	sender := New(a, Config{})
	receiver := New(b, Config{OnProfile: rec.on})
	defer sender.Close()
	defer receiver.Close()
	err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), wire.Profile{Name: "a", AvatarType: "image/png", Avatar: make([]byte, wire.MaxAvatar+1)})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err %v, want ErrInvalid", err)
	}
	if rec.n() != 0 {
		t.Fatal("oversized profile delivered")
	}
}

func TestRefusedAndNotAllowed(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &recorder{refuse: true}
	sender := New(a, Config{})
	receiver := New(b, Config{OnProfile: rec.on, Allow: func(p peer.ID) bool { return p != a.ID() }})
	defer sender.Close()
	defer receiver.Close()
	ctx := p2ptest.Context(t, 10*time.Second)
	if err := sender.Send(ctx, b.ID(), wire.Profile{Name: "a"}); err == nil {
		t.Fatal("send to a peer that does not allow us succeeded")
	}
	if rec.n() != 0 {
		t.Fatal("OnProfile called for a peer that is not allowed")
	}
	receiver.Close()
	receiver = New(b, Config{OnProfile: rec.on})
	defer receiver.Close()
	if err := sender.Send(ctx, b.ID(), wire.Profile{Name: "a"}); err == nil {
		t.Fatal("a refused profile reported as taken")
	}
	if rec.n() != 1 {
		t.Fatal("OnProfile not consulted")
	}
}

func TestHostileFrames(t *testing.T) {
	cases := map[string][]byte{
		"oversized announced": {0xff, 0xff, 0x7f},
		"oversized frame":     p2ptest.RawFrame(bytes.Repeat([]byte{0}, MaxFrame+1)),
		"garbage":             p2ptest.RawFrame([]byte{0xff, 0xff, 0xff, 0x01}),
		"no name":             p2ptest.RawFrame(wire.Profile{AvatarType: "image/png", Avatar: []byte{1}}.Marshal()),
		"avatar over limit":   p2ptest.RawFrame(wire.Profile{Name: "a", AvatarType: "image/png", Avatar: make([]byte, wire.MaxAvatar+1)}.Marshal()),
		"bad utf8 name":       p2ptest.RawFrame([]byte{0x0a, 0x02, 0xc3, 0x28}),
		"truncated":           {0x05, 0x0a},
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			a, b := p2ptest.MockPair(t)
			rec := &recorder{}
			sender := New(a, Config{})
			receiver := New(b, Config{OnProfile: rec.on})
			defer sender.Close()
			defer receiver.Close()
			p2ptest.SendRaw(t, a, b.ID(), ID, data)
			if rec.n() != 0 {
				t.Fatalf("OnProfile called with %d profiles", rec.n())
			}
			if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), wire.Profile{Name: "ok"}); err != nil {
				t.Fatalf("good profile after a hostile frame: %v", err)
			}
		})
	}
}

func TestRealHosts(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	rec := &recorder{}
	sa := New(a, Config{})
	sb := New(b, Config{OnProfile: rec.on})
	if err := sa.Send(p2ptest.Context(t, 10*time.Second), b.ID(), wire.Profile{Name: "Ann", AvatarType: "image/png", Avatar: make([]byte, 40000)}); err != nil {
		t.Fatal(err)
	}
	if rec.n() != 1 {
		t.Fatal("not delivered")
	}
	sa.Close()
	sb.Close()
	a.Close()
	b.Close()
	p2ptest.WaitGoroutines(t, base)
}
