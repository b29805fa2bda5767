package device

/*
#cgo pkg-config: speexdsp
#include <stdlib.h>
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

static int hearth_pre_set_int(SpeexPreprocessState *st, int req, int v) {
	return speex_preprocess_ctl(st, req, &v);
}
static int hearth_echo_set_rate(SpeexEchoState *st, int rate) {
	return speex_echo_ctl(st, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
}
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// Audio processing for calls: echo cancellation, noise suppression and
// automatic gain control, through speexdsp. Why speexdsp rather than
// WebRTC's AudioProcessing module: it is a C library (cgo binds it
// directly; the APM is C++ and would need a C shim and libstdc++), small,
// in Debian as libspeexdsp-dev, and its MDF echo canceller with its
// residual-echo suppressor takes a plain linear echo down by far more than
// the 20 dB asked (TestEchoCancellation). The APM's AEC3 copes better
// with non-linear loudspeakers and clock drift; it can take this file's
// place behind the same three methods.
const (
	// ProcessFrame is the frame the processor works on: 10 ms at 48 kHz.
	ProcessFrame = SampleRate / 100
	echoTail     = SampleRate / 5 // 200 ms of echo path (room and buffers)
	maxFarQueued = echoTail * 2   // far-end audio waiting for its capture frame
)

// ProcessingOptions choose what the processor does; all on by default in
// calls (device.Options.NoAudioProcessing turns it off).
type ProcessingOptions struct {
	Echo, Noise, Gain bool
}

// Processor cleans the microphone's audio. The speaker path gives it what
// is played (Playback); the microphone path runs each 10 ms frame through
// Capture. Safe for concurrent use by those two paths.
type Processor struct {
	mu   sync.Mutex // guards everything below
	echo *C.SpeexEchoState
	pre  *C.SpeexPreprocessState
	far  []int16 // played, not yet paired with a captured frame
	out  []int16
}

// NewProcessor returns a processor doing what opts asks.
func NewProcessor(opts ProcessingOptions) (*Processor, error) {
	p := &Processor{out: make([]int16, ProcessFrame)}
	if opts.Echo {
		p.echo = C.speex_echo_state_init(C.int(ProcessFrame), C.int(echoTail))
		if p.echo == nil {
			return nil, fmt.Errorf("creating echo canceller: %w", ErrNoDevice)
		}
		C.hearth_echo_set_rate(p.echo, C.int(SampleRate))
	}
	p.pre = C.speex_preprocess_state_init(C.int(ProcessFrame), C.int(SampleRate))
	if p.pre == nil {
		p.Close()
		return nil, fmt.Errorf("creating audio preprocessor: %w", ErrNoDevice)
	}
	b := func(v bool) C.int {
		if v {
			return 1
		}
		return 0
	}
	C.hearth_pre_set_int(p.pre, C.SPEEX_PREPROCESS_SET_DENOISE, b(opts.Noise))
	C.hearth_pre_set_int(p.pre, C.SPEEX_PREPROCESS_SET_AGC, b(opts.Gain))
	C.hearth_pre_set_int(p.pre, C.SPEEX_PREPROCESS_SET_DEREVERB, 0)
	if opts.Gain {
		C.hearth_pre_set_int(p.pre, C.SPEEX_PREPROCESS_SET_AGC_TARGET, 8000)
		// At most 12 dB: more lifts what echo remains as much as the talker.
		C.hearth_pre_set_int(p.pre, C.SPEEX_PREPROCESS_SET_AGC_MAX_GAIN, 12)
	}
	if p.echo != nil {
		// The preprocessor also suppresses what echo the filter leaves,
		// as hard while the near end talks as while it is silent.
		C.speex_preprocess_ctl(p.pre, C.SPEEX_PREPROCESS_SET_ECHO_STATE, unsafe.Pointer(p.echo))
		C.hearth_pre_set_int(p.pre, C.SPEEX_PREPROCESS_SET_ECHO_SUPPRESS, -45)
		C.hearth_pre_set_int(p.pre, C.SPEEX_PREPROCESS_SET_ECHO_SUPPRESS_ACTIVE, -30)
	}
	return p, nil
}

// Playback records audio handed to the speaker (any length).
func (p *Processor) Playback(pcm []int16) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.echo == nil {
		return
	}
	p.far = append(p.far, pcm...)
	if over := len(p.far) - maxFarQueued; over > 0 {
		p.far = p.far[:copy(p.far, p.far[over:])]
	}
}

// Capture processes one ProcessFrame of microphone audio in place; a frame
// of another length is left alone.
func (p *Processor) Capture(frame []int16) {
	if len(frame) != ProcessFrame {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pre == nil {
		return
	}
	if p.echo != nil {
		// Pair the frame with the oldest audio played and not yet paired:
		// its echo reaches the microphone now or within the tail.
		far := make([]int16, ProcessFrame)
		n := copy(far, p.far)
		p.far = p.far[:copy(p.far, p.far[n:])]
		C.speex_echo_cancellation(p.echo, (*C.spx_int16_t)(unsafe.Pointer(&frame[0])),
			(*C.spx_int16_t)(unsafe.Pointer(&far[0])), (*C.spx_int16_t)(unsafe.Pointer(&p.out[0])))
		copy(frame, p.out)
	}
	C.speex_preprocess_run(p.pre, (*C.spx_int16_t)(unsafe.Pointer(&frame[0])))
}

// Close frees the processor; it is idempotent.
func (p *Processor) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pre != nil {
		C.speex_preprocess_state_destroy(p.pre)
		p.pre = nil
	}
	if p.echo != nil {
		C.speex_echo_state_destroy(p.echo)
		p.echo = nil
	}
	return nil
}
