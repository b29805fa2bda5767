package call

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"

	"hearth/media/device"
)

// Config describes one call.
type Config struct {
	// CallID identifies the call in every Signal; the caller chooses it.
	CallID   string
	Signaler Signaler
	Media    device.Options
	// ICEServers are STUN/TURN servers; empty on a LAN, where host
	// candidates are enough.
	ICEServers []webrtc.ICEServer

	// Callbacks, each optional. OnRemoteVideo and OnRemoteAudio run on the
	// call's receiving goroutines: they must return quickly and must not
	// call Hangup or Close (that waits for those goroutines); OnState may.
	OnRemoteVideo func(image.Image)   // each decoded remote frame (a new image)
	OnLocalVideo  func(image.Image)   // local preview frames (a new image)
	OnRemoteAudio func(pcm []int16)   // decoded remote audio, 48 kHz mono
	OnState       func(State, string) // state changes in order, with a reason for users

	// LoopbackOnly restricts ICE to 127.0.0.1 (tests and benchmarks: the machine's other
	// addresses are not to be used).
	LoopbackOnly bool
}

// Stats are counters of a call, for the UI and for tests.
type Stats struct {
	StartedAt    time.Time // Dial or Answer called
	ConnectedAt  time.Time // ICE and DTLS up
	FirstFrameAt time.Time // first remote video frame decoded
	FirstAudioAt time.Time // first remote audio decoded

	VideoFramesDecoded  int64
	VideoDecodeErrors   int64
	KeyFrameRequests    int64 // PLIs sent
	VideoWidth          int
	VideoHeight         int
	AudioSamplesDecoded int64 // 48 kHz mono samples
	AudioDecodeErrors   int64
}

const (
	gatherTimeout      = 10 * time.Second
	lostAfter          = 5 * time.Second // Disconnected this long → Ended
	signalTimeout      = 3 * time.Second // for the Hangup sent while tearing down
	maxPendingCands    = 64
	keyFrameRequestGap = 300 * time.Millisecond
)

type stateEvent struct {
	state  State
	reason string
}

// Call is one call. Its methods are safe for concurrent use.
type Call struct {
	cfg     Config
	caller  bool
	capture *device.Capture
	speaker device.Speaker // nil without an audio output
	notice  string
	pc      *webrtc.PeerConnection

	events    chan stateEvent // to the OnState goroutine; closed on Ended
	evDone    chan struct{}   // OnState goroutine finished
	done      chan struct{}   // teardown finished
	inOnState atomic.Bool     // OnState is running (so Hangup inside it must not wait for it)
	media     sync.WaitGroup  // receiving goroutines, waited before the capture closes
	preview   sync.WaitGroup  // preview goroutine, ends when the capture closes

	mu        sync.Mutex // guards the fields below
	state     State
	reason    string
	ended     bool
	remoteSet bool
	pending   []string // candidates received before the remote description
	lostTimer *time.Timer

	smu   sync.Mutex // guards stats
	stats Stats
}

func (c *Call) ID() string { return c.cfg.CallID }

// Dial calls: it opens the capture, creates the PeerConnection and sends the
// Offer. Signals for the call can arrive before Dial returns: the owner must
// hold them (by CallID, which it chose) and pass them to HandleSignal then.
func Dial(ctx context.Context, cfg Config) (*Call, error) {
	c, err := newCall(cfg, true)
	if err != nil {
		return nil, err
	}
	if err := c.addTracks(); err != nil {
		c.fail()
		return nil, err
	}
	offer, err := c.pc.CreateOffer(nil)
	if err != nil {
		c.fail()
		return nil, fmt.Errorf("creating offer: %w", err)
	}
	sdp, err := c.setLocal(ctx, offer)
	if err != nil {
		c.fail()
		return nil, err
	}
	if err := cfg.Signaler.SendSignal(ctx, Signal{Kind: SignalOffer, CallID: cfg.CallID, SDP: sdp}); err != nil {
		c.fail()
		return nil, fmt.Errorf("sending offer: %w", err)
	}
	c.setState(Ringing, ReasonCalling)
	return c, nil
}

// Answer accepts offer: it opens the capture, creates the PeerConnection and
// sends the Answer. cfg.CallID may be empty (the offer's is used).
func Answer(ctx context.Context, cfg Config, offer Signal) (*Call, error) {
	if offer.Kind != SignalOffer {
		return nil, fmt.Errorf("answering a %v: %w", offer.Kind, ErrUnexpectedSignal)
	}
	if cfg.CallID == "" {
		cfg.CallID = offer.CallID
	}
	if offer.CallID != cfg.CallID {
		return nil, fmt.Errorf("answering call %q: %w", offer.CallID, ErrWrongCall)
	}
	c, err := newCall(cfg, false)
	if err != nil {
		return nil, err
	}
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer.SDP}); err != nil {
		c.fail()
		return nil, fmt.Errorf("setting offer: %w: %w", ErrBadSDP, err)
	}
	c.mu.Lock()
	c.remoteSet = true
	c.mu.Unlock()
	if err := c.addTracks(); err != nil {
		c.fail()
		return nil, err
	}
	answer, err := c.pc.CreateAnswer(nil)
	if err != nil {
		c.fail()
		return nil, fmt.Errorf("creating answer: %w", err)
	}
	sdp, err := c.setLocal(ctx, answer)
	if err != nil {
		c.fail()
		return nil, err
	}
	if err := cfg.Signaler.SendSignal(ctx, Signal{Kind: SignalAnswer, CallID: cfg.CallID, SDP: sdp}); err != nil {
		c.fail()
		return nil, fmt.Errorf("sending answer: %w", err)
	}
	c.setState(Connecting, ReasonConnecting)
	return c, nil
}

func newCall(cfg Config, caller bool) (*Call, error) {
	if cfg.CallID == "" || cfg.Signaler == nil {
		return nil, fmt.Errorf("call id and signaler are required: %w", ErrBadConfig)
	}
	c := &Call{
		cfg:    cfg,
		caller: caller,
		events: make(chan stateEvent, 16),
		evDone: make(chan struct{}),
		done:   make(chan struct{}),
	}
	c.stats.StartedAt = time.Now()

	codecs, err := device.NewCodecSelector(cfg.Media)
	if err != nil {
		return nil, err
	}
	me := &webrtc.MediaEngine{}
	codecs.Populate(me)
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(me, ir); err != nil {
		return nil, fmt.Errorf("registering interceptors: %w", err)
	}
	var se webrtc.SettingEngine
	se.SetICETimeouts(lostAfter, 3*lostAfter, time.Second)
	// Peers are Hearth apps, which never send .local candidates; no multicast.
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	// Loopback candidates too: two profiles on a machine with no network
	// at all (a laptop offline) can still call each other. Between two
	// machines these pairs simply fail their ICE checks.
	se.SetIncludeLoopbackCandidate(true)
	if cfg.LoopbackOnly {
		se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	}
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))

	capture, err := device.Open(cfg.Media, codecs)
	if err != nil {
		return nil, fmt.Errorf("opening capture: %w", err)
	}
	c.capture = capture
	notices := []string{}
	if capture.Notice != "" {
		notices = append(notices, capture.Notice)
	}
	if sp, err := device.OpenSpeaker(); err == nil {
		c.speaker = sp
	} else if errors.Is(err, device.ErrNoDevice) {
		notices = append(notices, "No speaker found: you will not hear the other side")
	} else {
		notices = append(notices, "The speaker could not be opened: you will not hear the other side")
	}
	c.notice = strings.Join(notices, ". ")

	pc, err := api.NewPeerConnection(webrtc.Configuration{ICEServers: cfg.ICEServers})
	if err != nil {
		c.closeDevices()
		return nil, fmt.Errorf("creating peer connection: %w", err)
	}
	c.pc = pc
	pc.OnConnectionStateChange(c.onConnectionState)
	pc.OnTrack(c.onTrack)

	go c.deliverStates()
	if cfg.OnLocalVideo != nil {
		if r := capture.Preview(); r != nil {
			c.preview.Add(1)
			go c.runPreview(r)
		}
	}
	return c, nil
}

// addTracks adds the capture's tracks and drains the audio sender's RTCP
// (the video sender's is read by mediadevices for key-frame requests).
func (c *Call) addTracks() error {
	if _, err := c.pc.AddTrack(c.capture.Video); err != nil {
		return fmt.Errorf("adding video track: %w", err)
	}
	audio, err := c.pc.AddTrack(c.capture.Audio)
	if err != nil {
		return fmt.Errorf("adding audio track: %w", err)
	}
	c.media.Add(1)
	go func() {
		defer c.media.Done()
		buf := make([]byte, 1500)
		for {
			if _, _, err := audio.Read(buf); err != nil {
				return
			}
		}
	}()
	return nil
}

// setLocal sets the local description and waits for ICE gathering, so the
// SDP sent carries every candidate.
func (c *Call) setLocal(ctx context.Context, desc webrtc.SessionDescription) (string, error) {
	gathered := webrtc.GatheringCompletePromise(c.pc)
	if err := c.pc.SetLocalDescription(desc); err != nil {
		return "", fmt.Errorf("setting local description: %w", err)
	}
	t := time.NewTimer(gatherTimeout)
	defer t.Stop()
	select {
	case <-gathered:
	case <-t.C: // send what we have; slow STUN servers must not stall the call
	case <-ctx.Done():
		return "", fmt.Errorf("gathering candidates: %w", ctx.Err())
	}
	return c.pc.LocalDescription().SDP, nil
}

// HandleSignal applies a signal from the other side. Errors describe bad or
// unexpected signals; none of them panics or blocks for long.
func (c *Call) HandleSignal(s Signal) error {
	if s.CallID != c.cfg.CallID {
		return fmt.Errorf("signal for call %q: %w", s.CallID, ErrWrongCall)
	}
	c.mu.Lock()
	ended := c.ended
	c.mu.Unlock()
	if ended {
		if s.Kind == SignalHangup || s.Kind == SignalCandidate {
			return nil
		}
		return ErrCallEnded
	}
	switch s.Kind {
	case SignalAnswer:
		return c.handleAnswer(s.SDP)
	case SignalCandidate:
		return c.handleCandidate(s.Candidate)
	case SignalRinging:
		if c.caller {
			c.setState(Ringing, ReasonRinging)
		}
		return nil
	case SignalHangup:
		c.end(ReasonRemoteHungUp)
		return nil
	case SignalDecline:
		c.end(ReasonDeclined)
		return nil
	case SignalBusy:
		c.end(ReasonBusy)
		return nil
	default:
		return fmt.Errorf("%v during a call: %w", s.Kind, ErrUnexpectedSignal)
	}
}

func (c *Call) handleAnswer(sdp string) error {
	c.mu.Lock()
	if !c.caller || c.remoteSet {
		c.mu.Unlock()
		return fmt.Errorf("answer: %w", ErrUnexpectedSignal)
	}
	c.remoteSet = true
	c.mu.Unlock()
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
		c.end(ReasonFailed)
		return fmt.Errorf("setting answer: %w: %w", ErrBadSDP, err)
	}
	c.mu.Lock()
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	for _, cand := range pending {
		_ = c.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: cand})
	}
	c.setState(Connecting, ReasonConnecting)
	return nil
}

func (c *Call) handleCandidate(cand string) error {
	if cand == "" {
		return nil // end of candidates
	}
	c.mu.Lock()
	if !c.remoteSet {
		defer c.mu.Unlock()
		if len(c.pending) >= maxPendingCands {
			return fmt.Errorf("too many early candidates: %w", ErrUnexpectedSignal)
		}
		c.pending = append(c.pending, cand)
		return nil
	}
	c.mu.Unlock()
	if err := c.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: cand}); err != nil {
		return fmt.Errorf("adding candidate: %w", err)
	}
	return nil
}

// SetMuted sends silence instead of the microphone while muted.
func (c *Call) SetMuted(muted bool) { c.capture.SetMuted(muted) }

// SetCameraOff sends a black picture instead of the camera while off.
func (c *Call) SetCameraOff(off bool) { c.capture.SetCameraOff(off) }

// Notice is user text about stand-ins in use (synthetic media, no speaker);
// empty when the call uses real devices.
func (c *Call) Notice() string { return c.notice }

// State returns the current state and its reason.
func (c *Call) State() (State, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state, c.reason
}

// Stats returns a snapshot of the call's counters.
func (c *Call) Stats() Stats {
	c.smu.Lock()
	defer c.smu.Unlock()
	return c.stats
}

// Done is closed once the call has ended and released its devices.
func (c *Call) Done() <-chan struct{} { return c.done }

// Hangup ends the call, tells the other side, and waits until the call has
// released everything. It is idempotent and safe from any goroutine except
// the OnRemoteVideo/OnRemoteAudio callbacks.
func (c *Call) Hangup() {
	if c.end(ReasonHungUp) {
		ctx, cancel := context.WithTimeout(context.Background(), signalTimeout)
		_ = c.cfg.Signaler.SendSignal(ctx, Signal{Kind: SignalHangup, CallID: c.cfg.CallID})
		cancel()
	}
	c.wait()
}

// Close is Hangup, for owners that close services.
func (c *Call) Close() error {
	c.Hangup()
	return nil
}

func (c *Call) wait() {
	<-c.done
	if !c.inOnState.Load() {
		<-c.evDone
	}
}

// fail ends a call that never got going and waits for it.
func (c *Call) fail() {
	c.end(ReasonFailed)
	c.wait()
}

// setState moves the call forward; it never moves back, and Ended is final.
func (c *Call) setState(s State, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended || s < c.state || (s == c.state && reason == c.reason) {
		return
	}
	c.state, c.reason = s, reason
	c.events <- stateEvent{s, reason} // never blocks: each state is entered about once
}

// end moves the call to Ended and starts the teardown; it reports whether
// this call did it. It never blocks, so it is safe inside Pion's callbacks.
func (c *Call) end(reason string) bool {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return false
	}
	c.ended = true
	c.state, c.reason = Ended, reason
	if c.lostTimer != nil {
		c.lostTimer.Stop()
	}
	c.events <- stateEvent{Ended, reason}
	close(c.events)
	c.mu.Unlock()
	go c.teardown()
	return true
}

// teardown closes the PeerConnection before the capture: closing a track
// still bound to a live PeerConnection can deadlock in mediadevices.
func (c *Call) teardown() {
	if c.pc != nil {
		_ = c.pc.Close()
	}
	c.media.Wait()
	c.closeDevices()
	c.preview.Wait()
	close(c.done)
}

func (c *Call) closeDevices() {
	if c.capture != nil {
		_ = c.capture.Close()
	}
	if c.speaker != nil {
		_ = c.speaker.Close()
	}
}

func (c *Call) deliverStates() {
	defer close(c.evDone)
	for ev := range c.events {
		if c.cfg.OnState != nil {
			c.inOnState.Store(true)
			c.cfg.OnState(ev.state, ev.reason)
			c.inOnState.Store(false)
		}
	}
}

func (c *Call) onConnectionState(s webrtc.PeerConnectionState) {
	switch s {
	case webrtc.PeerConnectionStateConnected:
		c.mu.Lock()
		if c.lostTimer != nil {
			c.lostTimer.Stop()
			c.lostTimer = nil
		}
		c.mu.Unlock()
		c.smu.Lock()
		if c.stats.ConnectedAt.IsZero() {
			c.stats.ConnectedAt = time.Now()
		}
		c.smu.Unlock()
		c.setState(Connected, ReasonConnected)
	case webrtc.PeerConnectionStateDisconnected:
		c.mu.Lock()
		if !c.ended && c.lostTimer == nil {
			c.lostTimer = time.AfterFunc(lostAfter, func() { c.end(ReasonConnectionLost) })
		}
		c.mu.Unlock()
	case webrtc.PeerConnectionStateFailed:
		c.mu.Lock()
		wasConnected := c.state == Connected
		c.mu.Unlock()
		if wasConnected {
			c.end(ReasonConnectionLost)
		} else {
			c.end(ReasonFailed)
		}
	}
}

func (c *Call) onTrack(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.media.Add(1)
	c.mu.Unlock()
	defer c.media.Done()
	switch {
	case strings.EqualFold(tr.Codec().MimeType, webrtc.MimeTypeVP8):
		c.receiveVideo(tr)
	case strings.EqualFold(tr.Codec().MimeType, webrtc.MimeTypeOpus):
		c.receiveAudio(tr)
	default:
		for { // not ours to decode: drain until the call ends
			if _, _, err := tr.ReadRTP(); err != nil {
				return
			}
		}
	}
}

func (c *Call) runPreview(r interface {
	Read() (image.Image, func(), error)
}) {
	defer c.preview.Done()
	for {
		img, release, err := r.Read()
		if err != nil {
			return
		}
		select {
		case <-c.done:
			release()
			return
		default:
		}
		c.mu.Lock()
		ended := c.ended
		c.mu.Unlock()
		if ended {
			release()
			// Keep reading until the capture closes: returning now could
			// leave the preview's reader holding mediadevices' ring.
			continue
		}
		out := cloneImage(img)
		release()
		c.cfg.OnLocalVideo(out)
	}
}

// cloneImage copies a frame the source may reuse.
func cloneImage(img image.Image) image.Image {
	y, ok := img.(*image.YCbCr)
	if !ok {
		return img
	}
	out := &image.YCbCr{
		Y:              append([]byte(nil), y.Y...),
		Cb:             append([]byte(nil), y.Cb...),
		Cr:             append([]byte(nil), y.Cr...),
		YStride:        y.YStride,
		CStride:        y.CStride,
		SubsampleRatio: y.SubsampleRatio,
		Rect:           y.Rect,
	}
	return out
}
