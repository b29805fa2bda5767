package presence

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	"hearth/app/core/base"
)

const (
	// AvatarSize is the side of the square every avatar is re-encoded to.
	AvatarSize = 128
	// maxAvatarFile bounds the picture file a user may choose.
	maxAvatarFile = 20 << 20
	// maxPeerAvatarSide bounds an avatar a contact sends: Hearth sends
	// AvatarSize; a little room is left for other encoders.
	maxPeerAvatarSide = 256
	// pngBudget: a picture whose PNG is larger than this (a photo) goes
	// out as JPEG instead.
	pngBudget = 40 << 10
)

// encodeAvatar reads a picture, crops its centre square, scales it to
// AvatarSize and encodes it as PNG (or JPEG for photos), always within
// wire.MaxAvatar. It returns the bytes and their MIME type.
func encodeAvatar(r io.Reader) ([]byte, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxAvatarFile+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading picture: %w", err)
	}
	if len(data) > maxAvatarFile {
		return nil, "", base.ErrImageTooLarge
	}
	cfg, _, err := base.PictureConfig(data)
	if err != nil {
		return nil, "", base.ErrNotAnImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > base.MaxPicturePixels {
		return nil, "", base.ErrImageTooLarge
	}
	src, _, err := base.DecodePicture(data)
	if err != nil {
		return nil, "", base.ErrNotAnImage
	}
	small := squareThumb(src, AvatarSize)
	var buf bytes.Buffer
	if err := png.Encode(&buf, small); err == nil && buf.Len() <= pngBudget {
		return buf.Bytes(), "image/png", nil
	}
	buf.Reset()
	if err := jpeg.Encode(&buf, small, &jpeg.Options{Quality: 85}); err != nil {
		return nil, "", fmt.Errorf("encoding avatar: %w", err)
	}
	return buf.Bytes(), "image/jpeg", nil
}

// squareThumb crops the centre square of src and scales it to side×side,
// averaging the source pixels that fall in each target pixel (a box
// filter: good enough downscaling for a face in a list row).
func squareThumb(src image.Image, side int) *image.NRGBA {
	b := src.Bounds()
	n := min(b.Dx(), b.Dy())
	x0 := b.Min.X + (b.Dx()-n)/2
	y0 := b.Min.Y + (b.Dy()-n)/2
	dst := image.NewNRGBA(image.Rect(0, 0, side, side))
	for ty := range side {
		sy0, sy1 := y0+ty*n/side, y0+(ty+1)*n/side
		sy1 = max(sy1, sy0+1)
		for tx := range side {
			sx0, sx1 := x0+tx*n/side, x0+(tx+1)*n/side
			sx1 = max(sx1, sx0+1)
			var r, g, bl, a, cnt uint64
			for y := sy0; y < sy1; y++ {
				for x := sx0; x < sx1; x++ {
					c := color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
					r += uint64(c.R)
					g += uint64(c.G)
					bl += uint64(c.B)
					a += uint64(c.A)
					cnt++
				}
			}
			dst.SetNRGBA(tx, ty, color.NRGBA{R: uint8(r / cnt), G: uint8(g / cnt), B: uint8(bl / cnt), A: uint8(a / cnt)})
		}
	}
	return dst
}

// decodePeerAvatar checks an avatar a contact sent: it must be a PNG or
// JPEG as its type says, at most maxPeerAvatarSide on each side, and
// decode completely. Anything else is refused.
func decodePeerAvatar(typ string, b []byte) (image.Image, error) {
	// The magic bytes pick the decoder: a contact's bytes never reach
	// one Hearth does not mean to read (TIFF, BMP, WebP are registered).
	cfg, format, err := base.PictureConfig(b, base.FormatPNG, base.FormatJPEG)
	if err != nil || "image/"+format != typ {
		return nil, base.ErrNotAnImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxPeerAvatarSide || cfg.Height > maxPeerAvatarSide {
		return nil, base.ErrImageTooLarge
	}
	img, _, err := base.DecodePicture(b, format)
	if err != nil {
		return nil, base.ErrNotAnImage
	}
	return img, nil
}
