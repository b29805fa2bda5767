package device

/*
#cgo pkg-config: opus
#include <opus.h>

static int hearth_opus_set(OpusEncoder *e, int bitrate, int fec, int loss, int dtx) {
	int rc = opus_encoder_ctl(e, OPUS_SET_BITRATE(bitrate));
	if (rc != OPUS_OK) return rc;
	rc = opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(fec));
	if (rc != OPUS_OK) return rc;
	rc = opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(loss));
	if (rc != OPUS_OK) return rc;
	return opus_encoder_ctl(e, OPUS_SET_DTX(dtx));
}
*/
import "C"

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
	"unsafe"

	"github.com/pion/mediadevices/pkg/codec"
	"github.com/pion/mediadevices/pkg/io/audio"
	"github.com/pion/mediadevices/pkg/prop"
	"github.com/pion/mediadevices/pkg/wave"
	"github.com/pion/mediadevices/pkg/wave/mixer"
)

// OpusParams configure this package's Opus encoder for calls: 20 ms mono
// frames, in-band FEC sized by the loss the other side reports, DTX, and a
// bit rate that follows the call's Rate. It implements mediadevices'
// codec.AudioEncoderBuilder.
type OpusParams struct {
	// Rate, when set, gives the bit rate and the loss to protect against;
	// 32 kbit/s and none otherwise.
	Rate *Rate
}

const opusFrame = SampleRate / 50 // 20 ms

// RTPCodec is Opus with in-band FEC advertised (the fmtp that pion uses).
func (p *OpusParams) RTPCodec() *codec.RTPCodec {
	c := codec.NewRTPOpusCodec(48000)
	c.Latency = 20 * time.Millisecond
	return c
}

// BuildAudioEncoder builds an encoder reading 48 kHz audio from r.
func (p *OpusParams) BuildAudioEncoder(r audio.Reader, property prop.Media) (codec.ReadCloser, error) {
	if property.SampleRate != 0 && property.SampleRate != SampleRate {
		return nil, fmt.Errorf("opus encoder: %d Hz: %w", property.SampleRate, ErrBadFrame)
	}
	var cerr C.int
	enc := C.opus_encoder_create(C.opus_int32(SampleRate), 1, C.OPUS_APPLICATION_VOIP, &cerr)
	if cerr != C.OPUS_OK || enc == nil {
		return nil, fmt.Errorf("creating opus encoder: libopus error %d", int(cerr))
	}
	e := &opusEncoder{
		enc:    enc,
		rate:   p.Rate,
		reader: audio.NewChannelMixer(1, &mixer.MonoMixer{})(audio.NewBuffer(opusFrame)(r)),
	}
	if err := e.apply(); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

type opusEncoder struct {
	reader audio.Reader
	rate   *Rate

	mu      sync.Mutex // guards the fields below
	enc     *C.OpusEncoder
	bitRate int
	loss    int
	pcm     []int16
}

// apply sets bit rate, FEC and DTX from the Rate; called with mu held or
// before the encoder is shared.
func (e *opusEncoder) apply() error {
	bps, loss := 32_000, 0
	if e.rate != nil {
		bps, loss = e.rate.Audio()
	}
	if bps == e.bitRate && loss == e.loss && e.bitRate != 0 {
		return nil
	}
	// FEC is always on: with loss at 0 libopus spends nothing on it, and
	// the first losses are covered as soon as they are reported.
	if rc := C.hearth_opus_set(e.enc, C.int(bps), 1, C.int(max(loss, 1)), 1); rc != C.OPUS_OK {
		return fmt.Errorf("configuring opus encoder: libopus error %d", int(rc))
	}
	e.bitRate, e.loss = bps, loss
	return nil
}

// Read encodes the next 20 ms. In DTX silence libopus returns a packet of
// at most two bytes that need not be sent: Read returns it empty, which
// mediadevices turns into no RTP packet but an advanced timestamp.
func (e *opusEncoder) Read() ([]byte, func(), error) {
	chunk, _, err := e.reader.Read()
	if err != nil {
		return nil, func() {}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.enc == nil {
		return nil, func() {}, io.EOF
	}
	if err := e.apply(); err != nil {
		return nil, func() {}, err
	}
	n := chunk.ChunkInfo().Len
	if cap(e.pcm) < n {
		e.pcm = make([]int16, n)
	}
	pcm := e.pcm[:n]
	switch b := chunk.(type) {
	case *wave.Int16Interleaved:
		copy(pcm, b.Data)
	case *wave.Float32Interleaved:
		for i := range pcm {
			v := b.Data[i] * 32767
			pcm[i] = int16(min(max(v, -32768), 32767))
		}
	default:
		return nil, func() {}, errors.New("encoding opus: unknown audio buffer")
	}
	if n == 0 {
		return nil, func() {}, nil
	}
	out := make([]byte, 1276)
	k := C.opus_encode(e.enc, (*C.opus_int16)(unsafe.Pointer(&pcm[0])), C.int(n),
		(*C.uchar)(unsafe.Pointer(&out[0])), C.opus_int32(len(out)))
	if k < 0 {
		return nil, func() {}, fmt.Errorf("encoding opus: libopus error %d", int(k))
	}
	if k <= 2 {
		return []byte{}, func() {}, nil
	}
	return out[:k:k], func() {}, nil
}

// SetBitRate is for mediadevices' controller; the Rate normally decides.
func (e *opusEncoder) SetBitRate(bps int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.enc == nil {
		return nil
	}
	if rc := C.hearth_opus_set(e.enc, C.int(bps), 1, C.int(max(e.loss, 1)), 1); rc != C.OPUS_OK {
		return fmt.Errorf("setting opus bit rate: libopus error %d", int(rc))
	}
	e.bitRate = bps
	return nil
}

func (e *opusEncoder) Controller() codec.EncoderController { return e }

// Close frees the encoder; it is idempotent.
func (e *opusEncoder) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.enc != nil {
		C.opus_encoder_destroy(e.enc)
		e.enc = nil
	}
	return nil
}
