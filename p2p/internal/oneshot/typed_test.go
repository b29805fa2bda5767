package oneshot

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

// note is the message of the test protocol: its bytes are its text, which
// may not hold 0xff; Validate wants 1 to 32 bytes.
type note struct{ text string }

var errEmpty = errors.New("empty note")

func (n note) Marshal() []byte { return []byte(n.text) }
func (n note) Validate() error {
	switch {
	case n.text == "":
		return errEmpty
	case len(n.text) > 32:
		return wire.ErrTooLarge
	}
	return nil
}
func (n *note) Unmarshal(b []byte) error {
	if strings.Contains(string(b), "\xff") {
		return wire.ErrMalformed
	}
	n.text = string(b)
	return nil
}

const testID = protocol.ID("/hearth/test-note/1.0.0")

var errBadNote = errors.New("bad note")

func newNotes(h host.Host, errInvalid error, on func(peer.ID, note) bool) *Typed[note, *note] {
	return NewTyped[note](h, Config{
		ID: testID, ServiceName: "hearth.test-note", Noun: "note", MaxFrame: 16, Timeout: 10 * time.Second,
		ErrClosed: errors.New("closed"), ErrUnexpectedReply: errors.New("reply"),
	}, errInvalid, on)
}

// notes records what a receiver took; it refuses "no".
type notes struct {
	mu  sync.Mutex
	got []string
}

func (r *notes) on(_ peer.ID, n note) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n.text == "no" {
		return false
	}
	r.got = append(r.got, n.text)
	return true
}

func (r *notes) taken() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func TestTypedSendAndReceive(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &notes{}
	sender, receiver := newNotes(a, errBadNote, nil), newNotes(b, errBadNote, rec.on)
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), note{"hello"}); err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), note{"no"}); err == nil {
		t.Fatal("a note the handler refused counts as sent")
	}
	// What does not decode, or decodes and fails Validate, is reset
	// before the handler sees it.
	p2ptest.SendRaw(t, a, b.ID(), testID, p2ptest.RawFrame([]byte("\xffbad")))
	p2ptest.SendRaw(t, a, b.ID(), testID, p2ptest.RawFrame(nil))
	p2ptest.SendRaw(t, a, b.ID(), testID, p2ptest.RawFrame(make([]byte, 17))) // above MaxFrame
	if got := rec.taken(); len(got) != 1 || got[0] != "hello" {
		t.Fatalf("receiver took %q, want [hello]", got)
	}
}

func TestTypedSendChecks(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	rec := &notes{}
	receiver := newNotes(b, nil, rec.on)
	wrapping, plain := newNotes(a, errBadNote, nil), newNotes(a, nil, nil)
	t.Cleanup(func() { receiver.Close(); wrapping.Close(); plain.Close() })
	ctx := p2ptest.Context(t, 10*time.Second)
	cases := []struct {
		name string
		s    *Typed[note, *note]
		n    note
		want error
	}{
		{"invalid, wrapped", wrapping, note{}, errBadNote},
		{"invalid, as it is", plain, note{}, errEmpty},
		{"valid but above the frame limit", wrapping, note{strings.Repeat("x", 17)}, errBadNote},
		{"above the frame limit, as it is", plain, note{strings.Repeat("x", 17)}, wire.ErrTooLarge},
	}
	for _, c := range cases {
		if err := c.s.Send(ctx, b.ID(), c.n); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if got := rec.taken(); len(got) != 0 {
		t.Fatalf("notes Send refused were sent: %q", got)
	}
	if err := plain.Send(ctx, b.ID(), note{strings.Repeat("x", 16)}); err != nil {
		t.Fatalf("a note at the frame limit: %v", err)
	}
}

func TestTypedNilHandlerTakes(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sender, receiver := newNotes(a, nil, nil), newNotes(b, nil, nil)
	t.Cleanup(func() { sender.Close(); receiver.Close() })
	if err := sender.Send(p2ptest.Context(t, 10*time.Second), b.ID(), note{"no"}); err != nil {
		t.Fatalf("a receiver without handler refused: %v", err)
	}
}

func TestTaking(t *testing.T) {
	if Taking[note](nil) != nil {
		t.Fatal("Taking(nil) is not nil")
	}
	var got []string
	f := Taking(func(_ peer.ID, n note) { got = append(got, n.text) })
	if !f("", note{"x"}) || len(got) != 1 {
		t.Fatalf("Taking's handler returned false or skipped f: %q", got)
	}
}
