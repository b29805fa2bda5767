package compliance

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
	ID = "/hearth/compliance/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.compliance"
	// DefaultTimeout bounds one notice, both ways.
	DefaultTimeout = 10 * time.Second
)

// Config holds the callbacks of a Service.
type Config struct {
	// Allow reports whether a peer may send notices; nil allows everyone.
	// app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// OnNotice receives a valid notice on the stream's goroutine; the
	// sender waits for it to return.
	OnNotice func(from peer.ID, n wire.ComplianceNotice)
	// Timeout bounds one notice; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Service is the compliance protocol on one host.
type Service struct {
	proto *oneshot.Typed[wire.ComplianceNotice, *wire.ComplianceNotice]
}

// New registers the protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Service{proto: oneshot.NewTyped[wire.ComplianceNotice](h, oneshot.Config{
		ID:                 ID,
		ServiceName:        ServiceName,
		Noun:               "compliance notice",
		MaxFrame:           wire.MaxComplianceFrame,
		Timeout:            cfg.Timeout,
		Allow:              cfg.Allow,
		ErrClosed:          ErrClosed,
		ErrUnexpectedReply: ErrUnexpectedReply,
	}, nil, oneshot.Taking(cfg.OnNotice))}
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.proto.Close() }

// Send tells p about the conversation's flag and returns once p took it.
func (s *Service) Send(ctx context.Context, p peer.ID, n wire.ComplianceNotice) error {
	return s.proto.Send(ctx, p, n)
}
