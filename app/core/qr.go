package core

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"hearth/p2p/wire"
)

// maxQRImageFile bounds the picture file read to look for a QR code.
const maxQRImageFile = 20 << 20

var (
	// ErrNoQRCode: no QR code could be read in the picture.
	ErrNoQRCode = errors.New("no QR code could be read in this picture; try a sharper or larger one")
	// ErrQRNotInvite: the picture's QR code is something else.
	ErrQRNotInvite = errors.New("the QR code in this picture is not a Hearth invite")
)

// InviteFromQRImage reads a picture file (PNG, JPEG or GIF, e.g. a
// screenshot of someone's invite QR code) and returns the invite code in
// its QR code.
func InviteFromQRImage(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("opening picture: %w", err)
	}
	defer f.Close()
	return inviteFromQR(f)
}

func inviteFromQR(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxQRImageFile+1))
	if err != nil {
		return "", fmt.Errorf("reading picture: %w", err)
	}
	if len(data) > maxQRImageFile {
		return "", ErrImageTooLarge
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", ErrNotAnImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxAvatarPixels {
		return "", ErrImageTooLarge
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", ErrNotAnImage
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", ErrNoQRCode
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", ErrNoQRCode
	}
	text := strings.TrimSpace(res.GetText())
	if _, err := wire.ParseInvite(text); errors.Is(err, wire.ErrNotInvite) {
		return "", ErrQRNotInvite
	}
	// A damaged code is returned as it is: AddByInvite explains what is
	// wrong with it.
	return text, nil
}
