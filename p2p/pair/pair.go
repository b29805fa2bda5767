package pair

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/time/rate"

	"hearth/p2p/internal/service"
	"hearth/p2p/pake"
	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/pair/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.pair"
	// MaxFrame bounds every pairing frame.
	MaxFrame = 1 << 10
	// DefaultTimeout bounds one whole pairing exchange.
	DefaultTimeout = 20 * time.Second
	// DefaultTTL is how long a code waits for someone to type it.
	DefaultTTL = 10 * time.Minute
)

// Defaults for Config's zero values: pairing streams are rate-limited as a
// whole (a code allows one attempt anyway; this bounds the work strangers
// can cause).
var (
	DefaultRate  = rate.Every(time.Second)
	DefaultBurst = 5
)

// Config holds the callbacks and limits of a Service.
type Config struct {
	// Name returns my display name, sent to the other side (authenticated
	// by the PAKE key).
	Name func() string
	// Accept runs on the waiting side once the other side proved it holds
	// the code, before it is told so: make it a contact here. An error
	// refuses; the other side sees ErrInterrupted.
	Accept func(from peer.ID, name string) error
	// Ended runs on the waiting side when its code is used up: nil after a
	// pairing (after Accept), ErrWrongCode, ErrInterrupted or ErrExpired.
	// It does not run after Cancel, Wait with a new code, or Close. from is
	// empty for ErrExpired.
	Ended func(c Code, from peer.ID, err error)

	Rate    rate.Limit
	Burst   int
	Timeout time.Duration // one exchange; 0 means DefaultTimeout
	TTL     time.Duration // a code's life; 0 means DefaultTTL
}

// Service is the pairing protocol on one host.
type Service struct {
	h       host.Host
	cfg     Config
	lim     *rate.Limiter
	dropped atomic.Uint64
	streams *service.Streams

	mu     sync.Mutex // guards the fields below
	cur    *waiting   // the code I show, nil when none
	closed bool
}

// waiting is one code on the waiting side.
type waiting struct {
	code    Code
	timer   *time.Timer
	claimed bool // an attempt started: nobody else may use the code
}

// New registers the pairing protocol on h.
func New(h host.Host, cfg Config) *Service {
	if cfg.Rate <= 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Name == nil {
		cfg.Name = func() string { return "" }
	}
	s := &Service{
		h:       h,
		cfg:     cfg,
		lim:     rate.NewLimiter(cfg.Rate, cfg.Burst),
		streams: service.New(h, ID, ServiceName),
	}
	s.streams.Handle(s.allow, s.handle)
	return s
}

// Wait makes c the code this node waits for, replacing any earlier one,
// until it is used, expires (Config.TTL) or is cancelled.
func (s *Service) Wait(c Code) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.cancelLocked()
	w := &waiting{code: c}
	w.timer = time.AfterFunc(s.cfg.TTL, func() { s.expire(w) })
	s.cur = w
	return nil
}

// Cancel forgets the code this node waits for, if any. An attempt already
// running finishes.
func (s *Service) Cancel() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancelLocked()
}

func (s *Service) cancelLocked() {
	if s.cur != nil {
		s.cur.timer.Stop()
		s.cur = nil
	}
}

// Waiting reports the code this node waits for.
func (s *Service) Waiting() (Code, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return Code{}, false
	}
	return s.cur.code, true
}

// Dropped is the number of streams refused by the rate limit.
func (s *Service) Dropped() uint64 { return s.dropped.Load() }

// Close cancels the code, removes the handler, resets open streams and
// waits for inbound handlers to return.
func (s *Service) Close() error {
	s.mu.Lock()
	s.closed = true
	s.cancelLocked()
	s.mu.Unlock()
	return s.streams.Close()
}

func (s *Service) expire(w *waiting) {
	s.mu.Lock()
	mine := s.cur == w && !w.claimed && !s.closed
	if mine {
		s.cur = nil
	}
	s.mu.Unlock()
	if mine && s.cfg.Ended != nil {
		s.cfg.Ended(w.code, "", ErrExpired)
	}
}

// allow: without a code there is nothing to talk about; with one, the rate
// limit applies.
func (s *Service) allow(peer.ID) bool {
	s.mu.Lock()
	open := s.cur != nil && !s.cur.claimed
	s.mu.Unlock()
	if !open {
		return false
	}
	if !s.lim.Allow() {
		s.dropped.Add(1)
		return false
	}
	return true
}

// claim takes the waiting code for one attempt if the nameplate matches.
func (s *Service) claim(nameplate uint32) *waiting {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.cur
	if w == nil || w.claimed || uint32(w.code.Nameplate) != nameplate {
		return nil
	}
	w.claimed = true
	w.timer.Stop()
	return w
}

// spend ends an attempt: the code is gone whatever the outcome.
func (s *Service) spend(w *waiting, from peer.ID, err error) {
	s.mu.Lock()
	if s.cur == w {
		s.cur = nil
	}
	s.mu.Unlock()
	if s.cfg.Ended != nil {
		s.cfg.Ended(w.code, from, err)
	}
}

// handle is the waiting (responder) side.
func (s *Service) handle(st network.Stream, from peer.ID) {
	st.SetDeadline(time.Now().Add(s.cfg.Timeout))
	r := bufio.NewReader(st)
	var hello wire.PairHello
	if err := readMsg(r, &hello); err != nil || hello.Validate() != nil {
		st.Reset()
		return
	}
	w := s.claim(hello.Nameplate)
	if w == nil {
		st.Reset()
		return
	}
	err := s.respond(st, r, from, w.code, hello)
	if err != nil {
		st.Reset()
	} else {
		st.Close()
	}
	s.spend(w, from, err)
}

func (s *Service) respond(st network.Stream, r *bufio.Reader, from peer.ID, c Code, hello wire.PairHello) error {
	ps, err := pake.Start(pake.Responder, c.Password(), channelID(from, s.h.ID()), hello.SID, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	k, err := ps.Finish(hello.Point, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	name := s.cfg.Name()
	reply := wire.PairReply{Point: ps.Message(), Name: name, Confirm: k.Confirm([]byte(name))}
	if err := wire.WriteFrame(st, reply.Marshal()); err != nil {
		return fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	var conf wire.PairConfirm
	if err := readMsg(r, &conf); err != nil {
		return fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	if err := conf.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	if len(conf.Confirm) == 0 {
		return ErrWrongCode // the other side says my tag did not verify
	}
	if k.Verify(conf.Confirm, []byte(conf.Name)) != nil {
		return ErrWrongCode
	}
	if s.cfg.Accept != nil {
		if err := s.cfg.Accept(from, conf.Name); err != nil {
			return fmt.Errorf("%w: %v", ErrInterrupted, err)
		}
	}
	// Should this write fail, the other side does not learn it was
	// accepted; it is my contact now all the same and can still reach me.
	wire.WriteFrame(st, wire.PairResult{Status: wire.PairPaired}.Marshal())
	return nil
}

// Pair is the typing (initiator) side: it runs the code against the node p
// and returns p's display name once both sides confirmed. ErrNotWaiting
// means p has no code with that number open (a wrong node, or the code is
// gone); ErrWrongCode that the codes differ (p's code is spent).
func (s *Service) Pair(ctx context.Context, p peer.ID, c Code) (string, error) {
	st, err := s.h.NewStream(ctx, p, ID)
	if err != nil {
		return "", fmt.Errorf("opening pairing stream: %w", err)
	}
	if !s.streams.Track(st, false) {
		st.Reset()
		return "", ErrClosed
	}
	defer s.streams.Untrack(st, false)
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	name, err := s.initiate(ctx, st, p, c)
	if err != nil {
		st.Reset()
		if ctx.Err() != nil && !errors.Is(err, ErrWrongCode) {
			err = fmt.Errorf("%w: %v", ErrInterrupted, ctx.Err())
		}
		return "", err
	}
	st.Close()
	return name, nil
}

func (s *Service) initiate(ctx context.Context, st network.Stream, p peer.ID, c Code) (string, error) {
	if err := st.Scope().SetService(ServiceName); err != nil {
		return "", err
	}
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	st.SetDeadline(deadline)
	sid := make([]byte, wire.PairSIDLen)
	if _, err := rand.Read(sid); err != nil {
		return "", err
	}
	ps, err := pake.Start(pake.Initiator, c.Password(), channelID(s.h.ID(), p), sid, nil)
	if err != nil {
		return "", err
	}
	hello := wire.PairHello{Nameplate: uint32(c.Nameplate), SID: sid, Point: ps.Message()}
	if err := wire.WriteFrame(st, hello.Marshal()); err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotWaiting, err)
	}
	r := bufio.NewReader(st)
	var reply wire.PairReply
	if err := readMsg(r, &reply); err != nil {
		// A reset before any reply: no code with this number open there.
		return "", fmt.Errorf("%w: %v", ErrNotWaiting, err)
	}
	if err := reply.Validate(); err != nil {
		return "", fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	k, err := ps.Finish(reply.Point, nil)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	if k.Verify(reply.Confirm, []byte(reply.Name)) != nil {
		// Tell the other side plainly, so it shows the same message.
		wire.WriteFrame(st, wire.PairConfirm{}.Marshal())
		st.CloseWrite()
		io.Copy(io.Discard, io.LimitReader(st, MaxFrame)) // until it closes
		return "", ErrWrongCode
	}
	me := s.cfg.Name()
	if err := wire.WriteFrame(st, wire.PairConfirm{Name: me, Confirm: k.Confirm([]byte(me))}.Marshal()); err != nil {
		return "", fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	st.CloseWrite()
	var res wire.PairResult
	if err := readMsg(r, &res); err != nil {
		return "", fmt.Errorf("%w: %v", ErrInterrupted, err)
	}
	if res.Status != wire.PairPaired {
		return "", fmt.Errorf("%w: status %d", ErrInterrupted, res.Status)
	}
	return reply.Name, nil
}

// channelID binds a run to both peer IDs, initiator first: a node in the
// middle has a different ID and so a different generator.
func channelID(initiator, responder peer.ID) []byte {
	b := []byte("hearth/pair/1")
	for _, id := range []peer.ID{initiator, responder} {
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
	}
	return b
}

type decoder interface{ Unmarshal([]byte) error }

func readMsg(r *bufio.Reader, m decoder) error {
	b, err := wire.ReadFrame(r, MaxFrame)
	if err != nil {
		return err
	}
	return m.Unmarshal(b)
}
