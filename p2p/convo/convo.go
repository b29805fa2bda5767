package convo

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
	ID = "/hearth/convo/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.convo"
	// MaxFrame fits the largest edit: a full body, a target ID and the
	// other fields.
	MaxFrame = wire.MaxChatBody + wire.MaxIDLen + 64
	// DefaultTimeout bounds one update, both ways.
	DefaultTimeout = 10 * time.Second
)

// Config holds the callbacks of a Service.
type Config struct {
	// Allow reports whether a peer may send us updates; nil allows
	// everyone. app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// OnUpdate applies an update that decoded and passed
	// wire.ChatUpdate.Validate. It returns false to refuse it (the
	// sender sees a reset and may try again later). It is called on the
	// stream's goroutine; the sender waits for it to return. A nil
	// OnUpdate refuses everything.
	OnUpdate func(from peer.ID, u wire.ChatUpdate) bool
	// Timeout bounds one update (reading it, or sending it when the
	// caller's context has no earlier deadline). 0 means DefaultTimeout.
	Timeout time.Duration
}

// Service is the conversation update protocol on one host.
type Service struct {
	proto *oneshot.Typed[wire.ChatUpdate, *wire.ChatUpdate]
}

// New registers the protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	on := cfg.OnUpdate
	if on == nil {
		on = func(peer.ID, wire.ChatUpdate) bool { return false } // refuses everything
	}
	return &Service{proto: oneshot.NewTyped[wire.ChatUpdate](h, oneshot.Config{
		ID:                 ID,
		ServiceName:        ServiceName,
		Noun:               "conversation update",
		MaxFrame:           MaxFrame,
		Timeout:            cfg.Timeout,
		Allow:              cfg.Allow,
		ErrClosed:          ErrClosed,
		ErrUnexpectedReply: ErrUnexpectedReply,
	}, ErrInvalid, on)}
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.proto.Close() }

// Send sends u to p and returns nil once p accepted it.
func (s *Service) Send(ctx context.Context, p peer.ID, u wire.ChatUpdate) error {
	return s.proto.Send(ctx, p, u)
}
