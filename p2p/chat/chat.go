package chat

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/service"
	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/chat/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.chat"

	// DefaultMaxFrame fits the largest body with room for the ID, the
	// reply-to ID and the timestamp.
	DefaultMaxFrame = wire.MaxChatBody + 2*wire.MaxIDLen + 64
	// DefaultIdleTimeout is how long an inbound stream may stay silent.
	DefaultIdleTimeout = 30 * time.Second

	// window is how many messages Send writes before reading their acks.
	// The acks of a window (~300 bytes each at most) fit in any stream's
	// receive window, so neither side can block on a full buffer.
	window = 256
	// maxAckFrame bounds an ack frame.
	maxAckFrame = wire.MaxIDLen + 16
)

// Config holds the callbacks and limits of a Service.
type Config struct {
	// Allow reports whether a peer may send us messages. When it is nil
	// everyone may; app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// Deliver stores a received message durably. The message is
	// acknowledged only when it returns nil. It is called from one
	// goroutine per inbound stream, so calls for one peer are in order.
	// A nil Deliver (and DeliverBatch) refuses every message.
	Deliver func(from peer.ID, m wire.ChatMessage) error
	// DeliverBatch, when set, replaces Deliver: it stores all the messages
	// that have arrived together, all or none, so a burst costs one commit.
	DeliverBatch func(from peer.ID, ms []wire.ChatMessage) error
	// MaxFrame is the largest frame accepted; 0 means DefaultMaxFrame.
	MaxFrame int
	// IdleTimeout is how long an inbound stream may be silent before it is
	// reset, and also bounds each write and each wait for acks in Send.
	// 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
}

// Service is the chat protocol on one host: it receives messages and sends
// them.
type Service struct {
	h       host.Host
	cfg     Config
	streams *service.Streams // every open stream, reset by Close

	// fields below protected by mu
	mu  sync.Mutex
	out map[peer.ID]*outbound
}

// outbound is the long-lived stream to one peer.
type outbound struct {
	mu sync.Mutex // serialises Sends to the peer; guards the fields below
	st network.Stream
	r  *bufio.Reader
	w  *bufio.Writer
	// last is when the stream was last used successfully.
	last time.Time
}

// New registers the chat protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.MaxFrame <= 0 {
		cfg.MaxFrame = DefaultMaxFrame
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	s := &Service{
		h:       h,
		cfg:     cfg,
		streams: service.New(h, ID, ServiceName),
		out:     make(map[peer.ID]*outbound),
	}
	s.streams.Handle(cfg.Allow, s.handle)
	return s
}

// Close removes the protocol handler, resets every open chat stream and
// waits for the inbound handlers to return. Send fails with ErrClosed after.
func (s *Service) Close() error { return s.streams.Close() }

// handle serves one inbound stream until the sender closes it, goes silent
// or misbehaves.
func (s *Service) handle(st network.Stream, from peer.ID) {
	r := bufio.NewReader(st)
	w := bufio.NewWriter(st)
	var batch []wire.ChatMessage
	for {
		st.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		b, err := wire.ReadFrame(r, s.cfg.MaxFrame)
		if err == io.EOF {
			st.Close()
			return
		}
		if err != nil {
			st.Reset()
			return
		}
		var m wire.ChatMessage
		if m.Unmarshal(b) != nil || m.Validate() != nil {
			st.Reset()
			return
		}
		batch := append(batch[:0], m)
		// Whatever else has already arrived is stored in the same
		// transaction: one commit for a pipelined burst.
		for s.cfg.DeliverBatch != nil && r.Buffered() > 0 && len(batch) < window {
			b, err := wire.ReadFrame(r, s.cfg.MaxFrame)
			if err != nil {
				st.Reset()
				return
			}
			var m wire.ChatMessage
			if m.Unmarshal(b) != nil || m.Validate() != nil {
				st.Reset()
				return
			}
			batch = append(batch, m)
		}
		stored, derr := s.deliver(from, batch)
		for _, m := range batch[:stored] {
			if err := wire.WriteFrame(w, wire.ChatAck{ID: m.ID}.Marshal()); err != nil {
				st.Reset()
				return
			}
		}
		if derr != nil {
			// Send the acks of what was stored, then end the stream
			// without acking the rest: the sender gets the acks, then
			// EOF. (A reset could destroy the acks still in flight, and
			// the sender would resend stored messages.)
			st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
			if w.Flush() != nil {
				st.Reset()
				return
			}
			st.Close()
			return
		}
		// Flush when the next read could block: one write for a whole
		// pipelined batch of acks.
		if r.Buffered() == 0 {
			st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
			if err := w.Flush(); err != nil {
				st.Reset()
				return
			}
		}
	}
}

// deliver stores a batch and reports how many of its first messages are
// stored.
func (s *Service) deliver(from peer.ID, batch []wire.ChatMessage) (int, error) {
	if s.cfg.DeliverBatch != nil {
		if err := s.cfg.DeliverBatch(from, batch); err != nil {
			return 0, err
		}
		return len(batch), nil
	}
	if s.cfg.Deliver == nil {
		return 0, ErrClosed
	}
	for i, m := range batch {
		if err := s.cfg.Deliver(from, m); err != nil {
			return i, err
		}
	}
	return len(batch), nil
}

// Send sends msgs to p in order and returns the IDs the peer acknowledged
// (stored), in order, even when it fails part way. The caller keeps the
// others and sends them again later. Bodies above wire.MaxChatBody are
// refused with ErrTooLarge before anything is sent. Sends to one peer are
// serialised; Sends to different peers run in parallel.
func (s *Service) Send(ctx context.Context, p peer.ID, msgs []wire.ChatMessage) (acked []string, err error) {
	for _, m := range msgs {
		if err := m.Validate(); err != nil {
			if errors.Is(err, wire.ErrTooLarge) {
				return nil, fmt.Errorf("%w: message %q: %v", ErrTooLarge, m.ID, err)
			}
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	o, err := s.outbound(p)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()

	acked = make([]string, 0, len(msgs))
	for attempt := 0; ; attempt++ {
		fresh := false
		if o.st != nil && time.Since(o.last) > s.cfg.IdleTimeout/2 {
			// The peer may be about to drop it as idle: start afresh
			// rather than lose a round trip finding out.
			s.drop(o)
		}
		if o.st == nil {
			if err := s.open(ctx, p, o); err != nil {
				return acked, err
			}
			fresh = true
		}
		err := s.exchange(ctx, o, msgs[len(acked):], &acked)
		if err == nil {
			o.last = time.Now()
			return acked, nil
		}
		s.drop(o)
		if ctx.Err() != nil {
			return acked, fmt.Errorf("sending chat messages: %w", ctx.Err())
		}
		if fresh || attempt > 0 {
			return acked, fmt.Errorf("sending chat messages: %w", err)
		}
	}
}

// outbound returns the per-peer state, creating it.
func (s *Service) outbound(p peer.ID) (*outbound, error) {
	if s.streams.Closed() {
		return nil, ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.out[p]
	if o == nil {
		o = &outbound{}
		s.out[p] = o
	}
	return o, nil
}

// open opens a new stream for o. Called with o.mu held.
func (s *Service) open(ctx context.Context, p peer.ID, o *outbound) error {
	st, err := s.h.NewStream(ctx, p, ID)
	if err != nil {
		return fmt.Errorf("opening chat stream: %w", err)
	}
	if err := st.Scope().SetService(ServiceName); err != nil {
		st.Reset()
		return fmt.Errorf("opening chat stream: %w", err)
	}
	if !s.streams.Track(st, false) {
		st.Reset()
		return ErrClosed
	}
	o.st = st
	if o.r == nil {
		o.r = bufio.NewReader(st)
		o.w = bufio.NewWriterSize(st, 64<<10)
	} else {
		o.r.Reset(st)
		o.w.Reset(st)
	}
	return nil
}

// drop resets and forgets o's stream. Called with o.mu held.
func (s *Service) drop(o *outbound) {
	if o.st == nil {
		return
	}
	o.st.Reset()
	s.streams.Untrack(o.st, false)
	o.st = nil
}

// exchange writes msgs a window at a time and reads their acks, appending
// acknowledged IDs to acked. Called with o.mu held.
func (s *Service) exchange(ctx context.Context, o *outbound, msgs []wire.ChatMessage, acked *[]string) error {
	st := o.st
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	for len(msgs) > 0 {
		n := min(len(msgs), window)
		deadline := time.Now().Add(s.cfg.IdleTimeout)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		st.SetDeadline(deadline)
		for _, m := range msgs[:n] {
			if err := wire.WriteFrame(o.w, m.Marshal()); err != nil {
				return err
			}
		}
		if err := o.w.Flush(); err != nil {
			return fmt.Errorf("writing messages: %w", err)
		}
		for i := range n {
			b, err := wire.ReadFrame(o.r, maxAckFrame)
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if err != nil {
				return fmt.Errorf("reading ack: %w", err)
			}
			var a wire.ChatAck
			if err := a.Unmarshal(b); err != nil {
				return fmt.Errorf("reading ack: %w", err)
			}
			if a.ID != msgs[i].ID {
				return fmt.Errorf("%w: got %q, want %q", ErrBadAck, a.ID, msgs[i].ID)
			}
			*acked = append(*acked, a.ID)
		}
		msgs = msgs[n:]
	}
	return nil
}
