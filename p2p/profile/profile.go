package profile

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
	ID = "/hearth/profile/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.profile"
	// MaxFrame bounds a profile frame: the largest avatar, the longest
	// name and room for tags and the type.
	MaxFrame = wire.MaxAvatar + wire.MaxNameLen + 128
	// DefaultTimeout bounds one profile, both ways.
	DefaultTimeout = 15 * time.Second
)

// Config holds the callbacks of a Service.
type Config struct {
	// Allow reports whether a peer may send us its profile; nil allows
	// everyone. app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// OnProfile receives a profile that passed wire.Profile.Validate and
	// returns false to refuse it (the stream is reset, so the sender's
	// Send fails). It runs on the stream's goroutine.
	OnProfile func(from peer.ID, p wire.Profile) bool
	// Timeout bounds one profile. 0 means DefaultTimeout.
	Timeout time.Duration
}

// Service is the profile protocol on one host.
type Service struct {
	proto *oneshot.Typed[wire.Profile, *wire.Profile]
}

// New registers the profile protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Service{proto: oneshot.NewTyped[wire.Profile](h, oneshot.Config{
		ID:                 ID,
		ServiceName:        ServiceName,
		Noun:               "profile",
		MaxFrame:           MaxFrame,
		Timeout:            cfg.Timeout,
		Allow:              cfg.Allow,
		ErrClosed:          ErrClosed,
		ErrUnexpectedReply: ErrUnexpectedReply,
	}, ErrInvalid, cfg.OnProfile)}
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.proto.Close() }

// Send gives p our profile and returns once p has taken it.
func (s *Service) Send(ctx context.Context, p peer.ID, pr wire.Profile) error {
	return s.proto.Send(ctx, p, pr)
}
