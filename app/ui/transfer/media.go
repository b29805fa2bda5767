package transfer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // thumbnails
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
	"time"

	"hearth/app/core/base"
)

// Bounds on what the thumbnailer decodes: a picture beyond them keeps the
// plain file row rather than costing a burst of memory.
const (
	thumbMaxFile   = 40 << 20 // bytes
	thumbMaxSide   = 8000     // pixels, either side
	thumbWidth     = 240      // largest thumbnail width
	thumbHeight    = 320      // largest thumbnail height
	thumbCacheSize = 128      // thumbnails kept
)

var (
	errThumbTooBig   = errors.New("image too large for a preview")
	errThumbTooLarge = errors.New("image dimensions too large for a preview")
)

// thumbSem lets one picture decode at a time, so opening a conversation
// full of photos does not hold many full-size images at once.
var thumbSem = make(chan struct{}, 1)

// DecodeThumb reads a picture and scales it down to fit the thumbnail
// box. It refuses big files and huge dimensions before decoding.
func DecodeThumb(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > thumbMaxFile {
		return nil, errThumbTooBig
	}
	// A received file's magic bytes decide before any decoder sees it:
	// image.DecodeConfig would guess among every registered format.
	head := make([]byte, 8)
	if n, _ := io.ReadFull(f, head); base.PictureFormat(head[:n]) == "" {
		return nil, base.ErrNotAnImage
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > thumbMaxSide || cfg.Height > thumbMaxSide {
		return nil, errThumbTooLarge
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	thumbSem <- struct{}{}
	defer func() { <-thumbSem }()
	src, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	return scaleDown(src, thumbWidth, thumbHeight), nil
}

// scaleDown fits src into maxW×maxH, averaging up to 4×4 samples per
// output pixel. Pictures already small enough are copied as they are.
func scaleDown(src image.Image, maxW, maxH int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := min(1, float64(maxW)/float64(w), float64(maxH)/float64(h))
	dw, dh := max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	const n = 4
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			var r, g, bl, a, cnt uint32
			for sy := 0; sy < n; sy++ {
				py := b.Min.Y + min(h-1, (y*n+sy)*h/(dh*n))
				for sx := 0; sx < n; sx++ {
					px := b.Min.X + min(w-1, (x*n+sx)*w/(dw*n))
					cr, cg, cb, ca := src.At(px, py).RGBA()
					r, g, bl, a = r+cr, g+cg, bl+cb, a+ca
					cnt++
				}
			}
			// Average premultiplied colour, then un-premultiply.
			r, g, bl, a = r/cnt, g/cnt, bl/cnt, a/cnt
			c := color.NRGBA64{A: uint16(a)}
			if a > 0 {
				c.R = uint16(r * 0xffff / a)
				c.G = uint16(g * 0xffff / a)
				c.B = uint16(bl * 0xffff / a)
			}
			dst.Set(x, y, c)
		}
	}
	return dst
}

// ThumbCache keeps decoded thumbnails per transfer ID; a nil image means
// the file could not be previewed. Used on the UI goroutine only.
type ThumbCache struct {
	imgs    map[string]image.Image
	order   []string
	Loading map[string]bool // being decoded now (the chat view sets it)
}

// NewThumbCache makes an empty cache.
func NewThumbCache() *ThumbCache {
	return &ThumbCache{imgs: map[string]image.Image{}, Loading: map[string]bool{}}
}

// Get is the thumbnail of transfer id, if decoded (nil: not previewable).
func (c *ThumbCache) Get(id string) (image.Image, bool) {
	img, ok := c.imgs[id]
	return img, ok
}

// Put stores a decoded thumbnail, dropping the oldest beyond the limit.
func (c *ThumbCache) Put(id string, img image.Image) {
	delete(c.Loading, id)
	if _, ok := c.imgs[id]; !ok {
		c.order = append(c.order, id)
	}
	c.imgs[id] = img
	for len(c.order) > thumbCacheSize {
		delete(c.imgs, c.order[0])
		c.order = c.order[1:]
	}
}

// OggOpusDuration reads a voice note's length from its Ogg pages: the
// last page's granule position, minus the pre-skip in the OpusHead, at
// 48 kHz.
func OggOpusDuration(path string) (time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	i := bytes.Index(head, []byte("OpusHead"))
	if i < 0 || i+12 > len(head) {
		return 0, errors.New("not an Ogg Opus file")
	}
	preSkip := int64(binary.LittleEndian.Uint16(head[i+10:]))
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	const tail = 64 << 10
	off := max(0, st.Size()-tail)
	buf := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(buf, off); err != nil && err != io.EOF {
		return 0, err
	}
	j := bytes.LastIndex(buf, []byte("OggS"))
	if j < 0 || j+14 > len(buf) {
		return 0, errors.New("no Ogg page")
	}
	granule := int64(binary.LittleEndian.Uint64(buf[j+6:]))
	if granule <= preSkip {
		return 0, fmt.Errorf("granule position %d", granule)
	}
	return time.Duration(granule-preSkip) * time.Second / 48000, nil
}
