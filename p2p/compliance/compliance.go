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
	cfg   Config
	proto *oneshot.Service
}

// New registers the protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	s := &Service{cfg: cfg}
	s.proto = oneshot.New(h, oneshot.Config{
		ID:                 ID,
		ServiceName:        ServiceName,
		Noun:               "compliance notice",
		MaxFrame:           wire.MaxComplianceFrame,
		Timeout:            cfg.Timeout,
		Allow:              cfg.Allow,
		Receive:            s.receive,
		ErrClosed:          ErrClosed,
		ErrUnexpectedReply: ErrUnexpectedReply,
	})
	return s
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.proto.Close() }

func (s *Service) receive(from peer.ID, b []byte) bool {
	var n wire.ComplianceNotice
	if n.Unmarshal(b) != nil || n.Validate() != nil {
		return false
	}
	if s.cfg.OnNotice != nil {
		s.cfg.OnNotice(from, n)
	}
	return true
}

// Send tells p about the conversation's flag and returns once p took it.
func (s *Service) Send(ctx context.Context, p peer.ID, n wire.ComplianceNotice) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return s.proto.Send(ctx, p, n.Marshal())
}
