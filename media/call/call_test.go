package call

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hearth/media/device"
)

const testTimeout = 60 * time.Second

// endpoint is one side of an in-memory signalling channel: signals sent to
// it are delivered in order, by one goroutine, to its Call, or held until
// the Call exists (as app/core must do while Dial runs).
type endpoint struct {
	name    string
	queue   chan Signal
	done    chan struct{}
	onOffer func(Signal) // the callee's app: answer, refuse or ignore

	mu      sync.Mutex
	call    *Call
	pending []Signal
}

func newEndpoint(name string) *endpoint {
	e := &endpoint{name: name, queue: make(chan Signal, 64), done: make(chan struct{})}
	go func() {
		defer close(e.done)
		for s := range e.queue {
			e.deliver(s)
		}
	}()
	return e
}

func (e *endpoint) deliver(s Signal) {
	e.mu.Lock()
	c := e.call
	if c == nil && s.Kind != SignalOffer {
		e.pending = append(e.pending, s)
		e.mu.Unlock()
		return
	}
	e.mu.Unlock()
	if c == nil {
		if e.onOffer != nil {
			e.onOffer(s)
		}
		return
	}
	_ = c.HandleSignal(s)
}

func (e *endpoint) setCall(c *Call) {
	e.mu.Lock()
	e.call = c
	pending := e.pending
	e.pending = nil
	e.mu.Unlock()
	for _, s := range pending {
		_ = c.HandleSignal(s)
	}
}

func (e *endpoint) close() {
	close(e.queue)
	<-e.done
}

// sender is the Signaler that delivers to an endpoint.
type sender struct{ to *endpoint }

func (s sender) SendSignal(ctx context.Context, sig Signal) error {
	select {
	case s.to.queue <- sig:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// recorder collects what a Call reports through its callbacks.
type recorder struct {
	frames, samples, local atomic.Int64
	lastLuma               atomic.Int64 // mean luma of the last remote frame
	mu                     sync.Mutex
	states                 []State
	reasons                []string
	ended                  chan string
}

func newRecorder() *recorder { return &recorder{ended: make(chan string, 1)} }

func (r *recorder) config(id string, sig Signaler, w, h int) Config {
	return Config{
		CallID:   id,
		Signaler: sig,
		Media:    device.Options{Fake: true, Width: w, Height: h, FrameRate: 30},
		OnRemoteVideo: func(img image.Image) {
			r.frames.Add(1)
			if y, ok := img.(*image.YCbCr); ok && len(y.Y) > 0 {
				sum := 0
				for _, v := range y.Y {
					sum += int(v)
				}
				r.lastLuma.Store(int64(sum / len(y.Y)))
			}
		},
		OnRemoteAudio: func(pcm []int16) { r.samples.Add(int64(len(pcm))) },
		OnLocalVideo:  func(image.Image) { r.local.Add(1) },
		OnState: func(s State, reason string) {
			r.mu.Lock()
			r.states = append(r.states, s)
			r.reasons = append(r.reasons, reason)
			r.mu.Unlock()
			if s == Ended {
				r.ended <- reason
			}
		},
		LoopbackOnly: true,
	}
}

func (r *recorder) waitEnded(t testing.TB) string {
	t.Helper()
	select {
	case reason := <-r.ended:
		return reason
	case <-time.After(testTimeout):
		t.Fatal("call did not end")
		return ""
	}
}

func (r *recorder) sawState(s State) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.states {
		if x == s {
			return true
		}
	}
	return false
}

type pair struct {
	caller, callee       *Call
	callerRec, calleeRec *recorder
	a, b                 *endpoint // a: the caller's inbox, b: the callee's
	answered             chan *Call
}

// newPair dials from a to b; b answers every offer. w×h is the video size.
func newPair(t testing.TB, w, h int) *pair {
	t.Helper()
	p := &pair{callerRec: newRecorder(), calleeRec: newRecorder(), answered: make(chan *Call, 1)}
	p.a, p.b = newEndpoint("caller"), newEndpoint("callee")
	p.b.onOffer = func(offer Signal) {
		c, err := Answer(context.Background(), p.calleeRec.config("", sender{p.a}, w, h), offer)
		if err != nil {
			t.Errorf("answer: %v", err)
			close(p.answered)
			return
		}
		p.b.setCall(c)
		p.answered <- c
	}
	var err error
	id := fmt.Sprintf("call-%d", time.Now().UnixNano())
	p.caller, err = Dial(context.Background(), p.callerRec.config(id, sender{p.b}, w, h))
	if err != nil {
		t.Fatal(err)
	}
	p.a.setCall(p.caller)
	select {
	case p.callee = <-p.answered:
		if p.callee == nil {
			t.Fatal("callee failed")
		}
	case <-time.After(testTimeout):
		t.Fatal("no answer")
	}
	return p
}

func (p *pair) close() {
	if p.caller != nil {
		p.caller.Hangup()
	}
	if p.callee != nil {
		p.callee.Hangup()
	}
	p.a.close()
	p.b.close()
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkGoroutines waits for the goroutine count to come back near base.
func checkGoroutines(t *testing.T, base int) {
	t.Helper()
	const slack = 5
	deadline := time.Now().Add(30 * time.Second)
	for runtime.NumGoroutine() > base+slack {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("goroutines: %d, base %d\n%s", runtime.NumGoroutine(), base, buf[:n])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestCallCarriesMedia(t *testing.T) {
	base := runtime.NumGoroutine()
	p := newPair(t, 320, 240)

	const wantFrames, wantSamples = 60, 2 * device.SampleRate
	for _, side := range []struct {
		name string
		c    *Call
		r    *recorder
	}{{"caller", p.caller, p.callerRec}, {"callee", p.callee, p.calleeRec}} {
		waitFor(t, side.name+" media", func() bool {
			s := side.c.Stats()
			return s.VideoFramesDecoded >= wantFrames && s.AudioSamplesDecoded >= wantSamples
		})
		s := side.c.Stats()
		if side.r.frames.Load() < wantFrames || side.r.samples.Load() < wantSamples {
			t.Fatalf("%s callbacks saw %d frames, %d samples", side.name, side.r.frames.Load(), side.r.samples.Load())
		}
		if s.VideoWidth != 320 || s.VideoHeight != 240 {
			t.Fatalf("%s decoded %dx%d", side.name, s.VideoWidth, s.VideoHeight)
		}
		if side.r.local.Load() == 0 {
			t.Fatalf("%s: no local preview", side.name)
		}
		if !side.r.sawState(Connected) {
			t.Fatalf("%s never reported Connected", side.name)
		}
		if side.c.Notice() == "" {
			t.Fatalf("%s: fake media but no notice", side.name)
		}
		t.Logf("%s: %+v", side.name, s)
	}

	p.caller.Hangup()
	if reason := p.calleeRec.waitEnded(t); reason != ReasonRemoteHungUp {
		t.Fatalf("callee ended with %q", reason)
	}
	if reason := p.callerRec.waitEnded(t); reason != ReasonHungUp {
		t.Fatalf("caller ended with %q", reason)
	}
	<-p.callee.Done()
	if st, _ := p.callee.State(); st != Ended {
		t.Fatalf("callee state %v", st)
	}
	p.caller.Hangup() // idempotent
	if err := p.caller.HandleSignal(Signal{Kind: SignalAnswer, CallID: p.caller.ID()}); !errors.Is(err, ErrCallEnded) {
		t.Fatalf("signal after end: %v", err)
	}
	p.close()
	checkGoroutines(t, base)
}

func TestCalleeHangsUp(t *testing.T) {
	base := runtime.NumGoroutine()
	p := newPair(t, 160, 120)
	waitFor(t, "connected", func() bool { return p.callerRec.sawState(Connected) })
	p.callee.Hangup()
	if reason := p.callerRec.waitEnded(t); reason != ReasonRemoteHungUp {
		t.Fatalf("caller ended with %q", reason)
	}
	<-p.caller.Done()
	p.close()
	checkGoroutines(t, base)
}

func TestDecline(t *testing.T) {
	base := runtime.NumGoroutine()
	rec := newRecorder()
	a, b := newEndpoint("caller"), newEndpoint("callee")
	b.onOffer = func(offer Signal) {
		if err := Refuse(context.Background(), sender{a}, offer.CallID, SignalDecline); err != nil {
			t.Error(err)
		}
	}
	c, err := Dial(context.Background(), rec.config("declined", sender{b}, 160, 120))
	if err != nil {
		t.Fatal(err)
	}
	a.setCall(c)
	if reason := rec.waitEnded(t); reason != ReasonDeclined {
		t.Fatalf("ended with %q", reason)
	}
	c.Hangup()
	a.close()
	b.close()
	checkGoroutines(t, base)
}

func TestHangupUnanswered(t *testing.T) {
	base := runtime.NumGoroutine()
	rec := newRecorder()
	a, b := newEndpoint("caller"), newEndpoint("callee") // b never answers
	c, err := Dial(context.Background(), rec.config("unanswered", sender{b}, 160, 120))
	if err != nil {
		t.Fatal(err)
	}
	a.setCall(c)
	if st, _ := c.State(); st != Ringing {
		t.Fatalf("state %v before an answer", st)
	}
	done := make(chan struct{})
	go func() { c.Hangup(); close(done) }()
	select {
	case <-done:
	case <-time.After(testTimeout):
		t.Fatal("Hangup hung")
	}
	if reason := rec.waitEnded(t); reason != ReasonHungUp {
		t.Fatalf("ended with %q", reason)
	}
	// The callee's side got the offer, then the hangup (queued by Hangup,
	// and taken into its inbox by the endpoint's own goroutine).
	waitFor(t, "the hangup in the callee's inbox", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.pending) > 0 && b.pending[len(b.pending)-1].Kind == SignalHangup
	})
	a.close()
	b.close()
	checkGoroutines(t, base)
}

func TestBadSignals(t *testing.T) {
	rec := newRecorder()
	b := newEndpoint("callee")
	defer b.close()
	c, err := Dial(context.Background(), rec.config("bad", sender{b}, 160, 120))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Hangup()
	if err := c.HandleSignal(Signal{Kind: SignalAnswer, CallID: "other"}); !errors.Is(err, ErrWrongCall) {
		t.Fatalf("wrong id: %v", err)
	}
	if err := c.HandleSignal(Signal{Kind: SignalOffer, CallID: "bad"}); !errors.Is(err, ErrUnexpectedSignal) {
		t.Fatalf("offer to caller: %v", err)
	}
	if err := c.HandleSignal(Signal{Kind: SignalKind(99), CallID: "bad"}); !errors.Is(err, ErrUnexpectedSignal) {
		t.Fatalf("unknown kind: %v", err)
	}
	if err := c.HandleSignal(Signal{Kind: SignalCandidate, CallID: "bad", Candidate: "garbage"}); err != nil {
		t.Fatalf("early candidate is queued: %v", err)
	}
	if err := c.HandleSignal(Signal{Kind: SignalAnswer, CallID: "bad", SDP: "v=0\r\ngarbage"}); !errors.Is(err, ErrBadSDP) {
		t.Fatalf("garbage answer: %v", err)
	}
	if reason := rec.waitEnded(t); reason != ReasonFailed {
		t.Fatalf("ended with %q", reason)
	}
	if _, err := Answer(context.Background(), rec.config("x", sender{b}, 160, 120), Signal{Kind: SignalOffer, CallID: "x", SDP: "nonsense"}); !errors.Is(err, ErrBadSDP) {
		t.Fatalf("garbage offer: %v", err)
	}
	if _, err := Dial(context.Background(), Config{}); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("empty config: %v", err)
	}
}

func TestMuteAndCameraOff(t *testing.T) {
	p := newPair(t, 160, 120)
	defer p.close()
	waitFor(t, "the test picture", func() bool { return p.calleeRec.lastLuma.Load() >= 60 })
	p.caller.SetCameraOff(true)
	p.caller.SetMuted(true)
	// Frames keep coming, black, and audio keeps flowing (DTX: only
	// comfort-noise updates while silent).
	f0, s0 := p.callee.Stats().VideoFramesDecoded, p.callee.Stats().AudioSamplesDecoded
	waitFor(t, "black frames while camera off", func() bool {
		s := p.callee.Stats()
		return s.VideoFramesDecoded > f0+10 && s.AudioSamplesDecoded > s0 &&
			p.calleeRec.lastLuma.Load() < 20
	})
}
