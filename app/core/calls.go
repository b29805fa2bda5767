package core

import (
	"context"
	"image"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/media/call"
	"hearth/media/device"
	"hearth/p2p/wire"
)

// RingTimeout is how long a call rings before it counts as missed.
var RingTimeout = 45 * time.Second

// pendingOffer is a call ringing here, not yet answered.
type pendingOffer struct {
	from  peer.ID
	offer call.Signal
	at    time.Time
}

// callSession is one call as the UI sees it (it implements Call).
type callSession struct {
	m      *Messenger
	id     string
	peer   peer.ID
	remote atomic.Pointer[func(image.Image)]
	local  atomic.Pointer[func(image.Image)]

	mu sync.Mutex // guards c, early and ended
	c  *call.Call
	// early holds signals that arrived before Dial returned (the answer can
	// beat it); they are replayed once c is set.
	early []call.Signal
	// ended is set once CallEnded was published.
	ended bool
}

func (s *callSession) ID() string     { return s.id }
func (s *callSession) PeerID() string { return s.peer.String() }

func (s *callSession) MediaNotice() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil {
		return ""
	}
	return s.c.Notice()
}

func (s *callSession) SetVideoSinks(remote, local func(image.Image)) {
	s.remote.Store(&remote)
	s.local.Store(&local)
}

func (s *callSession) SetMuted(b bool) {
	if c := s.call(); c != nil {
		c.SetMuted(b)
	}
}

func (s *callSession) SetCameraOff(b bool) {
	if c := s.call(); c != nil {
		c.SetCameraOff(b)
	}
}

func (s *callSession) Hangup() {
	if c := s.call(); c != nil {
		c.Hangup()
	}
	s.finish("Hung up")
}

func (s *callSession) call() *call.Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

// handle passes a signal to the call, or keeps it until the call exists.
func (s *callSession) handle(sig call.Signal) {
	s.mu.Lock()
	c := s.c
	if c == nil {
		if len(s.early) < 64 {
			s.early = append(s.early, sig)
		}
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	c.HandleSignal(sig)
}

// setCall installs the call and replays signals that came early.
// setCall installs the call and replays signals that came early. When the
// session ended meanwhile (Close, a hang-up) it hangs the new call up and
// reports false, so no camera stays on for a call nobody holds.
func (s *callSession) setCall(c *call.Call) bool {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		c.Hangup()
		return false
	}
	s.c = c
	early := s.early
	s.early = nil
	s.mu.Unlock()
	for _, sig := range early {
		c.HandleSignal(sig)
	}
	return true
}

// Stats reports media counters (tests and benchmarks read them).
func (s *callSession) Stats() call.Stats {
	if c := s.call(); c != nil {
		return c.Stats()
	}
	return call.Stats{}
}

// finish forgets the call and tells the UI once.
func (s *callSession) finish(reason string) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	s.mu.Unlock()
	s.m.mu.Lock()
	delete(s.m.calls, s.id)
	s.m.mu.Unlock()
	s.m.publish(CallEnded{CallID: s.id, Reason: reason, ByMe: reason == call.ReasonHungUp})
}

func (s *callSession) config() call.Config {
	return call.Config{
		CallID:   s.id,
		Signaler: signaler{m: s.m, to: s.peer},
		Media:    device.Options{Fake: s.m.opts.FakeMedia},
		// With the node on loopback (tests, benchmarks) media stays there too.
		LoopbackOnly: s.m.opts.Loopback,
		OnRemoteVideo: func(img image.Image) {
			if f := s.remote.Load(); f != nil && *f != nil {
				(*f)(img)
			}
		},
		OnLocalVideo: func(img image.Image) {
			if f := s.local.Load(); f != nil && *f != nil {
				(*f)(img)
			}
		},
		OnState: func(st call.State, reason string) {
			switch st {
			case call.Connected:
				s.m.publish(CallConnected{CallID: s.id})
			case call.Ended:
				s.m.spawn(func() { s.finish(reason) })
			}
		},
	}
}

// signaler carries one call's signals over the libp2p signal protocol.
type signaler struct {
	m  *Messenger
	to peer.ID
}

func (g signaler) SendSignal(ctx context.Context, s call.Signal) error {
	return g.m.sig.Send(ctx, g.to, toWire(s))
}

var kindsToWire = map[call.SignalKind]uint32{
	call.SignalOffer:     wire.SignalOffer,
	call.SignalAnswer:    wire.SignalAnswer,
	call.SignalCandidate: wire.SignalCandidate,
	call.SignalDecline:   wire.SignalDecline,
	call.SignalHangup:    wire.SignalHangup,
	call.SignalBusy:      wire.SignalBusy,
	call.SignalRinging:   wire.SignalRinging,
}

func toWire(s call.Signal) wire.Signal {
	return wire.Signal{Kind: kindsToWire[s.Kind], CallID: s.CallID, SDP: s.SDP, Candidate: s.Candidate}
}

func fromWire(w wire.Signal) (call.Signal, bool) {
	for k, v := range kindsToWire {
		if v == w.Kind {
			return call.Signal{Kind: k, CallID: w.CallID, SDP: w.SDP, Candidate: w.Candidate}, true
		}
	}
	return call.Signal{}, false
}

// StartCall rings a contact.
func (m *Messenger) StartCall(peerID string) (Call, error) {
	id, err := peer.Decode(peerID)
	if err != nil || !m.isAccepted(id) {
		return nil, ErrNotContact
	}
	if !m.connected(id) {
		return nil, ErrOffline
	}
	s := &callSession{m: m, id: newID(), peer: id}
	m.mu.Lock()
	switch {
	case m.closed:
		m.mu.Unlock()
		return nil, ErrNoSuchCall
	case len(m.calls) > 0 || len(m.offers) > 0:
		m.mu.Unlock()
		return nil, ErrInCall
	}
	m.calls[s.id] = s
	m.mu.Unlock()
	ctx, cancel := context.WithTimeout(m.ctx, 20*time.Second)
	defer cancel()
	c, err := call.Dial(ctx, s.config())
	if err != nil {
		s.finish("Could not start the call")
		return nil, err
	}
	if !s.setCall(c) {
		return nil, ErrNoSuchCall
	}
	m.spawn(func() {
		select {
		case <-c.Done():
		case <-m.ctx.Done():
		case <-time.After(RingTimeout):
			// Only a call still ringing counts as unanswered; one being
			// connected after a late answer goes on.
			if st, _ := c.State(); st == call.New || st == call.Ringing {
				s.finish("No answer")
				c.Hangup()
			}
		}
	})
	return s, nil
}

// InCall reports whether a call is running.
func (m *Messenger) InCall() bool { return m.inCall() }

func (m *Messenger) inCall() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.calls) > 0
}

// AcceptCall answers a ringing call.
func (m *Messenger) AcceptCall(callID string) (Call, error) {
	m.mu.Lock()
	o, ok := m.offers[callID]
	if !ok || m.closed {
		m.mu.Unlock()
		return nil, ErrNoSuchCall
	}
	// The offer becomes a session in one step, so a hang-up arriving now
	// finds one or the other.
	delete(m.offers, callID)
	s := &callSession{m: m, id: callID, peer: o.from}
	m.calls[s.id] = s
	m.mu.Unlock()
	ctx, cancel := context.WithTimeout(m.ctx, 20*time.Second)
	defer cancel()
	c, err := call.Answer(ctx, s.config(), o.offer)
	if err != nil {
		s.finish("Could not answer the call")
		return nil, err
	}
	if !s.setCall(c) {
		return nil, ErrNoSuchCall
	}
	return s, nil
}

// DeclineCall refuses a ringing call.
func (m *Messenger) DeclineCall(callID string) error {
	m.mu.Lock()
	o, ok := m.offers[callID]
	delete(m.offers, callID)
	m.mu.Unlock()
	if !ok {
		return ErrNoSuchCall
	}
	ctx, cancel := context.WithTimeout(m.ctx, 5*time.Second)
	defer cancel()
	return m.sig.Send(ctx, o.from, wire.Signal{Kind: wire.SignalDecline, CallID: callID})
}

// onSignal routes call signalling from a contact.
func (m *Messenger) onSignal(from peer.ID, w wire.Signal) {
	s, ok := fromWire(w)
	if !ok || s.CallID == "" {
		return
	}
	m.mu.Lock()
	sess := m.calls[s.CallID]
	_, ringing := m.offers[s.CallID]
	busy := len(m.calls) > 0 || len(m.offers) > 0 || m.myPresence == contacts.Busy
	if sess == nil && !ringing && !busy && s.Kind == call.SignalOffer && !m.closed {
		// Check and insert in one step: two offers at once ring once.
		m.offers[s.CallID] = pendingOffer{from: from, offer: s, at: time.Now()}
	}
	m.mu.Unlock()
	if sess != nil {
		if sess.peer != from {
			return // not this caller's call
		}
		sess.handle(s)
		return
	}
	switch s.Kind {
	case call.SignalOffer:
		if ringing {
			return // a repeated offer
		}
		if busy {
			m.spawn(func() {
				ctx, cancel := context.WithTimeout(m.ctx, 5*time.Second)
				defer cancel()
				m.sig.Send(ctx, from, wire.Signal{Kind: wire.SignalBusy, CallID: s.CallID})
			})
			return
		}
		m.spawn(func() { m.expireOffer(s.CallID) })
		c, _ := m.contact(from)
		m.publish(IncomingCall{CallID: s.CallID, PeerID: from.String(), Name: displayName(c)})
	case call.SignalHangup, call.SignalDecline:
		// The caller gave up before I answered.
		m.mu.Lock()
		o, ok := m.offers[s.CallID]
		ok = ok && o.from == from
		if ok {
			delete(m.offers, s.CallID)
		}
		m.mu.Unlock()
		if ok {
			m.publish(CallEnded{CallID: s.CallID, Reason: "Missed call"})
		}
	}
}

// expireOffer stops a call ringing here when nobody answered in time.
func (m *Messenger) expireOffer(callID string) {
	select {
	case <-m.ctx.Done():
		return
	case <-time.After(RingTimeout):
	}
	m.mu.Lock()
	_, ringing := m.offers[callID]
	delete(m.offers, callID)
	m.mu.Unlock()
	if ringing {
		m.publish(CallEnded{CallID: callID, Reason: "Missed call"})
	}
}
