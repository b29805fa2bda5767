package base

import (
	"bytes"
	"errors"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
)

// Limits and errors for pictures a user picks (an avatar, a QR code to
// read): the same words wherever a picture is chosen.

// MaxPicturePixels bounds the decoded size of a chosen picture, so a small
// file that claims a huge image cannot take all memory.
const MaxPicturePixels = 50_000_000

var (
	// ErrNotAnImage: the chosen file (or a contact's avatar) is not a PNG,
	// JPEG or GIF picture that decodes.
	ErrNotAnImage = errors.New("this file is not a picture Hearth can read (PNG, JPEG or GIF)")
	// ErrImageTooLarge: the chosen picture is above the file or pixel limit.
	ErrImageTooLarge = errors.New("this picture is too large; choose one under 20 MB and 50 megapixels")
)

// The formats Hearth reads, by the magic bytes each file starts with.
const (
	FormatPNG  = "png"
	FormatJPEG = "jpeg"
	FormatGIF  = "gif"
)

var pictureMagic = []struct {
	format string
	magic  []byte
}{
	{FormatPNG, []byte("\x89PNG\r\n\x1a\n")},
	{FormatJPEG, []byte{0xff, 0xd8, 0xff}},
	{FormatGIF, []byte("GIF87a")},
	{FormatGIF, []byte("GIF89a")},
}

// PictureFormat names the format of a picture by its first bytes (PNG,
// JPEG or GIF), or "" for anything else. The standard library's
// image.DecodeConfig guesses among every registered decoder, TIFF, BMP
// and WebP included (golang.org/x/image, which Fyne pulls in): the
// magic bytes decide first, so bytes from a peer only ever reach the
// decoder of a format Hearth means to read.
func PictureFormat(head []byte) string {
	for _, m := range pictureMagic {
		if bytes.HasPrefix(head, m.magic) {
			return m.format
		}
	}
	return ""
}

// PictureConfig reads a picture's format and size with the decoder its
// magic bytes name, and only when that format is one of allowed (all
// three when allowed is empty). Anything else is ErrNotAnImage.
func PictureConfig(data []byte, allowed ...string) (image.Config, string, error) {
	format, err := pictureFormatIn(data, allowed)
	if err != nil {
		return image.Config{}, "", err
	}
	var cfg image.Config
	r := bytes.NewReader(data)
	switch format {
	case FormatPNG:
		cfg, err = png.DecodeConfig(r)
	case FormatJPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case FormatGIF:
		cfg, err = gif.DecodeConfig(r)
	}
	if err != nil {
		return image.Config{}, "", ErrNotAnImage
	}
	return cfg, format, nil
}

// DecodePicture decodes a picture with the decoder its magic bytes name,
// under the same rule as PictureConfig. Check the size with
// PictureConfig first: this decodes whatever size the header claims.
func DecodePicture(data []byte, allowed ...string) (image.Image, string, error) {
	format, err := pictureFormatIn(data, allowed)
	if err != nil {
		return nil, "", err
	}
	var img image.Image
	r := bytes.NewReader(data)
	switch format {
	case FormatPNG:
		img, err = png.Decode(r)
	case FormatJPEG:
		img, err = jpeg.Decode(r)
	case FormatGIF:
		img, err = gif.Decode(r)
	}
	if err != nil {
		return nil, "", ErrNotAnImage
	}
	return img, format, nil
}

func pictureFormatIn(data []byte, allowed []string) (string, error) {
	format := PictureFormat(data)
	if format == "" {
		return "", ErrNotAnImage
	}
	if len(allowed) == 0 {
		return format, nil
	}
	for _, a := range allowed {
		if a == format {
			return format, nil
		}
	}
	return "", ErrNotAnImage
}
