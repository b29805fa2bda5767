package group

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/service"
	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/group/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.group"

	// DefaultMaxFrame fits the largest state with its signature, or the
	// largest message with its IDs.
	DefaultMaxFrame = wire.MaxGroupState + wire.MaxSignature + 2*wire.MaxIDLen + 64
	// DefaultIdleTimeout is how long an inbound stream may stay silent.
	DefaultIdleTimeout = 30 * time.Second

	// window is how many frames Send writes before reading their acks; a
	// window's acks fit in any stream's receive window.
	window = 256
	// maxAckFrame bounds an ack frame.
	maxAckFrame = wire.MaxIDLen + 16
)

// Config holds the callbacks and limits of a Service.
type Config struct {
	// Allow reports whether a peer may open a group stream (nil: anyone).
	// app/core passes "an accepted contact or a member of one of my groups".
	Allow func(peer.ID) bool
	// Deliver applies or stores, durably and in order, frames that arrived
	// together, and reports for each whether it was taken (false: refused
	// for good). An error means nothing was taken and the stream ends
	// without acks; the sender tries again later. Calls for one stream are
	// in order. A nil Deliver refuses every frame.
	Deliver func(from peer.ID, fs []wire.GroupFrame) (taken []bool, err error)
	// MaxFrame is the largest frame accepted; 0 means DefaultMaxFrame.
	MaxFrame int
	// IdleTimeout bounds silence on an inbound stream and each write and
	// wait for acks in Send; 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
}

// Result is the peer's answer to one frame.
type Result struct {
	ID      string
	Refused bool
}

// Service is the group protocol on one host.
type Service struct {
	h       host.Host
	cfg     Config
	streams *service.Streams
}

// New registers the group protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.MaxFrame <= 0 {
		cfg.MaxFrame = DefaultMaxFrame
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	s := &Service{h: h, cfg: cfg, streams: service.New(h, ID, ServiceName)}
	s.streams.Handle(cfg.Allow, s.handle)
	return s
}

// Close removes the handler, resets every open group stream and waits for
// the inbound handlers. Send fails with ErrClosed after.
func (s *Service) Close() error { return s.streams.Close() }

func (s *Service) readFrame(r *bufio.Reader) (wire.GroupFrame, error) {
	var f wire.GroupFrame
	b, err := wire.ReadFrame(r, s.cfg.MaxFrame)
	if err != nil {
		return f, err
	}
	if err := f.Unmarshal(b); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// handle serves one inbound stream until the sender closes it, goes silent
// or misbehaves.
func (s *Service) handle(st network.Stream, from peer.ID) {
	r := bufio.NewReader(st)
	w := bufio.NewWriter(st)
	var batch []wire.GroupFrame
	for {
		st.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		f, err := s.readFrame(r)
		if err == io.EOF {
			st.Close()
			return
		}
		if err != nil {
			st.Reset()
			return
		}
		batch = append(batch[:0], f)
		// Whatever else has arrived is delivered together: one commit.
		for r.Buffered() > 0 && len(batch) < window {
			f, err := s.readFrame(r)
			if err != nil {
				st.Reset()
				return
			}
			batch = append(batch, f)
		}
		taken := make([]bool, len(batch))
		var derr error
		if s.cfg.Deliver != nil {
			taken, derr = s.cfg.Deliver(from, batch)
		}
		if derr != nil || len(taken) != len(batch) {
			// Nothing of this batch is acknowledged; ending the stream
			// cleanly tells the sender to keep it all for later.
			st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
			if w.Flush() != nil {
				st.Reset()
				return
			}
			st.Close()
			return
		}
		for i, f := range batch {
			if err := wire.WriteFrame(w, wire.GroupAck{ID: f.ID, Refused: !taken[i]}.Marshal()); err != nil {
				st.Reset()
				return
			}
		}
		if r.Buffered() == 0 {
			st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
			if err := w.Flush(); err != nil {
				st.Reset()
				return
			}
		}
	}
}

// Send sends frames to p in order on a new stream and returns the peer's
// answers, in order, even when it fails part way: the caller keeps the
// frames without an answer and sends them again later.
func (s *Service) Send(ctx context.Context, p peer.ID, frames []wire.GroupFrame) (results []Result, err error) {
	for _, f := range frames {
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if n := len(f.Marshal()); n > s.cfg.MaxFrame {
			return nil, fmt.Errorf("%w: frame of %d bytes, limit %d", ErrInvalid, n, s.cfg.MaxFrame)
		}
	}
	if len(frames) == 0 {
		return nil, nil
	}
	if s.streams.Closed() {
		return nil, ErrClosed
	}
	st, err := s.h.NewStream(ctx, p, ID)
	if err != nil {
		return nil, fmt.Errorf("opening group stream: %w", err)
	}
	if err := st.Scope().SetService(ServiceName); err != nil {
		st.Reset()
		return nil, fmt.Errorf("opening group stream: %w", err)
	}
	if !s.streams.Track(st, false) {
		st.Reset()
		return nil, ErrClosed
	}
	defer s.streams.Untrack(st, false)
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()

	r := bufio.NewReader(st)
	w := bufio.NewWriterSize(st, 64<<10)
	results = make([]Result, 0, len(frames))
	for len(frames) > 0 {
		n := min(len(frames), window)
		deadline := time.Now().Add(s.cfg.IdleTimeout)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		st.SetDeadline(deadline)
		for _, f := range frames[:n] {
			if err := wire.WriteFrame(w, f.Marshal()); err != nil {
				st.Reset()
				return results, fmt.Errorf("writing group frames: %w", err)
			}
		}
		if err := w.Flush(); err != nil {
			st.Reset()
			return results, fmt.Errorf("writing group frames: %w", err)
		}
		for i := range n {
			b, err := wire.ReadFrame(r, maxAckFrame)
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			var a wire.GroupAck
			if err == nil {
				err = a.Unmarshal(b)
			}
			if err != nil {
				st.Reset()
				return results, fmt.Errorf("reading group ack: %w", err)
			}
			if a.ID != frames[i].ID {
				st.Reset()
				return results, fmt.Errorf("%w: got %q, want %q", ErrBadAck, a.ID, frames[i].ID)
			}
			results = append(results, Result{ID: a.ID, Refused: a.Refused})
		}
		frames = frames[n:]
	}
	st.Close()
	return results, nil
}
