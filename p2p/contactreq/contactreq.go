package contactreq

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"

	"hearth/p2p/internal/service"
	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/contact/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.contact"
	// MaxFrame bounds request and reply frames.
	MaxFrame = 8 << 10
	// DefaultTimeout bounds one exchange.
	DefaultTimeout = 10 * time.Second
)

// Defaults for Config's zero values.
var (
	DefaultPerPeerRate     = rate.Every(10 * time.Second)
	DefaultPerPeerBurst    = 3
	DefaultGlobalRate      = rate.Limit(5)
	DefaultGlobalBurst     = 20
	DefaultMaxTrackedPeers = 1024
)

// Config holds the callback and limits of a Service. Zero values take the
// defaults above.
type Config struct {
	// OnRequest decides on a request (from anyone) and returns the reply.
	// It runs on the stream's goroutine while the requester waits, so it
	// should not block on a person: reply Pending and decide later. A nil
	// OnRequest refuses every request with a reset.
	OnRequest func(from peer.ID, r wire.ContactRequest) wire.ContactReply

	PerPeerRate  rate.Limit
	PerPeerBurst int
	GlobalRate   rate.Limit
	GlobalBurst  int
	// MaxTrackedPeers bounds the number of per-peer buckets kept.
	MaxTrackedPeers int
	// Trusted reports peers exempt from the rate limits (contacts and
	// people I asked), so a stranger's flood that drains the global
	// bucket cannot hold up their answers. May be nil.
	Trusted func(peer.ID) bool
	// Timeout bounds one exchange; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Service is the contact-request protocol on one host.
type Service struct {
	h       host.Host
	cfg     Config
	lim     *limiter
	dropped atomic.Uint64
	streams *service.Streams
}

// New registers the contact protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.PerPeerRate <= 0 {
		cfg.PerPeerRate = DefaultPerPeerRate
	}
	if cfg.PerPeerBurst <= 0 {
		cfg.PerPeerBurst = DefaultPerPeerBurst
	}
	if cfg.GlobalRate <= 0 {
		cfg.GlobalRate = DefaultGlobalRate
	}
	if cfg.GlobalBurst <= 0 {
		cfg.GlobalBurst = DefaultGlobalBurst
	}
	if cfg.MaxTrackedPeers <= 0 {
		cfg.MaxTrackedPeers = DefaultMaxTrackedPeers
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	s := &Service{
		h:       h,
		cfg:     cfg,
		lim:     newLimiter(cfg.PerPeerRate, cfg.PerPeerBurst, cfg.GlobalRate, cfg.GlobalBurst, cfg.MaxTrackedPeers),
		streams: service.New(h, ID, ServiceName),
	}
	s.streams.Handle(s.allow, s.handle)
	return s
}

// Dropped is the number of requests refused by the rate limits.
func (s *Service) Dropped() uint64 { return s.dropped.Load() }

// Tracked is the number of peers whose request rate is being tracked; it
// never exceeds Config.MaxTrackedPeers.
func (s *Service) Tracked() int { return s.lim.tracked() }

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.streams.Close() }

// allow applies the rate limits to a new stream.
func (s *Service) allow(from peer.ID) bool {
	if s.cfg.Trusted != nil && s.cfg.Trusted(from) {
		return true
	}
	if !s.lim.allow(from) {
		s.dropped.Add(1)
		return false
	}
	return true
}

func (s *Service) handle(st network.Stream, from peer.ID) {
	st.SetDeadline(time.Now().Add(s.cfg.Timeout))
	b, err := wire.ReadFrame(bufio.NewReader(st), MaxFrame)
	if err != nil {
		st.Reset()
		return
	}
	var r wire.ContactRequest
	if r.Unmarshal(b) != nil || r.Validate() != nil || s.cfg.OnRequest == nil {
		st.Reset()
		return
	}
	reply := s.cfg.OnRequest(from, r)
	if err := wire.WriteFrame(st, reply.Marshal()); err != nil {
		st.Reset()
		return
	}
	st.Close()
}

// Send sends r to p and returns p's reply. A peer that ends the stream
// without replying (usually its rate limit) gives ErrNoReply.
func (s *Service) Send(ctx context.Context, p peer.ID, r wire.ContactRequest) (wire.ContactReply, error) {
	if err := r.Validate(); err != nil {
		return wire.ContactReply{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if n := len(r.Marshal()); n > MaxFrame {
		return wire.ContactReply{}, fmt.Errorf("%w: %d bytes, limit %d", ErrInvalid, n, MaxFrame)
	}
	st, err := s.h.NewStream(ctx, p, ID)
	if err != nil {
		return wire.ContactReply{}, fmt.Errorf("opening contact stream: %w", err)
	}
	if !s.streams.Track(st, false) {
		st.Reset()
		return wire.ContactReply{}, ErrClosed
	}
	defer s.streams.Untrack(st, false)
	reply, err := s.exchange(ctx, st, r)
	if err != nil {
		st.Reset()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return wire.ContactReply{}, fmt.Errorf("sending contact request: %w", err)
	}
	st.Close()
	return reply, nil
}

func (s *Service) exchange(ctx context.Context, st network.Stream, r wire.ContactRequest) (wire.ContactReply, error) {
	var reply wire.ContactReply
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	if err := st.Scope().SetService(ServiceName); err != nil {
		return reply, err
	}
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	st.SetDeadline(deadline)
	if err := wire.WriteFrame(st, r.Marshal()); err != nil {
		return reply, noReply(err)
	}
	if err := st.CloseWrite(); err != nil {
		return reply, noReply(err)
	}
	b, err := wire.ReadFrame(bufio.NewReader(st), MaxFrame)
	if err != nil {
		return reply, noReply(err)
	}
	if err := reply.Unmarshal(b); err != nil {
		return reply, fmt.Errorf("%w: reply: %v", ErrInvalid, err)
	}
	if err := reply.Validate(); err != nil {
		return reply, fmt.Errorf("%w: reply: %v", ErrInvalid, err)
	}
	return reply, nil
}

// noReply marks a reset or an early end of stream as ErrNoReply.
func noReply(err error) error {
	if errors.Is(err, network.ErrReset) || errors.Is(err, io.EOF) || errors.Is(err, wire.ErrTruncated) {
		return fmt.Errorf("%w: %v", ErrNoReply, err)
	}
	return err
}
