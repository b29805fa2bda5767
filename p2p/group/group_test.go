package group

import (
	"bytes"
	"crypto/rand"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

func newKey(t testing.TB) (crypto.PrivKey, string) {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(k)
	return k, id.String()
}

func sampleState(creator string) wire.GroupState {
	nonce := bytes.Repeat([]byte{7}, wire.GroupNonceLen)
	return wire.GroupState{
		ID: StateID(creator, nonce), Name: "Family", Creator: creator, Nonce: nonce, Version: 1,
		Members: []wire.GroupMember{{PeerID: creator, Name: "Ann"}, {PeerID: "12D3KooWBob", Name: "Bob"}},
	}
}

func TestSignVerify(t *testing.T) {
	key, me := newKey(t)
	other, otherID := newKey(t)
	st := sampleState(me)
	state, sig, err := Sign(key, st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Verify(state, sig)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != st.ID || got.Version != 1 || len(got.Members) != 2 {
		t.Fatalf("verified %+v", got)
	}

	// Someone else cannot sign for this group, not even under its ID.
	if _, _, err := Sign(other, st); !errors.Is(err, ErrBadState) {
		t.Fatalf("signing another's group: %v", err)
	}
	forged := st
	forged.Creator = otherID // keeps the ID: no longer derived from the creator
	forged.Members = append(forged.Members, wire.GroupMember{PeerID: otherID})
	fstate := forged.Marshal()
	fsig, _ := other.Sign(append([]byte(signContext), fstate...))
	if _, err := Verify(fstate, fsig); !errors.Is(err, ErrBadState) {
		t.Fatalf("forged creator: %v", err)
	}
	// The real creator's state, signed by another key.
	osig, _ := other.Sign(append([]byte(signContext), state...))
	if _, err := Verify(state, osig); !errors.Is(err, ErrBadState) {
		t.Fatalf("wrong signer: %v", err)
	}
	// A tampered state (one byte of the name changed).
	tampered := bytes.Replace(state, []byte("Family"), []byte("Famjly"), 1)
	if _, err := Verify(tampered, sig); !errors.Is(err, ErrBadState) {
		t.Fatalf("tampered state: %v", err)
	}
	// A signature without the domain prefix does not verify.
	raw, _ := key.Sign(state)
	if _, err := Verify(state, raw); !errors.Is(err, ErrBadState) {
		t.Fatalf("signature without context: %v", err)
	}
	if _, err := Verify(nil, nil); !errors.Is(err, ErrBadState) {
		t.Fatalf("empty: %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	key, me := newKey(f)
	state, sig, err := Sign(key, sampleState(me))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(state, sig)
	f.Add(state[:len(state)/2], sig)
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, state, sig []byte) {
		st, err := Verify(state, sig)
		if err != nil {
			return
		}
		if st.Validate() != nil || StateID(st.Creator, st.Nonce) != st.ID {
			t.Fatalf("verified a state that breaks its rules: %+v", st)
		}
	})
}

// recorder is a Deliver that takes messages whose body is not "refuse"
// and fails whole batches while fail is set.
type recorder struct {
	mu   sync.Mutex
	got  []wire.GroupFrame
	fail bool
}

func (r *recorder) deliver(from peer.ID, fs []wire.GroupFrame) ([]bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return nil, errors.New("disk full")
	}
	taken := make([]bool, len(fs))
	for i, f := range fs {
		taken[i] = f.Body != "refuse"
		if taken[i] {
			r.got = append(r.got, f)
		}
	}
	return taken, nil
}

const gid = "00112233445566778899aabbccddeeff"

func msg(id, body string) wire.GroupFrame {
	return wire.GroupFrame{Kind: wire.GroupKindMessage, ID: id, GroupID: gid, Body: body, SentAt: 1}
}

func TestSendTakenAndRefused(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	rec := &recorder{}
	sa := New(a, Config{})
	sb := New(b, Config{Deliver: rec.deliver})
	ctx := p2ptest.Context(t, 10*time.Second)

	var frames []wire.GroupFrame
	for i := range 600 { // more than two windows
		frames = append(frames, msg(string(rune('a'+i%26))+string(rune('0'+i/26)), "hello"))
	}
	frames[3].Body = "refuse"
	res, err := sa.Send(ctx, b.ID(), frames)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(frames) {
		t.Fatalf("%d results for %d frames", len(res), len(frames))
	}
	for i, r := range res {
		if r.ID != frames[i].ID || r.Refused != (i == 3) {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
	if len(rec.got) != len(frames)-1 {
		t.Fatalf("receiver took %d", len(rec.got))
	}

	// A receiver that cannot store acknowledges nothing.
	rec.mu.Lock()
	rec.fail = true
	rec.mu.Unlock()
	res, err = sa.Send(ctx, b.ID(), frames[:2])
	if err == nil || len(res) != 0 {
		t.Fatalf("failing receiver: %v, %v", res, err)
	}

	// Nothing is sent to a peer the receiver does not allow.
	sb.Close()
	sb = New(b, Config{Allow: func(peer.ID) bool { return false }, Deliver: rec.deliver})
	if res, err := sa.Send(ctx, b.ID(), frames[:1]); err == nil || len(res) != 0 {
		t.Fatalf("refused peer: %v, %v", res, err)
	}
	// Invalid frames are refused before anything goes out.
	if _, err := sa.Send(ctx, b.ID(), []wire.GroupFrame{{Kind: 42, ID: "x"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid frame: %v", err)
	}
	sa.Close()
	sb.Close()
	if _, err := sa.Send(ctx, b.ID(), frames[:1]); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
	a.Close()
	b.Close()
	p2ptest.WaitGoroutines(t, base)
}

func TestHostileFramesReset(t *testing.T) {
	a, b := p2ptest.RealPair(t)
	rec := &recorder{}
	New(b, Config{Deliver: rec.deliver, MaxFrame: 1024, IdleTimeout: 200 * time.Millisecond})
	for name, data := range map[string][]byte{
		"too large":   p2ptest.RawFrame(make([]byte, 2000)),
		"malformed":   p2ptest.RawFrame([]byte{0x0a, 0x05, 'a'}),
		"bad kind":    p2ptest.RawFrame(wire.GroupFrame{Kind: 9, ID: "x"}.Marshal()),
		"no ID":       p2ptest.RawFrame(wire.GroupFrame{Kind: wire.GroupKindMessage, GroupID: gid}.Marshal()),
		"bad group":   p2ptest.RawFrame(wire.GroupFrame{Kind: wire.GroupKindMessage, ID: "x", GroupID: "g"}.Marshal()),
		"broken tail": append(p2ptest.RawFrame(msg("ok", "hi").Marshal()), 0xff),
	} {
		t.Run(name, func(t *testing.T) { p2ptest.SendRaw(t, a, b.ID(), ID, data) })
	}
	p2ptest.ExpectIdleReset(t, a, b.ID(), ID)
}
