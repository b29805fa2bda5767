package impair

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
	"time"

	"hearth/media/call"
	"hearth/media/device"
)

// Session is a call from A to B through the lab's relay, with synthetic
// media at 640x480@30 and a tone both ways.
type Session struct {
	Lab            *Lab
	Relay          *Relay
	NetA, NetB     *Net
	Caller, Callee *call.Call
	AtA, AtB       *Probe // what each side receives
	inboxA, inboxB *inbox
	answered       chan error
}

// Probe records the frames one side decodes.
type Probe struct {
	mu     sync.Mutex // guards the fields below
	frames []time.Time
	widths []int
	audio  int64 // samples
}

func (p *Probe) video(img image.Image) {
	p.mu.Lock()
	p.frames = append(p.frames, time.Now())
	p.widths = append(p.widths, img.Bounds().Dx())
	p.mu.Unlock()
}

func (p *Probe) sound(pcm []int16) {
	p.mu.Lock()
	p.audio += int64(len(pcm))
	p.mu.Unlock()
}

// Frames returns the number of frames decoded in [from, to).
func (p *Probe) Frames(from, to time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, t := range p.frames {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}

// LastWidth is the width of the last frame decoded (0 before any).
func (p *Probe) LastWidth() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.widths) == 0 {
		return 0
	}
	return p.widths[len(p.widths)-1]
}

// FreezeGap is how long the picture must stand still to count as frozen
// (WebRTC's freeze metric uses max(3 frame times, frame time + 150 ms);
// at 30 fps and 15 fps both are below this).
const FreezeGap = 200 * time.Millisecond

// Frozen returns how long in [from, to) the picture stood still for more
// than FreezeGap, and how many such freezes began.
func (p *Probe) Frozen(from, to time.Time) (time.Duration, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	last := from
	var frozen time.Duration
	n := 0
	for _, t := range append(append([]time.Time(nil), p.frames...), to) {
		if t.Before(from) {
			continue
		}
		if t.After(to) {
			t = to
		}
		if gap := t.Sub(last); gap > FreezeGap {
			frozen += gap
			n++
		}
		last = t
		if !t.Before(to) {
			break
		}
	}
	return frozen, n
}

// AudioSamples is the number of 48 kHz samples decoded so far.
func (p *Probe) AudioSamples() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.audio
}

// inbox delivers signals to one side in order, rewriting SDPs so that the
// other side is reached through the relay.
type inbox struct {
	queue chan call.Signal
	done  chan struct{}
	mu    sync.Mutex
	c     *call.Call
	held  []call.Signal
	offer func(call.Signal)
}

func newInbox() *inbox {
	in := &inbox{queue: make(chan call.Signal, 64), done: make(chan struct{})}
	go func() {
		defer close(in.done)
		for s := range in.queue {
			in.mu.Lock()
			c := in.c
			if c == nil && s.Kind != call.SignalOffer {
				in.held = append(in.held, s)
				in.mu.Unlock()
				continue
			}
			in.mu.Unlock()
			if c == nil {
				if in.offer != nil {
					in.offer(s)
				}
				continue
			}
			_ = c.HandleSignal(s)
		}
	}()
	return in
}

func (in *inbox) set(c *call.Call) {
	in.mu.Lock()
	in.c = c
	held := in.held
	in.held = nil
	in.mu.Unlock()
	for _, s := range held {
		_ = c.HandleSignal(s)
	}
}

func (in *inbox) close() {
	close(in.queue)
	<-in.done
}

// toSide is the Signaler of one side: it rewrites the SDP it sends so
// that its peer reaches it through the relay.
type toSide struct {
	to    *inbox
	ownIP string
	via   func() (*Relay, bool) // relay, and whether the sender is A
}

func (s toSide) SendSignal(ctx context.Context, sig call.Signal) error {
	if sig.SDP != "" {
		r, fromA := s.via()
		via := r.AddrB() // B reaches A at the relay's B side
		if !fromA {
			via = r.AddrA()
		}
		sdp, real, err := Rewrite(sig.SDP, s.ownIP, via)
		if err != nil {
			return err
		}
		if fromA {
			r.SetPeers(real, nil)
		} else {
			r.SetPeers(nil, real)
		}
		sig.SDP = sdp
	}
	select {
	case s.to.queue <- sig:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Start builds a lab (namespaces, relay) and calls from A to B over a
// link in condition c (clean when c is a step: Run makes the step). Close
// the Session whatever happens; Start cleans up after itself on error.
func Start(seed uint64, c Condition) (*Session, error) {
	lab, err := NewLab()
	if err != nil {
		return nil, err
	}
	s := &Session{Lab: lab, AtA: &Probe{}, AtB: &Probe{}, answered: make(chan error, 1)}
	if s.Relay, err = lab.NewRelay(seed); err != nil {
		s.Close()
		return nil, err
	}
	if c.StepAfter == 0 {
		s.Relay.Set(c.Link, c.Link)
		err = lab.SetCap(c.Cap)
	}
	if err == nil {
		s.NetA, err = NewNet(lab.A)
	}
	if err == nil {
		s.NetB, err = NewNet(lab.B)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	s.inboxA, s.inboxB = newInbox(), newInbox()
	relay := func(fromA bool) func() (*Relay, bool) { return func() (*Relay, bool) { return s.Relay, fromA } }
	media := device.Options{Fake: true, Width: 640, Height: 480, FrameRate: 30}
	s.inboxB.offer = func(offer call.Signal) {
		c, err := call.Answer(context.Background(), call.Config{
			Signaler: toSide{to: s.inboxA, ownIP: lab.AddrB, via: relay(false)},
			Media:    media, Net: s.NetB,
			OnRemoteVideo: s.AtB.video, OnRemoteAudio: s.AtB.sound,
		}, offer)
		if err == nil {
			s.Callee = c
			s.inboxB.set(c)
		}
		s.answered <- err
	}
	caller, err := call.Dial(context.Background(), call.Config{
		CallID:   fmt.Sprintf("impair-%d", time.Now().UnixNano()),
		Signaler: toSide{to: s.inboxB, ownIP: lab.AddrA, via: relay(true)},
		Media:    media, Net: s.NetA,
		OnRemoteVideo: s.AtA.video, OnRemoteAudio: s.AtA.sound,
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("dialling: %w", err)
	}
	s.Caller = caller
	s.inboxA.set(caller)
	select {
	case err = <-s.answered:
	case <-time.After(30 * time.Second):
		err = errors.New("no answer within 30 s")
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("answering: %w", err)
	}
	return s, nil
}

// WaitMedia waits until both sides decode video.
func (s *Session) WaitMedia(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if s.AtA.Frames(time.Time{}, time.Now()) > 0 && s.AtB.Frames(time.Time{}, time.Now()) > 0 {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no video both ways within %v", timeout)
}

// Close hangs up, stops the relay and removes the namespaces.
func (s *Session) Close() {
	if s.Caller != nil {
		s.Caller.Hangup()
	}
	if s.Callee != nil {
		s.Callee.Hangup()
	}
	if s.inboxA != nil {
		s.inboxA.close()
		s.inboxB.close()
	}
	if s.Relay != nil {
		s.Relay.Close()
	}
	s.Lab.Close()
}
