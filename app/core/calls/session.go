package calls

import (
	"image"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/event"
	"hearth/media/call"
	"hearth/media/device"
)

// session is one call as the UI sees it (it implements Call).
type session struct {
	owner  *Calls
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

	lmu      sync.Mutex // guards the fields below: the last Live reading
	lastRead time.Time
	lastStat call.Stats
}

// Live compares the call's stats with the last reading.
func (s *session) Live() Live {
	c := s.call()
	if c == nil {
		return Live{}
	}
	st, now := c.Stats(), time.Now()
	s.lmu.Lock()
	defer s.lmu.Unlock()
	l := liveFrom(s.lastStat, st, now.Sub(s.lastRead))
	s.lastStat, s.lastRead = st, now
	return l
}

func (s *session) ID() string     { return s.id }
func (s *session) PeerID() string { return s.peer.String() }

func (s *session) MediaNotice() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil {
		return ""
	}
	return s.c.Notice()
}

func (s *session) SetVideoSinks(remote, local func(image.Image)) {
	s.remote.Store(&remote)
	s.local.Store(&local)
}

func (s *session) SetMuted(b bool) {
	if c := s.call(); c != nil {
		c.SetMuted(b)
	}
}

func (s *session) SetCameraOff(b bool) {
	if c := s.call(); c != nil {
		c.SetCameraOff(b)
	}
}

func (s *session) Hangup() {
	if c := s.call(); c != nil {
		c.Hangup()
	}
	s.finish(call.ReasonHungUp)
}

func (s *session) call() *call.Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

// handle passes a signal to the call, or keeps it until the call exists.
func (s *session) handle(sig call.Signal) {
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

// setCall installs the call and replays signals that came early. When the
// session ended meanwhile (Close, a hang-up) it hangs the new call up and
// reports false, so no camera stays on for a call nobody holds.
func (s *session) setCall(c *call.Call) bool {
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
func (s *session) Stats() call.Stats {
	if c := s.call(); c != nil {
		return c.Stats()
	}
	return call.Stats{}
}

// finish forgets the call and tells the UI once.
func (s *session) finish(reason string) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	s.mu.Unlock()
	s.owner.forget(s.id)
	s.owner.d.Publish(event.CallEnded{CallID: s.id, Reason: reason, ByMe: reason == call.ReasonHungUp})
}

func (s *session) config() call.Config {
	o := s.owner
	return call.Config{
		CallID:   s.id,
		Signaler: signaler{sig: o.sig, to: s.peer},
		Media: device.Options{Fake: o.cfg.FakeMedia, NoAudioProcessing: !o.AudioProcessing(),
			Camera: o.ChosenDevice(Camera), Microphone: o.ChosenDevice(Microphone)},
		Speaker: o.ChosenDevice(Speaker),
		// With the node on loopback (tests, benchmarks) media stays there too.
		LoopbackOnly: o.cfg.Loopback,
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
				o.d.Publish(event.CallConnected{CallID: s.id})
			case call.Ended:
				o.d.Go(func() { s.finish(reason) })
			}
		},
	}
}
