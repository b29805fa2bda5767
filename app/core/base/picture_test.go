package base

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	_ "golang.org/x/image/tiff" // registered, as Fyne registers it: must never be reached
)

func tinyPNG(t testing.TB) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.NRGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A TIFF (the decoder with known vulnerabilities before x/image v0.43),
// or anything else that is not PNG, JPEG or GIF by its magic bytes, never
// reaches a decoder; image.DecodeConfig would have taken it. Guards the
// issue 14 dependency finding (the avatar path).
func TestPictureMagicBytesFirst(t *testing.T) {
	tiff := []byte("II*\x00\x08\x00\x00\x00\x00\x00")
	if _, format, err := image.DecodeConfig(bytes.NewReader(tiff)); err == nil || format != "tiff" {
		// Either answer shows the registry took the TIFF decoder.
		t.Logf("image.DecodeConfig on a TIFF header: %q, %v", format, err)
	}
	for name, data := range map[string][]byte{
		"tiff little": tiff, "tiff big": []byte("MM\x00*\x00\x00\x00\x08"), "bmp": []byte("BM\x00\x00"),
		"webp": []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "empty": nil, "text": []byte("hello"),
	} {
		if _, _, err := PictureConfig(data); !errors.Is(err, ErrNotAnImage) {
			t.Errorf("%s: PictureConfig = %v, want ErrNotAnImage", name, err)
		}
		if _, _, err := DecodePicture(data); !errors.Is(err, ErrNotAnImage) {
			t.Errorf("%s: DecodePicture = %v, want ErrNotAnImage", name, err)
		}
	}
	p := tinyPNG(t)
	cfg, format, err := PictureConfig(p, FormatPNG, FormatJPEG)
	if err != nil || format != FormatPNG || cfg.Width != 3 || cfg.Height != 2 {
		t.Fatalf("PNG: %+v %q %v", cfg, format, err)
	}
	if _, _, err := PictureConfig(p, FormatJPEG); !errors.Is(err, ErrNotAnImage) {
		t.Fatalf("a PNG where only JPEG is allowed: %v", err)
	}
	if img, _, err := DecodePicture(p); err != nil || img.Bounds().Dx() != 3 {
		t.Fatalf("DecodePicture: %v", err)
	}
}

func FuzzPicture(f *testing.F) {
	f.Add(tinyPNG(f))
	f.Add([]byte("II*\x00\x08\x00\x00\x00"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe0})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, format, err := PictureConfig(data)
		if err != nil {
			return
		}
		if format != PictureFormat(data) {
			t.Fatalf("format %q, magic says %q", format, PictureFormat(data))
		}
		if int64(cfg.Width)*int64(cfg.Height) > 1<<20 {
			return // a header may claim any size; callers check before decoding
		}
		DecodePicture(data)
	})
}
