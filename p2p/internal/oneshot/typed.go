package oneshot

import (
	"context"
	"fmt"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/wire"
)

// Message is a wire message type T as *T: it decodes into itself, and
// checks and encodes itself.
type Message[T any] interface {
	*T
	Unmarshal([]byte) error
	Validate() error
	Marshal() []byte
}

// Typed is a one-message protocol whose every frame is one wire message of
// type T. It is what the thin protocol packages (presence, signal, convo,
// profile, compliance) wrap.
type Typed[T any, P Message[T]] struct {
	proto      *Service
	maxFrame   int
	errInvalid error
}

// NewTyped registers cfg's protocol on h. Its Receive (cfg.Receive is
// ignored) decodes a frame into a T, refuses it unless it decodes and
// passes Validate, and otherwise hands it to on, whose answer says
// whether it was taken; a nil on takes everything. errInvalid is what Send
// wraps a message's Validate error in; nil returns that error as it is.
func NewTyped[T any, P Message[T]](h host.Host, cfg Config, errInvalid error, on func(from peer.ID, m T) bool) *Typed[T, P] {
	cfg.Receive = func(from peer.ID, b []byte) bool {
		var m T
		if P(&m).Unmarshal(b) != nil || P(&m).Validate() != nil {
			return false
		}
		return on == nil || on(from, m)
	}
	return &Typed[T, P]{proto: New(h, cfg), maxFrame: cfg.MaxFrame, errInvalid: errInvalid}
}

// Taking turns a handler that cannot refuse into one for NewTyped that
// takes every message; a nil f stays nil.
func Taking[T any](f func(from peer.ID, m T)) func(from peer.ID, m T) bool {
	if f == nil {
		return nil
	}
	return func(from peer.ID, m T) bool {
		f(from, m)
		return true
	}
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (t *Typed[T, P]) Close() error { return t.proto.Close() }

// Send checks m, encodes it, sends it to p and returns once p has taken it.
func (t *Typed[T, P]) Send(ctx context.Context, p peer.ID, m T) error {
	if err := P(&m).Validate(); err != nil {
		return t.invalid(err)
	}
	b := P(&m).Marshal()
	if n := len(b); n > t.maxFrame {
		return t.invalid(fmt.Errorf("%w: %d bytes, limit %d", wire.ErrTooLarge, n, t.maxFrame))
	}
	return t.proto.Send(ctx, p, b)
}

func (t *Typed[T, P]) invalid(err error) error {
	if t.errInvalid == nil {
		return err
	}
	return fmt.Errorf("%w: %v", t.errInvalid, err)
}
