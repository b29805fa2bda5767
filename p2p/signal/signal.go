package signal

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/oneshot"
	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/signal/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.signal"
	// MaxFrame bounds a signal frame; SDP offers are a few KiB.
	MaxFrame = 64 << 10
	// DefaultTimeout bounds one update, both ways.
	DefaultTimeout = 10 * time.Second
)

// Config holds the callbacks of a Service.
type Config struct {
	// Allow reports whether a peer may signal us; nil allows everyone.
	// app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// OnSignal receives a signal. It is called on the stream's
	// goroutine and the sender waits for it to return, so it should hand
	// slow work to another goroutine.
	OnSignal func(from peer.ID, p wire.Signal)
	// Timeout bounds one signal (reading it, or sending it when the
	// caller's context has no earlier deadline). 0 means DefaultTimeout.
	Timeout time.Duration
}

// Service is the signalling protocol on one host.
type Service struct {
	proto *oneshot.Typed[wire.Signal, *wire.Signal]
}

// New registers the signalling protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Service{proto: oneshot.NewTyped[wire.Signal](h, oneshot.Config{
		ID:                 ID,
		ServiceName:        ServiceName,
		Noun:               "signal",
		MaxFrame:           MaxFrame,
		Timeout:            cfg.Timeout,
		Allow:              cfg.Allow,
		ErrClosed:          ErrClosed,
		ErrUnexpectedReply: ErrUnexpectedReply,
	}, ErrInvalid, oneshot.Taking(cfg.OnSignal))}
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.proto.Close() }

// Send sends sig to p and returns once p's OnSignal has returned. Signals
// sent one after another by one goroutine arrive in order.
func (s *Service) Send(ctx context.Context, p peer.ID, sig wire.Signal) error {
	return s.proto.Send(ctx, p, sig)
}
