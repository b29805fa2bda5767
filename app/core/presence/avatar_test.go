package presence

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"hearth/app/core/base"
	"hearth/p2p/wire"
)

// picture encodes a w×h PNG with a gradient (so it does not compress to
// nothing).
func picture(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 3), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEncodeAvatar(t *testing.T) {
	for _, size := range [][2]int{{1200, 800}, {90, 300}, {1, 1}} {
		b, typ, err := encodeAvatar(bytes.NewReader(picture(t, size[0], size[1])))
		if err != nil {
			t.Fatalf("%v: %v", size, err)
		}
		if len(b) > wire.MaxAvatar {
			t.Fatalf("%v: %d bytes", size, len(b))
		}
		img, err := decodePeerAvatar(typ, b)
		if err != nil {
			t.Fatalf("%v: own avatar refused: %v", size, err)
		}
		if img.Bounds().Dx() != AvatarSize || img.Bounds().Dy() != AvatarSize {
			t.Fatalf("%v: %v", size, img.Bounds())
		}
	}
	if _, _, err := encodeAvatar(strings.NewReader("not a picture")); err != base.ErrNotAnImage {
		t.Fatalf("text: %v", err)
	}
}

func TestDecodePeerAvatarRefuses(t *testing.T) {
	var big bytes.Buffer
	png.Encode(&big, image.NewGray(image.Rect(0, 0, maxPeerAvatarSide+1, 4)))
	var ok bytes.Buffer
	png.Encode(&ok, image.NewGray(image.Rect(0, 0, 64, 64)))
	cases := map[string]struct {
		typ string
		b   []byte
	}{
		"too wide":       {"image/png", big.Bytes()},
		"type mismatch":  {"image/jpeg", ok.Bytes()},
		"truncated":      {"image/png", ok.Bytes()[:ok.Len()/2]},
		"not an image":   {"image/png", []byte("hello")},
		"claims a giant": {"image/png", giantHeader()},
	}
	for name, c := range cases {
		if _, err := decodePeerAvatar(c.typ, c.b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := decodePeerAvatar("image/png", ok.Bytes()); err != nil {
		t.Fatal(err)
	}
}

// giantHeader is a PNG header that claims 60000×60000 pixels.
func giantHeader() []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	h := b.Bytes()
	// IHDR width and height are at bytes 16..23; the CRC is now wrong,
	// which DecodeConfig does not get far enough to notice.
	copy(h[16:24], []byte{0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60})
	return h
}

// FuzzDecodePeerAvatar: whatever a contact sends as an avatar is refused
// cleanly or is a picture within the limits.
func FuzzDecodePeerAvatar(f *testing.F) {
	var p, j bytes.Buffer
	png.Encode(&p, image.NewNRGBA(image.Rect(0, 0, 16, 16)))
	jpeg.Encode(&j, image.NewGray(image.Rect(0, 0, 16, 16)), nil)
	f.Add(true, p.Bytes())
	f.Add(false, j.Bytes())
	f.Add(true, giantHeader())
	f.Fuzz(func(t *testing.T, isPNG bool, b []byte) {
		typ := "image/jpeg"
		if isPNG {
			typ = "image/png"
		}
		img, err := decodePeerAvatar(typ, b)
		if err != nil {
			return
		}
		if r := img.Bounds(); r.Dx() > maxPeerAvatarSide || r.Dy() > maxPeerAvatarSide {
			t.Fatalf("accepted %v", r)
		}
	})
}
