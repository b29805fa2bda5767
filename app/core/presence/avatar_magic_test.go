package presence

import (
	"errors"
	"image"
	"io"
	"sync/atomic"
	"testing"

	"hearth/app/core/base"
)

// trapCalls counts calls into a decoder registered the way x/image
// registers TIFF, BMP and WebP: image.DecodeConfig would pick it by its
// magic bytes.
var trapCalls atomic.Int32

func init() {
	image.RegisterFormat("trap", "TRAP", func(io.Reader) (image.Image, error) {
		trapCalls.Add(1)
		return nil, errors.New("trap")
	}, func(io.Reader) (image.Config, error) {
		trapCalls.Add(1)
		return image.Config{Width: 1, Height: 1}, nil
	})
}

// A contact's avatar reaches no decoder but the PNG or JPEG one its magic
// bytes name: before issue 14, image.DecodeConfig guessed among every
// registered format (TIFF's decoder had known vulnerabilities) before the
// type was checked.
func TestPeerAvatarNeverReachesOtherDecoders(t *testing.T) {
	for _, typ := range []string{"image/png", "image/jpeg", "image/trap"} {
		if _, err := decodePeerAvatar(typ, []byte("TRAP and then anything")); !errors.Is(err, base.ErrNotAnImage) {
			t.Errorf("%s: %v, want ErrNotAnImage", typ, err)
		}
	}
	if n := trapCalls.Load(); n != 0 {
		t.Fatalf("a peer's bytes reached a registered decoder %d times", n)
	}
}
