package pairing

import (
	"bytes"
	"crypto/rand"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	qrencode "github.com/skip2/go-qrcode"

	"hearth/app/core/base"
	"hearth/p2p/wire"
)

// TestQRRoundTrip: an invite code drawn as a QR code, the way the add
// dialog shows it, reads back from PNG, from a lossy JPEG and from a
// screenshot where it sits off-centre on a larger background.
func TestQRRoundTrip(t *testing.T) {
	code := testInvite(t)
	pngBytes, _, err := QRCode(code, 320)
	if err != nil {
		t.Fatal(err)
	}
	got, err := inviteFromQR(bytes.NewReader(pngBytes))
	if err != nil || got != code {
		t.Fatalf("png: %q, %v", got, err)
	}
	qr, _ := png.Decode(bytes.NewReader(pngBytes))
	shot := image.NewRGBA(image.Rect(0, 0, 900, 700))
	for y := range 700 {
		for x := range 900 {
			shot.Set(x, y, color.RGBA{230, 230, 240, 255})
		}
	}
	b := qr.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			shot.Set(x+420, y+250, qr.At(x, y))
		}
	}
	var jb bytes.Buffer
	jpeg.Encode(&jb, shot, &jpeg.Options{Quality: 70})
	got, err = inviteFromQR(&jb)
	if err != nil || got != code {
		t.Fatalf("jpeg screenshot: %q, %v", got, err)
	}
	// A QR code of something else, and a picture without one.
	other, _ := qrencode.Encode("https://example.invalid/", qrencode.Medium, 256)
	if _, err := inviteFromQR(bytes.NewReader(other)); err != ErrQRNotInvite {
		t.Fatalf("other QR: %v", err)
	}
	var blank bytes.Buffer
	png.Encode(&blank, image.NewGray(image.Rect(0, 0, 200, 200)))
	if _, err := inviteFromQR(&blank); err != ErrNoQRCode {
		t.Fatalf("blank: %v", err)
	}
	if _, err := inviteFromQR(bytes.NewReader([]byte("hearth:not a picture"))); err != base.ErrNotAnImage {
		t.Fatalf("text: %v", err)
	}
}

// testInvite is an invite code as InviteCode makes them: a fresh peer ID,
// LAN and loopback addresses, a secret and a name.
func testInvite(t *testing.T) string {
	t.Helper()
	priv, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return wire.EncodeInvite(wire.Invite{PeerID: id.String(), Secret: "k7rzq2mxw4v5c3tbn6yhd8jf2e",
		Name: "Ann", Addrs: []string{"/ip4/192.168.1.20/tcp/4001", "/ip4/192.168.1.20/udp/4001/quic-v1", "/ip4/127.0.0.1/tcp/4001"}})
}
