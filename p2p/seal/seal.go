package seal

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"io"
	"time"

	"filippo.io/edwards25519"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/curve25519"
	"google.golang.org/protobuf/encoding/protowire"

	"hearth/p2p/wire"
)

// Version is the sealing construction this package writes and opens.
const Version = 1

const (
	keyInfo   = "hearth/seal/1 key"
	adPrefix  = "hearth/seal/1 ad\x00"
	sigPrefix = "hearth/seal/1 sig\x00"
)

// Opened is an envelope's content once Open has checked it.
type Opened struct {
	Sender  peer.ID
	Kind    uint32
	Payload []byte
	ID      string
	Expires time.Time
}

// Seal seals payload, of the given kind, from the holder of sender to
// recipient. id names the envelope (carriers and recipients drop a second
// copy); expires tells carriers when to give up. rnd supplies the
// ephemeral key (crypto/rand.Reader; tests pass a fixed stream).
func Seal(rnd io.Reader, sender crypto.PrivKey, recipient peer.ID, id string, expires time.Time, kind uint32, payload []byte) (wire.Envelope, error) {
	if len(payload) > wire.MaxSealedPayload {
		return wire.Envelope{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(payload), wire.MaxSealedPayload)
	}
	sk, err := signingKey(sender)
	if err != nil {
		return wire.Envelope{}, err
	}
	from, err := peer.IDFromPrivateKey(sender)
	if err != nil {
		return wire.Envelope{}, fmt.Errorf("sealing: %w", err)
	}
	to, err := montgomeryOf(recipient)
	if err != nil {
		return wire.Envelope{}, err
	}
	eph := make([]byte, curve25519.ScalarSize)
	if _, err := io.ReadFull(rnd, eph); err != nil {
		return wire.Envelope{}, fmt.Errorf("sealing: drawing an ephemeral key: %w", err)
	}
	ephPub, err := curve25519.X25519(eph, curve25519.Basepoint)
	if err != nil {
		return wire.Envelope{}, fmt.Errorf("sealing: %w", err)
	}
	e := wire.Envelope{
		Version:   Version,
		Recipient: recipient.String(),
		ID:        id,
		Expires:   expires.UnixMilli(),
		Ephemeral: ephPub,
	}
	content := wire.SealedContent{Sender: from.String(), Kind: kind, Payload: payload}
	content.Signature = ed25519.Sign(sk, signedBytes(e, content))

	shared, err := curve25519.X25519(eph, to)
	if err != nil {
		return wire.Envelope{}, fmt.Errorf("%w: recipient key: %v", ErrKeyType, err)
	}
	aead, nonce, err := boxKey(shared, ephPub, to)
	if err != nil {
		return wire.Envelope{}, err
	}
	e.Box = aead.Seal(nil, nonce, content.Marshal(), associated(e))
	if err := e.Validate(); err != nil {
		return wire.Envelope{}, fmt.Errorf("sealing: %w", err)
	}
	return e, nil
}

// Open opens an envelope sealed to the holder of key and checks the
// sender's signature. It never panics on hostile input: every failure is
// one of this package's errors.
func Open(key crypto.PrivKey, e wire.Envelope) (Opened, error) {
	if err := e.Validate(); err != nil {
		return Opened{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if e.Version != Version {
		return Opened{}, fmt.Errorf("%w: %d", ErrVersion, e.Version)
	}
	sk, err := signingKey(key)
	if err != nil {
		return Opened{}, err
	}
	me, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return Opened{}, fmt.Errorf("opening: %w", err)
	}
	if e.Recipient != me.String() {
		return Opened{}, ErrNotForMe
	}
	mine, err := montgomeryOf(me)
	if err != nil {
		return Opened{}, err
	}
	shared, err := curve25519.X25519(scalarOf(sk), e.Ephemeral)
	if err != nil {
		// A low-order ephemeral key: no honest sender makes one.
		return Opened{}, fmt.Errorf("%w: %v", ErrOpen, err)
	}
	aead, nonce, err := boxKey(shared, e.Ephemeral, mine)
	if err != nil {
		return Opened{}, err
	}
	plain, err := aead.Open(nil, nonce, e.Box, associated(e))
	if err != nil {
		return Opened{}, ErrOpen
	}
	var c wire.SealedContent
	if err := c.Unmarshal(plain); err != nil {
		return Opened{}, fmt.Errorf("%w: content: %v", ErrMalformed, err)
	}
	if err := c.Validate(); err != nil {
		return Opened{}, fmt.Errorf("%w: content: %v", ErrMalformed, err)
	}
	from, err := peer.Decode(c.Sender)
	if err != nil {
		return Opened{}, fmt.Errorf("%w: sender: %v", ErrMalformed, err)
	}
	pub, err := from.ExtractPublicKey()
	if err != nil {
		return Opened{}, fmt.Errorf("%w: sender key: %v", ErrSignature, err)
	}
	if pub.Type() != crypto.Ed25519 {
		return Opened{}, fmt.Errorf("%w: sender", ErrKeyType)
	}
	raw, err := pub.Raw()
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return Opened{}, fmt.Errorf("%w: sender key", ErrSignature)
	}
	if !ed25519.Verify(ed25519.PublicKey(raw), signedBytes(e, c), c.Signature) {
		return Opened{}, ErrSignature
	}
	return Opened{
		Sender:  from,
		Kind:    c.Kind,
		Payload: c.Payload,
		ID:      e.ID,
		Expires: time.UnixMilli(e.Expires),
	}, nil
}

// signingKey returns the Ed25519 key inside a libp2p private key.
func signingKey(k crypto.PrivKey) (ed25519.PrivateKey, error) {
	if k == nil || k.Type() != crypto.Ed25519 {
		return nil, ErrKeyType
	}
	raw, err := k.Raw()
	if err != nil || len(raw) != ed25519.PrivateKeySize {
		return nil, ErrKeyType
	}
	return ed25519.PrivateKey(raw), nil
}

// scalarOf is the X25519 scalar matching an Ed25519 key: the first half of
// SHA-512 of its seed (X25519 clamps it, as Ed25519 does).
func scalarOf(k ed25519.PrivateKey) []byte {
	h := sha512.Sum512(k.Seed())
	return h[:curve25519.ScalarSize]
}

// montgomeryOf maps a peer's Ed25519 identity key to its X25519 public key.
func montgomeryOf(id peer.ID) ([]byte, error) {
	pub, err := id.ExtractPublicKey()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyType, err)
	}
	if pub.Type() != crypto.Ed25519 {
		return nil, ErrKeyType
	}
	raw, err := pub.Raw()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyType, err)
	}
	p, err := new(edwards25519.Point).SetBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: not a curve point", ErrKeyType)
	}
	return p.BytesMontgomery(), nil
}

// boxKey derives the AEAD and its nonce from the shared secret.
func boxKey(shared, ephPub, recipient []byte) (aeadSealer, []byte, error) {
	salt := append(append(make([]byte, 0, 64), ephPub...), recipient...)
	km, err := hkdf.Key(sha256.New, shared, salt, keyInfo, chacha20poly1305.KeySize+chacha20poly1305.NonceSize)
	if err != nil {
		return nil, nil, fmt.Errorf("deriving the envelope key: %w", err)
	}
	aead, err := chacha20poly1305.New(km[:chacha20poly1305.KeySize])
	if err != nil {
		return nil, nil, fmt.Errorf("deriving the envelope key: %w", err)
	}
	return aead, km[chacha20poly1305.KeySize:], nil
}

type aeadSealer interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

// associated is the data the box authenticates besides its content: the
// envelope's outside.
func associated(e wire.Envelope) []byte {
	return append([]byte(adPrefix), e.Header()...)
}

// signedBytes is what the sender signs: who it is for, which envelope,
// until when, from whom, and what.
func signedBytes(e wire.Envelope, c wire.SealedContent) []byte {
	b := make([]byte, 0, len(sigPrefix)+len(e.Recipient)+len(e.ID)+len(c.Sender)+len(c.Payload)+32)
	b = append(b, sigPrefix...)
	b = protowire.AppendString(b, e.Recipient)
	b = protowire.AppendString(b, e.ID)
	b = protowire.AppendVarint(b, uint64(e.Expires))
	b = protowire.AppendString(b, c.Sender)
	b = protowire.AppendVarint(b, uint64(c.Kind))
	b = protowire.AppendBytes(b, c.Payload)
	return b
}
