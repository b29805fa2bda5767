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
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/transport/v5"
	"github.com/pion/webrtc/v4"

	"hearth/media/device"
)

// Config describes one call.
type Config struct {
	// CallID identifies the call in every Signal; the caller chooses it.
	CallID   string
	Signaler Signaler
	Media    device.Options
	// Speaker names the output to play on (device.ListDevices); empty or
	// gone is the default.
	Speaker string
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
	OnRemoteState func(RemoteState)   // the other side muted, turned its camera off, or back

	// Net, when set, is the network the call's sockets come from (the
	// impairment bench puts each side in a network namespace); nil is the
	// machine's.
	Net transport.Net

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
	AudioPackets        int64 // audio packets received
	AudioLate           int64 // of those, dropped as too late to play
	AudioConcealed      int64 // 20 ms frames made up for lost packets
	AudioRecovered      int64 // 20 ms frames rebuilt from the next packet's FEC
	AudioUnderruns      int64 // times the jitter buffer ran dry while playing
	AudioJitterTarget   time.Duration

	Remote RemoteState // what the other side last said of its microphone and camera

	// Sending, as congestion control sees it.
	SendEstimate  int         // bits per second the path is estimated to carry
	SendVideoRate int         // the VP8 encoder's target
	SendRung      device.Rung // the picture sent: size and frame rate
	RemoteLoss    int         // percent of our audio the other side reports lost
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
	ccStop    chan struct{}   // closed by teardown: the congestion-control loop ends
	ccDone    sync.WaitGroup  // the congestion-control loop

	mu        sync.Mutex // guards the fields below
	state     State
	reason    string
	ended     bool
	remoteSet bool
	pending   []string // candidates received before the remote description
	lostTimer *time.Timer

	rate    *device.Rate  // what congestion control lets us send; read by the encoders
	stateCh *stateChannel // my mute and camera state, told to the other side

	smu       sync.Mutex // guards the fields below
	stats     Stats
	estimator cc.BandwidthEstimator // nil until the PeerConnection exists
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
		ccStop: make(chan struct{}),
	}
	c.stats.StartedAt = time.Now()

	c.rate = device.NewRate(initialRate)
	codecs, err := device.NewCodecSelector(cfg.Media, c.rate)
	if err != nil {
		return nil, err
	}
	me := &webrtc.MediaEngine{}
	codecs.Populate(me)
	ir, err := newInterceptors(me, func(e cc.BandwidthEstimator, p *ownPacer) {
		c.smu.Lock()
		c.estimator = e
		c.smu.Unlock()
		c.ccDone.Add(1)
		go func() {
			defer c.ccDone.Done()
			followEstimate(e, p, c.rate, c.ccStop)
		}()
	})
	if err != nil {
		return nil, err
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
	if cfg.Net != nil {
		se.SetNet(cfg.Net)
	}
	api := webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))

	capture, err := device.Open(cfg.Media, codecs, c.rate)
	if err != nil {
		return nil, fmt.Errorf("opening capture: %w", err)
	}
	c.capture = capture
	notices := []string{}
	if capture.Notice != "" {
		notices = append(notices, capture.Notice)
	}
	if sp, err := device.OpenSpeakerNamed(cfg.Speaker); err == nil {
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
	if err := c.openStateChannel(); err != nil {
		_ = pc.Close()
		c.closeDevices()
		return nil, err
	}
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
