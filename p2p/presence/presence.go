package presence

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
	ID = "/hearth/presence/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.presence"
	// MaxFrame bounds a presence frame.
	MaxFrame = 1 << 10
	// DefaultTimeout bounds one update, both ways.
	DefaultTimeout = 10 * time.Second
)

// Config holds the callbacks of a Service.
type Config struct {
	// Allow reports whether a peer may tell us its presence; nil allows
	// everyone. app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// OnPresence receives an update. It is called on the stream's
	// goroutine; the sender waits for it to return.
	OnPresence func(from peer.ID, p wire.Presence)
	// Timeout bounds one update (reading it, or sending it when the
	// caller's context has no earlier deadline). 0 means DefaultTimeout.
	Timeout time.Duration
}

// Service is the presence protocol on one host.
type Service struct {
	proto *oneshot.Typed[wire.Presence, *wire.Presence]
}

// New registers the presence protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Service{proto: oneshot.NewTyped[wire.Presence](h, oneshot.Config{
		ID:                 ID,
		ServiceName:        ServiceName,
		Noun:               "presence",
		MaxFrame:           MaxFrame,
		Timeout:            cfg.Timeout,
		Allow:              cfg.Allow,
		ErrClosed:          ErrClosed,
		ErrUnexpectedReply: ErrUnexpectedReply,
	}, ErrTooLarge, oneshot.Taking(cfg.OnPresence))}
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.proto.Close() }

// Send tells p our presence and returns once p has taken it.
func (s *Service) Send(ctx context.Context, p peer.ID, pr wire.Presence) error {
	return s.proto.Send(ctx, p, pr)
}
