package device

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/gen2brain/malgo"
)

// Speaker plays 48 kHz mono int16 PCM. Write never blocks: samples queue up
// to a bound (the oldest are dropped beyond it) and silence fills gaps.
type Speaker interface {
	Write(pcm []int16)
	Close() error
}

// maxQueued bounds the playback queue to 250 ms: a call's jitter buffer
// does the waiting, so anything beyond is delay nobody wants (voice notes
// queue 200 ms ahead, media/voice's playLead).
const maxQueued = SampleRate / 4

type malgoSpeaker struct {
	ctx *malgo.AllocatedContext
	dev *malgo.Device

	mu     sync.Mutex // guards queue and closed
	queue  []int16
	closed bool
	once   sync.Once
}

// OpenSpeaker opens the default audio output for 48 kHz mono int16. It
// returns ErrNoDevice when the machine has no output device other than
// ALSA's null sink.
func OpenSpeaker() (Speaker, error) { return OpenSpeakerNamed("") }

// OpenSpeakerNamed opens the output called name (ListDevices' names), or
// the default output when name is empty or no longer there.
func OpenSpeakerNamed(name string) (Speaker, error) {
	ctx, err := malgo.InitContext(nil, malgo.ContextConfig{}, nil)
	if err != nil {
		return nil, fmt.Errorf("opening audio output: %w", ErrNoDevice)
	}
	devs, err := ctx.Devices(malgo.Playback)
	real := 0
	for i := range devs {
		if !isNullDevice(devs[i].ID.String(), devs[i].Name()) {
			real++
		}
	}
	if err != nil || real == 0 {
		_ = ctx.Uninit()
		ctx.Free()
		return nil, fmt.Errorf("opening audio output: %w", ErrNoDevice)
	}
	s := &malgoSpeaker{ctx: ctx}
	cfg := malgo.DefaultDeviceConfig(malgo.Playback)
	cfg.Playback.Format = malgo.FormatS16
	cfg.Playback.Channels = 1
	for i := range devs {
		if name != "" && devs[i].Name() == name {
			cfg.Playback.DeviceID = devs[i].ID.Pointer()
			break
		}
	}
	cfg.SampleRate = SampleRate
	cfg.PeriodSizeInMilliseconds = 20
	dev, err := malgo.InitDevice(ctx.Context, cfg, malgo.DeviceCallbacks{Data: s.fill})
	if err != nil {
		_ = ctx.Uninit()
		ctx.Free()
		// A listed output that no backend can open (ALSA's default with no
		// sound card behind it, a JACK server not running) is no device.
		return nil, fmt.Errorf("opening audio output: %w: %w", ErrNoDevice, err)
	}
	if err := dev.Start(); err != nil {
		dev.Uninit()
		_ = ctx.Uninit()
		ctx.Free()
		return nil, fmt.Errorf("starting audio output: %w", err)
	}
	s.dev = dev
	return s, nil
}

// fill is malgo's data callback: it copies queued samples out, then silence.
func (s *malgoSpeaker) fill(out, _ []byte, frames uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(int(frames), len(s.queue), len(out)/2)
	for i := 0; i < n; i++ {
		binary.LittleEndian.PutUint16(out[2*i:], uint16(s.queue[i]))
	}
	clear(out[2*n:])
	s.queue = s.queue[:copy(s.queue, s.queue[n:])]
}

func (s *malgoSpeaker) Write(pcm []int16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.queue = append(s.queue, pcm...)
	if over := len(s.queue) - maxQueued; over > 0 {
		s.queue = s.queue[:copy(s.queue, s.queue[over:])]
	}
}

func (s *malgoSpeaker) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.queue = nil
		s.mu.Unlock()
		s.dev.Uninit() // stops the device and waits for its callback
		_ = s.ctx.Uninit()
		s.ctx.Free()
	})
	return nil
}
