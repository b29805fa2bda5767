// Package calls is the core's side of 1:1 calls: it rings and answers
// through the signal protocol (p2p/signal), runs one media/call.Call per
// call, and tells the UI through events (IncomingCall, CallConnected,
// CallEnded). One call runs at a time; a second offer gets Busy.
package calls

import (
	"context"
	"image"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/media/call"
	"hearth/media/device"
	"hearth/p2p/signal"
	"hearth/p2p/wire"
)

// RingTimeout is how long a call rings before it counts as missed.
var RingTimeout = 45 * time.Second

// Call is one running call as the call window drives it.
type Call interface {
	ID() string
	PeerID() string
	// MediaNotice says what stands in for a missing device, e.g.
	// "No camera found: sending a synthetic test picture". Empty when real
	// devices are in use.
	MediaNotice() string
	// SetVideoSinks registers where decoded remote frames and local preview
	// frames go. The functions are called from media goroutines.
	SetVideoSinks(remote, local func(image.Image))
	SetMuted(bool)
	SetCameraOff(bool)
	Hangup()
	// Live reports the other side's mute and camera, and the connection's
	// quality; the window reads it about once a second.
	Live() Live
}

// Config tunes calls beyond the shared deps.
type Config struct {
	// FakeMedia sends synthetic video and audio even when devices exist.
	FakeMedia bool
	// Loopback keeps media on 127.0.0.1 (tests, benchmarks).
	Loopback bool
	// Busy reports whether I chose Busy: offers are then answered Busy
	// and do not ring.
	Busy func() bool
}

// Calls owns the running call and the offers ringing here.
type Calls struct {
	d   *base.Deps
	cfg Config
	sig *signal.Service

	ring ringer // the ringtone while an offer rings here

	mu     sync.Mutex // guards the fields below
	calls  map[string]*session
	offers map[string]pendingOffer
	closed bool
}

// pendingOffer is a call ringing here, not yet answered.
type pendingOffer struct {
	from  peer.ID
	offer call.Signal
	at    time.Time
}

// New registers the signal protocol for accepted contacts.
func New(d *base.Deps, cfg Config) *Calls {
	c := &Calls{d: d, cfg: cfg, calls: map[string]*session{}, offers: map[string]pendingOffer{}}
	c.sig = signal.New(d.Host, signal.Config{Allow: d.Book.IsAccepted, OnSignal: c.onSignal})
	return c
}

// Close hangs up every call, refuses new ones and stops the protocol.
func (c *Calls) Close() {
	c.mu.Lock()
	c.closed = true
	running := make([]*session, 0, len(c.calls))
	for _, s := range c.calls {
		running = append(running, s)
	}
	c.mu.Unlock()
	for _, s := range running {
		s.Hangup()
	}
	c.ring.halt()
	c.sig.Close()
}

// StartCall rings a contact.
func (c *Calls) StartCall(peerID string) (Call, error) {
	id, err := peer.Decode(peerID)
	if err != nil || !c.d.Book.IsAccepted(id) {
		return nil, book.ErrNotContact
	}
	if !c.d.Connected(id) {
		return nil, ErrOffline
	}
	s := &session{owner: c, id: base.NewID(), peer: id}
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return nil, ErrNoSuchCall
	case len(c.calls) > 0 || len(c.offers) > 0:
		c.mu.Unlock()
		return nil, ErrInCall
	}
	c.calls[s.id] = s
	c.mu.Unlock()
	ctx, cancel := c.d.Timeout(20 * time.Second)
	defer cancel()
	cl, err := call.Dial(ctx, s.config())
	if err != nil {
		s.finish("Could not start the call")
		return nil, err
	}
	if !s.setCall(cl) {
		return nil, ErrNoSuchCall
	}
	c.d.Go(func() {
		select {
		case <-cl.Done():
		case <-c.d.Ctx().Done():
		case <-time.After(RingTimeout):
			// Only a call still ringing counts as unanswered; one being
			// connected after a late answer goes on.
			if st, _ := cl.State(); st == call.New || st == call.Ringing {
				s.finish("No answer")
				cl.Hangup()
			}
		}
	})
	return s, nil
}

// InCall reports whether a call is running.
func (c *Calls) InCall() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.calls) > 0
}

// AcceptCall answers a ringing call.
func (c *Calls) AcceptCall(callID string) (Call, error) {
	c.mu.Lock()
	o, ok := c.offers[callID]
	if !ok || c.closed {
		c.mu.Unlock()
		return nil, ErrNoSuchCall
	}
	// The offer becomes a session in one step, so a hang-up arriving now
	// finds one or the other.
	delete(c.offers, callID)
	s := &session{owner: c, id: callID, peer: o.from}
	c.calls[s.id] = s
	c.mu.Unlock()
	c.ring.halt()
	ctx, cancel := c.d.Timeout(20 * time.Second)
	defer cancel()
	cl, err := call.Answer(ctx, s.config(), o.offer)
	if err != nil {
		s.finish("Could not answer the call")
		return nil, err
	}
	if !s.setCall(cl) {
		return nil, ErrNoSuchCall
	}
	return s, nil
}

// DeclineCall refuses a ringing call.
func (c *Calls) DeclineCall(callID string) error {
	c.mu.Lock()
	o, ok := c.offers[callID]
	delete(c.offers, callID)
	c.mu.Unlock()
	if !ok {
		return ErrNoSuchCall
	}
	c.ring.halt()
	ctx, cancel := c.d.Timeout(5 * time.Second)
	defer cancel()
	return c.sig.Send(ctx, o.from, wire.Signal{Kind: wire.SignalDecline, CallID: callID})
}

// EndWith hangs up calls with id and stops their calls ringing here (id
// was blocked or removed).
func (c *Calls) EndWith(id peer.ID) {
	c.mu.Lock()
	var sessions []*session
	for _, s := range c.calls {
		if s.peer == id {
			sessions = append(sessions, s)
		}
	}
	var rung []string
	for cid, o := range c.offers {
		if o.from == id {
			delete(c.offers, cid)
			rung = append(rung, cid)
		}
	}
	c.mu.Unlock()
	for _, s := range sessions {
		s.Hangup()
	}
	for _, cid := range rung {
		c.ring.halt()
		c.d.Publish(event.CallEnded{CallID: cid, Reason: "Call ended"})
	}
}

// forget drops an ended session.
func (c *Calls) forget(id string) {
	c.mu.Lock()
	delete(c.calls, id)
	c.mu.Unlock()
}

// onSignal routes call signalling from a contact.
func (c *Calls) onSignal(from peer.ID, w wire.Signal) {
	s, ok := fromWire(w)
	if !ok || s.CallID == "" {
		return
	}
	busyByChoice := c.cfg.Busy != nil && c.cfg.Busy()
	c.mu.Lock()
	sess := c.calls[s.CallID]
	_, ringing := c.offers[s.CallID]
	busy := len(c.calls) > 0 || len(c.offers) > 0 || busyByChoice
	if sess == nil && !ringing && !busy && s.Kind == call.SignalOffer && !c.closed {
		// Check and insert in one step: two offers at once ring once.
		c.offers[s.CallID] = pendingOffer{from: from, offer: s, at: time.Now()}
	}
	c.mu.Unlock()
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
			c.d.Go(func() {
				ctx, cancel := c.d.Timeout(5 * time.Second)
				defer cancel()
				c.sig.Send(ctx, from, wire.Signal{Kind: wire.SignalBusy, CallID: s.CallID})
			})
			return
		}
		c.d.Go(func() { c.expireOffer(s.CallID) })
		ct, _ := c.d.Book.Get(from)
		c.d.Publish(event.IncomingCall{CallID: s.CallID, PeerID: from.String(), Name: book.DisplayName(ct)})
		if !c.cfg.Loopback { // tests and benchmarks ring silently
			c.ring.start(device.Ring)
		}
	case call.SignalHangup, call.SignalDecline:
		// The caller gave up before I answered.
		c.mu.Lock()
		o, ok := c.offers[s.CallID]
		ok = ok && o.from == from
		if ok {
			delete(c.offers, s.CallID)
		}
		c.mu.Unlock()
		if ok {
			c.ring.halt()
			c.d.Publish(event.CallEnded{CallID: s.CallID, Reason: "Missed call"})
		}
	}
}

// expireOffer stops a call ringing here when nobody answered in time.
func (c *Calls) expireOffer(callID string) {
	select {
	case <-c.d.Ctx().Done():
		return
	case <-time.After(RingTimeout):
	}
	c.mu.Lock()
	_, ringing := c.offers[callID]
	delete(c.offers, callID)
	c.mu.Unlock()
	if ringing {
		c.ring.halt()
		c.d.Publish(event.CallEnded{CallID: callID, Reason: "Missed call"})
	}
}

// signaler carries one call's signals over the libp2p signal protocol.
type signaler struct {
	sig *signal.Service
	to  peer.ID
}

func (g signaler) SendSignal(ctx context.Context, s call.Signal) error {
	return g.sig.Send(ctx, g.to, toWire(s))
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

// ringer plays the ringtone while a call rings here. Offers ring one at a
// time (a second one is answered Busy), so any offer leaving the ringing
// state stops it. While I am Busy offers never ring, so it never starts.
type ringer struct {
	mu   sync.Mutex // guards stop
	stop func()
}

func (r *ringer) start(play func() (stop func())) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stop == nil {
		r.stop = play()
	}
}

func (r *ringer) halt() {
	r.mu.Lock()
	stop := r.stop
	r.stop = nil
	r.mu.Unlock()
	if stop != nil {
		stop()
	}
}
