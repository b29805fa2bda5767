package device

/*
#cgo pkg-config: opus
#include <stdlib.h>
#include <opus.h>
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// maxOpusFrame is the longest Opus packet duration, 120 ms at 48 kHz.
const maxOpusFrame = SampleRate * 120 / 1000

// MaxOpusPacketSize bounds one received Opus packet (RFC 6716 allows 1275
// bytes per frame and up to 48 frames; real packets are far smaller).
const MaxOpusPacketSize = 4000

// OpusDecoder turns Opus packets into 48 kHz interleaved int16 PCM.
//
// It binds the system libopus (pkg-config opus). mediadevices' Opus encoder
// names its own static libopus.a on the link line too; that does not clash:
// a static archive's members are pulled in only for symbols still undefined,
// and cgo puts -lopus first, so every opus_* symbol, the encoder's included,
// resolves to the shared libopus and the archive goes unused (checked with
// nm: all opus_* are undefined, imported from libopus.so.0). The binary thus
// needs libopus0 at run time, as it needs libvpx.
type OpusDecoder struct {
	mu       sync.Mutex
	dec      *C.OpusDecoder
	channels int
	pcm      []int16
}

// NewOpusDecoder returns a decoder producing channels (1 or 2) channels at 48 kHz.
func NewOpusDecoder(channels int) (*OpusDecoder, error) {
	if channels != 1 && channels != 2 {
		return nil, fmt.Errorf("creating opus decoder: %d channels", channels)
	}
	var cerr C.int
	dec := C.opus_decoder_create(C.opus_int32(SampleRate), C.int(channels), &cerr)
	if cerr != C.OPUS_OK || dec == nil {
		return nil, fmt.Errorf("creating opus decoder: libopus error %d", int(cerr))
	}
	return &OpusDecoder{dec: dec, channels: channels, pcm: make([]int16, maxOpusFrame*channels)}, nil
}

// Channels is the number of interleaved channels Decode returns.
func (d *OpusDecoder) Channels() int { return d.channels }

// Decode decodes one packet into a new slice of interleaved samples. A nil
// packet asks libopus to conceal one lost 20 ms packet.
func (d *OpusDecoder) Decode(packet []byte) ([]int16, error) {
	if len(packet) > MaxOpusPacketSize {
		return nil, fmt.Errorf("decoding opus: %d bytes: %w", len(packet), ErrTooLarge)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dec == nil {
		return nil, ErrClosed
	}
	var data *C.uchar
	frameSize := maxOpusFrame
	if len(packet) > 0 {
		data = (*C.uchar)(unsafe.Pointer(&packet[0]))
	} else {
		frameSize = SampleRate / 50
	}
	n := C.opus_decode(d.dec, data, C.opus_int32(len(packet)),
		(*C.opus_int16)(unsafe.Pointer(&d.pcm[0])), C.int(frameSize), 0)
	if n < 0 {
		return nil, fmt.Errorf("decoding opus: libopus error %d: %w", int(n), ErrBadFrame)
	}
	out := make([]int16, int(n)*d.channels)
	copy(out, d.pcm)
	return out, nil
}

// DecodeFEC rebuilds the 20 ms frame lost just before packet from the
// in-band FEC packet carries (a plain concealment when it carries none).
func (d *OpusDecoder) DecodeFEC(packet []byte) ([]int16, error) {
	if len(packet) == 0 || len(packet) > MaxOpusPacketSize {
		return nil, fmt.Errorf("decoding opus fec: %d bytes: %w", len(packet), ErrBadFrame)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dec == nil {
		return nil, ErrClosed
	}
	n := C.opus_decode(d.dec, (*C.uchar)(unsafe.Pointer(&packet[0])), C.opus_int32(len(packet)),
		(*C.opus_int16)(unsafe.Pointer(&d.pcm[0])), C.int(SampleRate/50), 1)
	if n < 0 {
		return nil, fmt.Errorf("decoding opus fec: libopus error %d: %w", int(n), ErrBadFrame)
	}
	out := make([]int16, int(n)*d.channels)
	copy(out, d.pcm)
	return out, nil
}

// Close frees the decoder; it is idempotent.
func (d *OpusDecoder) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dec != nil {
		C.opus_decoder_destroy(d.dec)
		d.dec = nil
	}
	return nil
}
