package device

/*
#cgo pkg-config: vpx
#include <stdlib.h>
#include <string.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vp8cx.h>

typedef struct {
	vpx_codec_ctx_t ctx;
	vpx_codec_enc_cfg_t cfg;
	vpx_image_t img;
	int ok;
} hearth_vp8enc;

static hearth_vp8enc *hearth_vp8enc_new(int w, int h, int fps, int kbps, int cpuused, int kfmax, int *err) {
	hearth_vp8enc *e = calloc(1, sizeof(hearth_vp8enc));
	if (!e) { *err = -1; return NULL; }
	vpx_codec_iface_t *iface = vpx_codec_vp8_cx();
	vpx_codec_err_t rc = vpx_codec_enc_config_default(iface, &e->cfg, 0);
	if (rc) { *err = rc; free(e); return NULL; }
	e->cfg.g_w = w;
	e->cfg.g_h = h;
	// Timestamps are in microseconds: the timebase must say so, or libvpx
	// derives a wrong frame rate and gives each frame a wrong bit budget.
	e->cfg.g_timebase.num = 1;
	e->cfg.g_timebase.den = 1000000;
	e->cfg.g_threads = 1;
	e->cfg.g_lag_in_frames = 0;
	e->cfg.g_pass = VPX_RC_ONE_PASS;
	e->cfg.g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;
	e->cfg.rc_end_usage = VPX_CBR;
	e->cfg.rc_target_bitrate = kbps;
	e->cfg.rc_min_quantizer = 2;
	e->cfg.rc_max_quantizer = 56;
	e->cfg.rc_undershoot_pct = 100;
	e->cfg.rc_overshoot_pct = 15;
	e->cfg.rc_buf_initial_sz = 500;
	e->cfg.rc_buf_optimal_sz = 600;
	e->cfg.rc_buf_sz = 1000;
	// Skip a frame rather than overshoot when the buffer runs low: a
	// skipped frame costs a little smoothness, an overshoot costs a
	// queue on a slow uplink.
	e->cfg.rc_dropframe_thresh = 30;
	e->cfg.rc_resize_allowed = 0;
	e->cfg.kf_mode = VPX_KF_AUTO;
	e->cfg.kf_min_dist = 0;
	e->cfg.kf_max_dist = kfmax;
	rc = vpx_codec_enc_init(&e->ctx, iface, &e->cfg, 0);
	if (rc) { *err = rc; free(e); return NULL; }
	e->ok = 1;
	// The point of this binding: a fixed realtime speed. Negative values
	// mean "always this speed"; without it libvpx tunes itself to use the
	// whole frame interval.
	vpx_codec_control(&e->ctx, VP8E_SET_CPUUSED, cpuused);
	vpx_codec_control(&e->ctx, VP8E_SET_STATIC_THRESHOLD, 1);
	vpx_codec_control(&e->ctx, VP8E_SET_NOISE_SENSITIVITY, 0);
	vpx_codec_control(&e->ctx, VP8E_SET_MAX_INTRA_BITRATE_PCT, 300);
	vpx_codec_control(&e->ctx, VP8E_SET_TOKEN_PARTITIONS, VP8_ONE_TOKENPARTITION);
	vpx_img_wrap(&e->img, VPX_IMG_FMT_I420, w, h, 1, NULL);
	return e;
}

static int hearth_vp8enc_set_bitrate(hearth_vp8enc *e, int kbps) {
	e->cfg.rc_target_bitrate = kbps;
	return vpx_codec_enc_config_set(&e->ctx, &e->cfg);
}

// Planes point into Go memory only for the duration of the call.
static int hearth_vp8enc_encode(hearth_vp8enc *e, unsigned char *y, unsigned char *u, unsigned char *v,
		int ystride, int cstride, long long pts, unsigned long dur, int force_kf) {
	e->img.planes[0] = y;
	e->img.planes[1] = u;
	e->img.planes[2] = v;
	e->img.stride[0] = ystride;
	e->img.stride[1] = cstride;
	e->img.stride[2] = cstride;
	vpx_codec_err_t rc = vpx_codec_encode(&e->ctx, &e->img, pts, dur,
		force_kf ? VPX_EFLAG_FORCE_KF : 0, VPX_DL_REALTIME);
	e->img.planes[0] = e->img.planes[1] = e->img.planes[2] = NULL;
	return rc;
}

// hearth_vp8enc_next returns the next compressed frame packet, or 0 when none is left.
static int hearth_vp8enc_next(hearth_vp8enc *e, vpx_codec_iter_t *iter, void **buf, size_t *sz, int *key) {
	const vpx_codec_cx_pkt_t *pkt;
	while ((pkt = vpx_codec_get_cx_data(&e->ctx, iter)) != NULL) {
		if (pkt->kind == VPX_CODEC_CX_FRAME_PKT) {
			*buf = pkt->data.frame.buf;
			*sz = pkt->data.frame.sz;
			*key = (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
			return 1;
		}
	}
	return 0;
}

static void hearth_vp8enc_free(hearth_vp8enc *e) {
	if (e->ok) vpx_codec_destroy(&e->ctx);
	free(e);
}
*/
import "C"

import (
	"fmt"
	"image"
	"io"
	"sync"
	"time"
	"unsafe"

	"github.com/pion/mediadevices/pkg/codec"
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
)

// VP8Params configure this package's VP8 encoder. It implements
// mediadevices' codec.VideoEncoderBuilder, so it goes into a CodecSelector.
type VP8Params struct {
	// BitRate in bits per second; scaled from 800 kbit/s at 640x480@30 when zero.
	BitRate int
	// CPUUsed is libvpx's VP8E_SET_CPUUSED, -16..16. Negative is a fixed
	// speed (higher is faster and blurrier); zero or positive lets libvpx
	// tune itself to a share of the frame interval. Zero here means -8.
	CPUUsed int
	// KeyFrameInterval in frames; 10 s worth when zero. Receivers also ask
	// for key frames with PLI whenever they lose one.
	KeyFrameInterval int
	// Rate, when set, is read before each frame: the encoder follows the
	// call's congestion controller.
	Rate *Rate
}

// RTPCodec describes VP8 with the RTCP feedback a call relies on.
func (p *VP8Params) RTPCodec() *codec.RTPCodec {
	c := codec.NewRTPVP8Codec(90000)
	c.RTPCodecParameters.RTCPFeedback = []webrtc.RTCPFeedback{
		{Type: "nack"}, {Type: "nack", Parameter: "pli"}, {Type: "ccm", Parameter: "fir"},
		{Type: "transport-cc"},
	}
	c.Payloader = &codecs.VP8Payloader{EnablePictureID: true}
	return c
}

// BuildVideoEncoder builds a VP8 encoder reading frames from r.
func (p *VP8Params) BuildVideoEncoder(r video.Reader, property prop.Media) (codec.ReadCloser, error) {
	fps := int(property.FrameRate)
	if fps <= 0 {
		fps = defaultFrameRate
	}
	e := &vp8Encoder{
		r:        video.ToI420(r),
		fps:      fps,
		cpuUsed:  p.CPUUsed,
		bitRate:  p.BitRate,
		kfMax:    p.KeyFrameInterval,
		forceKey: true,
		rate:     p.Rate,
	}
	if e.cpuUsed == 0 {
		e.cpuUsed = -8
	}
	if e.kfMax <= 0 {
		e.kfMax = 10 * fps
	}
	if property.Width > 0 && property.Height > 0 {
		if err := e.init(property.Width, property.Height); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// defaultBitRate scales 800 kbit/s at 640x480@30 by pixel rate, within bounds.
func defaultBitRate(w, h, fps int) int {
	br := int(int64(800_000) * int64(w*h) / (640 * 480) * int64(fps) / 30)
	return max(150_000, min(br, 4_000_000))
}

type vp8Encoder struct {
	r       video.Reader
	fps     int
	cpuUsed int
	kfMax   int
	rate    *Rate

	mu       sync.Mutex // guards the fields below
	enc      *C.hearth_vp8enc
	w, h     int
	bitRate  int
	forceKey bool
	start    time.Time
	last     time.Duration
	closed   bool
}

func (e *vp8Encoder) init(w, h int) error {
	if e.enc != nil {
		C.hearth_vp8enc_free(e.enc)
		e.enc = nil
	}
	br := e.bitRate
	if br <= 0 {
		br = defaultBitRate(w, h, e.fps)
	}
	var cerr C.int
	enc := C.hearth_vp8enc_new(C.int(w), C.int(h), C.int(e.fps), C.int(br/1000), C.int(e.cpuUsed), C.int(e.kfMax), &cerr)
	if enc == nil {
		return fmt.Errorf("initialising vp8 encoder: libvpx error %d", int(cerr))
	}
	e.enc, e.w, e.h, e.forceKey = enc, w, h, true
	return nil
}

// Read encodes the next frame. It blocks on the source outside the lock so
// that key-frame requests and Close are never stuck behind a camera.
func (e *vp8Encoder) Read() ([]byte, func(), error) {
	img, release, err := e.r.Read()
	if err != nil {
		return nil, func() {}, err
	}
	defer release()
	yuv, ok := img.(*image.YCbCr)
	if !ok || yuv.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		return nil, func() {}, fmt.Errorf("encoding vp8: unexpected image %T", img)
	}
	b := yuv.Bounds()
	w, h := b.Dx()&^1, b.Dy()&^1
	if w <= 0 || h <= 0 {
		return nil, func() {}, fmt.Errorf("encoding vp8: empty image")
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, func() {}, io.EOF
	}
	if e.rate != nil {
		if br := e.rate.Video(); br != e.bitRate {
			e.bitRate = br
			if e.enc != nil {
				if rc := C.hearth_vp8enc_set_bitrate(e.enc, C.int(br/1000)); rc != 0 {
					return nil, func() {}, fmt.Errorf("setting vp8 bit rate: libvpx error %d", int(rc))
				}
			}
		}
	}
	if e.enc == nil || e.w != w || e.h != h {
		if err := e.init(w, h); err != nil {
			return nil, func() {}, err
		}
	}
	now := time.Now()
	if e.start.IsZero() {
		e.start = now
	}
	pts := now.Sub(e.start)
	dur := pts - e.last
	if dur <= 0 {
		dur = time.Second / time.Duration(e.fps)
	}
	e.last = pts
	force := 0
	if e.forceKey {
		force = 1
	}
	yi := yuv.YOffset(b.Min.X, b.Min.Y)
	ci := yuv.COffset(b.Min.X, b.Min.Y)
	rc := C.hearth_vp8enc_encode(e.enc,
		(*C.uchar)(unsafe.Pointer(&yuv.Y[yi])), (*C.uchar)(unsafe.Pointer(&yuv.Cb[ci])), (*C.uchar)(unsafe.Pointer(&yuv.Cr[ci])),
		C.int(yuv.YStride), C.int(yuv.CStride), C.longlong(pts.Microseconds()), C.ulong(dur.Microseconds()), C.int(force))
	if rc != 0 {
		return nil, func() {}, fmt.Errorf("encoding vp8: libvpx error %d", int(rc))
	}
	e.forceKey = false
	var out []byte
	var iter C.vpx_codec_iter_t
	var buf unsafe.Pointer
	var sz C.size_t
	var key C.int
	for C.hearth_vp8enc_next(e.enc, &iter, &buf, &sz, &key) != 0 {
		out = append(out, unsafe.Slice((*byte)(buf), int(sz))...)
	}
	return out, func() {}, nil
}

// ForceKeyFrame makes the next frame a key frame (on a PLI or FIR).
func (e *vp8Encoder) ForceKeyFrame() error {
	e.mu.Lock()
	e.forceKey = true
	e.mu.Unlock()
	return nil
}

// SetBitRate changes the target bit rate in bits per second.
func (e *vp8Encoder) SetBitRate(bps int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.bitRate = bps
	if e.enc == nil || e.closed || bps <= 0 {
		return nil
	}
	if rc := C.hearth_vp8enc_set_bitrate(e.enc, C.int(bps/1000)); rc != 0 {
		return fmt.Errorf("setting vp8 bit rate: libvpx error %d", int(rc))
	}
	return nil
}

// Controller exposes ForceKeyFrame and SetBitRate to mediadevices.
func (e *vp8Encoder) Controller() codec.EncoderController { return e }

// Close frees the encoder; it is idempotent.
func (e *vp8Encoder) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	if e.enc != nil {
		C.hearth_vp8enc_free(e.enc)
		e.enc = nil
	}
	return nil
}
