package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestIcons(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(IconPNG))
	if err != nil {
		t.Fatalf("decoding IconPNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("IconPNG is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
	if !bytes.Contains(IconSVG, []byte("<svg")) {
		t.Error("IconSVG does not look like SVG")
	}
}
