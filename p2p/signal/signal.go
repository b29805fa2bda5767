package signal

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/signal/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.signal"
	// MaxFrame bounds a signal frame; SDP offers are a few KiB.
	MaxFrame = 64 << 10
	// DefaultTimeout bounds one update, both ways.
	DefaultTimeout = 10 * time.Second
)

// Config holds the callbacks of a Service.
type Config struct {
	// Allow reports whether a peer may signal us; nil allows everyone.
	// app/core passes "is an accepted contact".
	Allow func(peer.ID) bool
	// OnSignal receives a signal. It is called on the stream's
	// goroutine and the sender waits for it to return, so it should hand
	// slow work to another goroutine.
	OnSignal func(from peer.ID, p wire.Signal)
	// Timeout bounds one signal (reading it, or sending it when the
	// caller's context has no earlier deadline). 0 means DefaultTimeout.
	Timeout time.Duration
}

// Service is the signalling protocol on one host.
type Service struct {
	h   host.Host
	cfg Config
	wg  sync.WaitGroup // inbound handlers running

	// fields below protected by mu
	mu     sync.Mutex
	closed bool
	live   map[network.Stream]struct{} // reset by Close
}

// New registers the signalling protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	s := &Service{h: h, cfg: cfg, live: make(map[network.Stream]struct{})}
	h.SetStreamHandler(ID, s.handle)
	return s
}

// Close removes the handler, resets open streams and waits for inbound
// handlers to return.
func (s *Service) Close() error {
	s.h.RemoveStreamHandler(ID)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	live := make([]network.Stream, 0, len(s.live))
	for st := range s.live {
		live = append(live, st)
	}
	s.mu.Unlock()
	for _, st := range live {
		st.Reset()
	}
	s.wg.Wait()
	return nil
}

func (s *Service) track(st network.Stream, inbound bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.live[st] = struct{}{}
	if inbound {
		s.wg.Add(1)
	}
	return true
}

func (s *Service) untrack(st network.Stream, inbound bool) {
	s.mu.Lock()
	delete(s.live, st)
	s.mu.Unlock()
	if inbound {
		s.wg.Done()
	}
}

func (s *Service) handle(st network.Stream) {
	from := st.Conn().RemotePeer()
	if s.cfg.Allow != nil && !s.cfg.Allow(from) {
		st.Reset()
		return
	}
	if !s.track(st, true) {
		st.Reset()
		return
	}
	defer s.untrack(st, true)
	if err := st.Scope().SetService(ServiceName); err != nil {
		st.Reset()
		return
	}
	st.SetDeadline(time.Now().Add(s.cfg.Timeout))
	b, err := wire.ReadFrame(bufio.NewReader(st), MaxFrame)
	if err != nil {
		st.Reset()
		return
	}
	var sig wire.Signal
	if sig.Unmarshal(b) != nil || sig.Validate() != nil {
		st.Reset()
		return
	}
	if s.cfg.OnSignal != nil {
		s.cfg.OnSignal(from, sig)
	}
	st.Close()
}

// Send sends sig to p and returns once p's OnSignal has returned. Signals
// sent one after another by one goroutine arrive in order.
func (s *Service) Send(ctx context.Context, p peer.ID, sig wire.Signal) error {
	if err := sig.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if n := len(sig.Marshal()); n > MaxFrame {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrInvalid, n, MaxFrame)
	}
	st, err := s.h.NewStream(ctx, p, ID)
	if err != nil {
		return fmt.Errorf("opening signal stream: %w", err)
	}
	if !s.track(st, false) {
		st.Reset()
		return ErrClosed
	}
	defer s.untrack(st, false)
	if err := s.exchange(ctx, st, sig); err != nil {
		st.Reset()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return fmt.Errorf("sending signal: %w", err)
	}
	st.Close()
	return nil
}

func (s *Service) exchange(ctx context.Context, st network.Stream, sig wire.Signal) error {
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	if err := st.Scope().SetService(ServiceName); err != nil {
		return err
	}
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	st.SetDeadline(deadline)
	if err := wire.WriteFrame(st, sig.Marshal()); err != nil {
		return err
	}
	if err := st.CloseWrite(); err != nil {
		return err
	}
	// The receiver closes once OnSignal returned; a reset means refused.
	var one [1]byte
	switch _, err := io.ReadFull(st, one[:]); err {
	case io.EOF:
		return nil
	case nil:
		return ErrUnexpectedReply
	default:
		return err
	}
}
