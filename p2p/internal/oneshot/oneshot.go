// Package oneshot carries one message per stream, the shape of the
// presence and signalling protocols: the sender writes a single
// size-limited frame and closes its side; the receiver reads it within a
// deadline, decodes and hands it on, then closes; the sender returns once
// it sees that close. Anything the receiver refuses is a reset.
//
// Typed (typed.go) is the same for frames that hold one wire message
// type: it decodes and validates what arrives and what is sent, so a
// protocol package only names its type, limits and errors.
package oneshot

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"hearth/p2p/internal/service"
	"hearth/p2p/wire"
)

// Config describes a one-message protocol.
type Config struct {
	ID          protocol.ID
	ServiceName string // in the resource manager
	// Noun names the message in errors: "opening <Noun> stream: …",
	// "sending <Noun>: …".
	Noun     string
	MaxFrame int
	// Timeout bounds one message: reading it, or sending it when the
	// caller's context has no earlier deadline. It must be positive.
	Timeout time.Duration
	// Allow reports whether a peer may send to us; nil allows everyone.
	Allow func(peer.ID) bool
	// Receive decodes and checks a frame and, when it is good, hands it on
	// and returns true; false resets the stream. It runs on the stream's
	// goroutine and the sender waits for it to return.
	Receive func(from peer.ID, frame []byte) bool
	// ErrClosed is what Send returns after Close; ErrUnexpectedReply is
	// what it wraps when the peer answers with data instead of closing.
	ErrClosed, ErrUnexpectedReply error
}

// Service is a one-message protocol on one host.
type Service struct {
	h       host.Host
	cfg     Config
	streams *service.Streams
}

// New registers the protocol on h.
func New(h host.Host, cfg Config) *Service {
	s := &Service{h: h, cfg: cfg, streams: service.New(h, cfg.ID, cfg.ServiceName)}
	s.streams.Handle(cfg.Allow, s.handle)
	return s
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error { return s.streams.Close() }

func (s *Service) handle(st network.Stream, from peer.ID) {
	st.SetDeadline(time.Now().Add(s.cfg.Timeout))
	b, err := wire.ReadFrame(bufio.NewReader(st), s.cfg.MaxFrame)
	if err != nil || !s.cfg.Receive(from, b) {
		st.Reset()
		return
	}
	st.Close()
}

// Send sends frame (already checked against MaxFrame and the message's
// rules) to p and returns once p's Receive has taken it.
func (s *Service) Send(ctx context.Context, p peer.ID, frame []byte) error {
	st, err := s.h.NewStream(ctx, p, s.cfg.ID)
	if err != nil {
		return fmt.Errorf("opening %s stream: %w", s.cfg.Noun, err)
	}
	if !s.streams.Track(st, false) {
		st.Reset()
		return s.cfg.ErrClosed
	}
	defer s.streams.Untrack(st, false)
	if err := s.exchange(ctx, st, frame); err != nil {
		st.Reset()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return fmt.Errorf("sending %s: %w", s.cfg.Noun, err)
	}
	st.Close()
	return nil
}

func (s *Service) exchange(ctx context.Context, st network.Stream, frame []byte) error {
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	if err := st.Scope().SetService(s.cfg.ServiceName); err != nil {
		return err
	}
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	st.SetDeadline(deadline)
	if err := wire.WriteFrame(st, frame); err != nil {
		return err
	}
	// A quick receiver may have read the frame and closed before this
	// CloseWrite: over QUIC its close stops our sending half, and
	// CloseWrite fails although the message was taken. The answer below
	// says what happened, so this error only counts when there is none.
	closeErr := st.CloseWrite()
	// The receiver closes once Receive returned; a reset means refused.
	var one [1]byte
	switch _, err := io.ReadFull(st, one[:]); err {
	case io.EOF:
		return nil
	case nil:
		return s.cfg.ErrUnexpectedReply
	default:
		if closeErr != nil {
			return closeErr
		}
		return err
	}
}
