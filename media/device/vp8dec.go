package device

/*
#cgo pkg-config: vpx
#include <stdlib.h>
#include <string.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vp8dx.h>

typedef struct {
	vpx_codec_ctx_t ctx;
	unsigned char *buf;  // input copied to C memory: libvpx never sees Go pointers
	size_t cap;
} hearth_vp8dec;

static hearth_vp8dec *hearth_vp8dec_new(int *err) {
	hearth_vp8dec *d = calloc(1, sizeof(hearth_vp8dec));
	if (!d) { *err = -1; return NULL; }
	vpx_codec_dec_cfg_t cfg = {0};
	cfg.threads = 1;
	vpx_codec_err_t rc = vpx_codec_dec_init(&d->ctx, vpx_codec_vp8_dx(), &cfg, 0);
	if (rc) { *err = rc; free(d); return NULL; }
	return d;
}

static int hearth_vp8dec_decode(hearth_vp8dec *d, const unsigned char *data, size_t n) {
	if (n > d->cap) {
		unsigned char *nb = realloc(d->buf, n);
		if (!nb) return -1;
		d->buf = nb;
		d->cap = n;
	}
	memcpy(d->buf, data, n);
	return vpx_codec_decode(&d->ctx, d->buf, (unsigned int)n, NULL, 0);
}

static vpx_image_t *hearth_vp8dec_frame(hearth_vp8dec *d) {
	vpx_codec_iter_t iter = NULL;
	vpx_image_t *img, *last = NULL;
	while ((img = vpx_codec_get_frame(&d->ctx, &iter)) != NULL) last = img;
	return last;
}

static void hearth_vp8dec_free(hearth_vp8dec *d) {
	vpx_codec_destroy(&d->ctx);
	free(d->buf);
	free(d);
}
*/
import "C"

import (
	"fmt"
	"image"
	"sync"
	"unsafe"
)

// MaxVP8FrameSize bounds one received compressed frame.
const MaxVP8FrameSize = 4 << 20

// maxDecodedPixels bounds the picture a peer can make us allocate (4K).
const maxDecodedPixels = 3840 * 2160

// VP8Decoder turns VP8 frames (as reassembled from RTP) into pictures.
// It is safe for concurrent use, though one goroutine per stream is the norm.
type VP8Decoder struct {
	mu  sync.Mutex
	dec *C.hearth_vp8dec
}

// NewVP8Decoder returns a decoder; Close frees it.
func NewVP8Decoder() (*VP8Decoder, error) {
	var cerr C.int
	d := C.hearth_vp8dec_new(&cerr)
	if d == nil {
		return nil, fmt.Errorf("initialising vp8 decoder: libvpx error %d", int(cerr))
	}
	return &VP8Decoder{dec: d}, nil
}

// IsVP8KeyFrame reports whether frame (a whole VP8 frame, without the RTP
// payload descriptor) is a key frame.
func IsVP8KeyFrame(frame []byte) bool {
	// Frame tag bit 0 is the inverse key-frame flag; key frames also carry
	// the start code 9d 01 2a at bytes 3..5.
	return len(frame) >= 10 && frame[0]&1 == 0 && frame[3] == 0x9d && frame[4] == 0x01 && frame[5] == 0x2a
}

// Decode decodes one frame. It returns a new picture the caller may keep, or
// (nil, nil) when the frame produced no picture (for example an invisible frame).
func (d *VP8Decoder) Decode(frame []byte) (*image.YCbCr, error) {
	if len(frame) == 0 {
		return nil, fmt.Errorf("decoding vp8: empty: %w", ErrBadFrame)
	}
	if len(frame) > MaxVP8FrameSize {
		return nil, fmt.Errorf("decoding vp8: %d bytes: %w", len(frame), ErrTooLarge)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dec == nil {
		return nil, ErrClosed
	}
	if rc := C.hearth_vp8dec_decode(d.dec, (*C.uchar)(unsafe.Pointer(&frame[0])), C.size_t(len(frame))); rc != 0 {
		return nil, fmt.Errorf("decoding vp8: libvpx error %d: %w", int(rc), ErrBadFrame)
	}
	img := C.hearth_vp8dec_frame(d.dec)
	if img == nil {
		return nil, nil
	}
	if img.fmt != C.VPX_IMG_FMT_I420 {
		return nil, fmt.Errorf("decoding vp8: unexpected format %d: %w", int(img.fmt), ErrBadFrame)
	}
	w, h := int(img.d_w), int(img.d_h)
	if w <= 0 || h <= 0 || w*h > maxDecodedPixels {
		return nil, fmt.Errorf("decoding vp8: %dx%d: %w", w, h, ErrBadFrame)
	}
	cw, ch := (w+1)/2, (h+1)/2
	out := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	copyPlane(out.Y, out.YStride, img.planes[0], int(img.stride[0]), w, h)
	copyPlane(out.Cb, out.CStride, img.planes[1], int(img.stride[1]), cw, ch)
	copyPlane(out.Cr, out.CStride, img.planes[2], int(img.stride[2]), cw, ch)
	return out, nil
}

func copyPlane(dst []byte, dstStride int, src *C.uchar, srcStride, w, h int) {
	s := unsafe.Slice((*byte)(unsafe.Pointer(src)), srcStride*(h-1)+w)
	for row := 0; row < h; row++ {
		copy(dst[row*dstStride:row*dstStride+w], s[row*srcStride:row*srcStride+w])
	}
}

// Close frees the decoder; it is idempotent.
func (d *VP8Decoder) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dec != nil {
		C.hearth_vp8dec_free(d.dec)
		d.dec = nil
	}
	return nil
}
