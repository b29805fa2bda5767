package carry

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/service"
	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/carry/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.carry"
	// DefaultIdleTimeout is how long an inbound stream may stay silent.
	DefaultIdleTimeout = 30 * time.Second
	// window is how many envelopes are written before their replies are
	// read; a window of replies fits any stream's receive buffer.
	window = 64
	// maxReplyFrame bounds a reply frame.
	maxReplyFrame = wire.MaxIDLen + wire.MaxReasonLen + 16
)

// Verdict is what a callback decided about one envelope.
type Verdict struct {
	Status uint32 // wire.CarryOK, wire.CarryFull …
	Reason string // for people; may be empty
}

// Settle decides on envelopes that arrived together from one peer and
// returns one Verdict per envelope, in order. When it fails part way it
// returns the verdicts of the envelopes it settled (a prefix) and the
// error: those are answered, the stream ends, and the peer keeps the rest.
type Settle func(from peer.ID, envs []wire.Envelope) ([]Verdict, error)

// Config holds the callbacks and limits of a Service.
type Config struct {
	// Allow reports whether a peer may open a carry stream to us; nil
	// allows everyone. app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// Deposit settles envelopes a peer asks us to carry: wire.CarryOK only
	// once they are stored durably. Nil refuses every deposit.
	Deposit Settle
	// Handover settles envelopes a carrier kept for us: wire.CarryOK once
	// each is stored, or found unusable, so the carrier can delete it.
	// Nil refuses every hand-over.
	Handover Settle
	// IdleTimeout is how long an inbound stream may be silent, and bounds
	// each write and each wait for replies in Deposit and Handover.
	// 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
}

// Service is the carrier protocol on one host.
type Service struct {
	h       host.Host
	cfg     Config
	streams *service.Streams
}

// New registers the carry protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	s := &Service{h: h, cfg: cfg, streams: service.New(h, ID, ServiceName)}
	s.streams.Handle(cfg.Allow, s.handle)
	return s
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return. Deposit and Handover fail with ErrClosed after.
func (s *Service) Close() error { return s.streams.Close() }

// request is one decoded frame: an envelope and which way it goes.
type request struct {
	env      wire.Envelope
	handover bool
}

func readRequest(r *bufio.Reader) (request, error) {
	b, err := wire.ReadFrame(r, wire.MaxCarryFrame)
	if err != nil {
		return request{}, err
	}
	var q wire.CarryRequest
	if err := q.Unmarshal(b); err != nil {
		return request{}, err
	}
	if err := q.Validate(); err != nil {
		return request{}, err
	}
	if q.Handover != nil {
		return request{env: *q.Handover, handover: true}, nil
	}
	return request{env: *q.Deposit}, nil
}

// handle serves one inbound stream until the opener closes it, goes silent
// or misbehaves.
func (s *Service) handle(st network.Stream, from peer.ID) {
	r := bufio.NewReader(st)
	w := bufio.NewWriter(st)
	for {
		st.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		q, err := readRequest(r)
		if err == io.EOF {
			st.Close()
			return
		}
		if err != nil {
			st.Reset()
			return
		}
		batch := []request{q}
		// Whatever else has already arrived is settled together: one
		// commit for a pipelined window.
		for r.Buffered() > 0 && len(batch) < window {
			q, err := readRequest(r)
			if err != nil {
				st.Reset()
				return
			}
			batch = append(batch, q)
		}
		failed := false
		for len(batch) > 0 && !failed {
			// A run of requests of one kind.
			n := 1
			for n < len(batch) && batch[n].handover == batch[0].handover {
				n++
			}
			envs := make([]wire.Envelope, n)
			for i := range envs {
				envs[i] = batch[i].env
			}
			verdicts, err := s.settle(from, envs, batch[0].handover)
			for i, v := range verdicts[:min(len(verdicts), n)] {
				reply := wire.CarryReply{ID: envs[i].ID, Status: v.Status, Reason: truncate(v.Reason, wire.MaxReasonLen)}
				if wire.WriteFrame(w, reply.Marshal()) != nil {
					st.Reset()
					return
				}
			}
			failed = err != nil || len(verdicts) < n
			batch = batch[n:]
		}
		if failed || r.Buffered() == 0 {
			st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
			if w.Flush() != nil {
				st.Reset()
				return
			}
		}
		if failed {
			// The replies of what was settled go out, then EOF: the
			// opener keeps the rest (a reset could lose those replies).
			st.Close()
			return
		}
	}
}

func (s *Service) settle(from peer.ID, envs []wire.Envelope, handover bool) ([]Verdict, error) {
	f := s.cfg.Deposit
	if handover {
		f = s.cfg.Handover
	}
	if f == nil {
		out := make([]Verdict, len(envs))
		for i := range out {
			out[i] = Verdict{Status: wire.CarryOff, Reason: "not accepted here"}
		}
		return out, nil
	}
	return f(from, envs)
}

// Deposit asks carrier p to keep envs for their recipients and returns the
// carrier's replies, in order, for as many envelopes as it answered (all
// of them unless err is set).
func (s *Service) Deposit(ctx context.Context, p peer.ID, envs []wire.Envelope) ([]wire.CarryReply, error) {
	return s.send(ctx, p, envs, false)
}

// Handover gives recipient p the envelopes kept for it and returns its
// replies, in order, for as many as it answered.
func (s *Service) Handover(ctx context.Context, p peer.ID, envs []wire.Envelope) ([]wire.CarryReply, error) {
	return s.send(ctx, p, envs, true)
}

func (s *Service) send(ctx context.Context, p peer.ID, envs []wire.Envelope, handover bool) ([]wire.CarryReply, error) {
	frames := make([][]byte, len(envs))
	for i := range envs {
		q := wire.CarryRequest{Deposit: &envs[i]}
		if handover {
			q = wire.CarryRequest{Handover: &envs[i]}
		}
		if err := q.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		frames[i] = q.Marshal()
	}
	if len(envs) == 0 {
		return nil, nil
	}
	if s.streams.Closed() {
		return nil, ErrClosed
	}
	st, err := s.h.NewStream(ctx, p, ID)
	if err != nil {
		return nil, fmt.Errorf("opening carry stream: %w", err)
	}
	if !s.streams.Track(st, false) {
		st.Reset()
		return nil, ErrClosed
	}
	defer s.streams.Untrack(st, false)
	replies, err := s.exchange(ctx, st, envs, frames)
	if err != nil {
		st.Reset()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return replies, fmt.Errorf("carrying envelopes: %w", err)
	}
	st.Close()
	return replies, nil
}

func (s *Service) exchange(ctx context.Context, st network.Stream, envs []wire.Envelope, frames [][]byte) ([]wire.CarryReply, error) {
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	if err := st.Scope().SetService(ServiceName); err != nil {
		return nil, err
	}
	r := bufio.NewReader(st)
	w := bufio.NewWriterSize(st, 64<<10)
	replies := make([]wire.CarryReply, 0, len(envs))
	for len(replies) < len(envs) {
		from := len(replies)
		n := min(len(envs)-from, window)
		deadline := time.Now().Add(s.cfg.IdleTimeout)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		st.SetDeadline(deadline)
		for _, f := range frames[from : from+n] {
			if err := wire.WriteFrame(w, f); err != nil {
				return replies, err
			}
		}
		if err := w.Flush(); err != nil {
			return replies, fmt.Errorf("writing envelopes: %w", err)
		}
		for i := from; i < from+n; i++ {
			b, err := wire.ReadFrame(r, maxReplyFrame)
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if err != nil {
				return replies, fmt.Errorf("reading reply: %w", err)
			}
			var reply wire.CarryReply
			if err := reply.Unmarshal(b); err != nil {
				return replies, fmt.Errorf("reading reply: %w", err)
			}
			if err := reply.Validate(); err != nil {
				return replies, fmt.Errorf("reading reply: %w", err)
			}
			if reply.ID != envs[i].ID {
				return replies, fmt.Errorf("%w: got %q, want %q", ErrBadReply, reply.ID, envs[i].ID)
			}
			replies = append(replies, reply)
		}
	}
	return replies, nil
}

// truncate makes s valid UTF-8 of at most n bytes, cut between
// characters.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
