package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/crypto/curve25519"

	"hearth/p2p/wire"
)

// key returns the libp2p Ed25519 key whose seed is b, b+1, … b+31.
func key(t testing.TB, b byte) (crypto.PrivKey, peer.ID) {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = b + byte(i)
	}
	k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return k, id
}

var expiry = time.UnixMilli(1700000000000)

func TestRoundTrip(t *testing.T) {
	sk, sid := key(t, 0)
	rk, rid := key(t, 32)
	for _, payload := range [][]byte{nil, []byte("hello ☃"), bytes.Repeat([]byte{7}, wire.MaxSealedPayload)} {
		e, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, payload)
		if err != nil {
			t.Fatal(err)
		}
		// Through the wire encoding, as a carrier keeps it.
		var got wire.Envelope
		if err := got.Unmarshal(e.Marshal()); err != nil {
			t.Fatal(err)
		}
		o, err := Open(rk, got)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if o.Sender != sid || o.Kind != wire.SealedChat || !bytes.Equal(o.Payload, payload) || o.ID != "env-1" || !o.Expires.Equal(expiry) {
			t.Fatalf("opened %+v", o)
		}
		if len(payload) > 0 && bytes.Contains(e.Marshal(), payload[:min(len(payload), 32)]) {
			t.Fatal("plaintext visible in the envelope")
		}
	}
}

func TestSealRefusesOversizedPayload(t *testing.T) {
	sk, _ := key(t, 0)
	_, rid := key(t, 32)
	_, err := Seal(rand.Reader, sk, rid, "x", expiry, wire.SealedChat, make([]byte, wire.MaxSealedPayload+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestTamperAnywhereFails(t *testing.T) {
	sk, _ := key(t, 0)
	rk, rid := key(t, 32)
	e, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, []byte("meet at noon"))
	if err != nil {
		t.Fatal(err)
	}
	b := e.Marshal()
	for i := range b {
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			c := bytes.Clone(b)
			c[i] ^= flip
			var x wire.Envelope
			if x.Unmarshal(c) != nil {
				continue
			}
			if o, err := Open(rk, x); err == nil {
				t.Fatalf("byte %d ^ %#x: opened %+v", i, flip, o)
			}
		}
	}
	// Changing a field of the outside while keeping the encoding valid.
	for name, change := range map[string]func(*wire.Envelope){
		"id":      func(e *wire.Envelope) { e.ID = "env-2" },
		"expires": func(e *wire.Envelope) { e.Expires += 86400000 },
		"box cut": func(e *wire.Envelope) { e.Box = e.Box[:len(e.Box)-1] },
		"box+":    func(e *wire.Envelope) { e.Box = append(bytes.Clone(e.Box), 0) },
	} {
		x := e
		change(&x)
		if _, err := Open(rk, x); !errors.Is(err, ErrOpen) {
			t.Errorf("%s changed: %v, want ErrOpen", name, err)
		}
	}
}

func TestWrongRecipient(t *testing.T) {
	sk, _ := key(t, 0)
	_, rid := key(t, 32)
	ck, cid := key(t, 64) // the carrier
	e, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, []byte("for R only"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ck, e); !errors.Is(err, ErrNotForMe) {
		t.Fatalf("carrier opening: %v, want ErrNotForMe", err)
	}
	// Re-addressing the outside to the carrier does not help it.
	e.Recipient = cid.String()
	if _, err := Open(ck, e); !errors.Is(err, ErrOpen) {
		t.Fatalf("carrier opening re-addressed envelope: %v, want ErrOpen", err)
	}
}

// sealContent seals arbitrary content (a forged signature, another
// sender) with a correct box, as an attacker who knows the recipient's
// public key can.
func sealContent(t *testing.T, recipient peer.ID, id string, c wire.SealedContent) wire.Envelope {
	t.Helper()
	to, err := montgomeryOf(recipient)
	if err != nil {
		t.Fatal(err)
	}
	eph := make([]byte, 32)
	rand.Read(eph)
	ephPub, _ := curve25519.X25519(eph, curve25519.Basepoint)
	e := wire.Envelope{Version: Version, Recipient: recipient.String(), ID: id, Expires: expiry.UnixMilli(), Ephemeral: ephPub}
	shared, err := curve25519.X25519(eph, to)
	if err != nil {
		t.Fatal(err)
	}
	aead, nonce, err := boxKey(shared, ephPub, to)
	if err != nil {
		t.Fatal(err)
	}
	e.Box = aead.Seal(nil, nonce, c.Marshal(), associated(e))
	return e
}

func TestForgedSender(t *testing.T) {
	_, sid := key(t, 0)
	mk, _ := key(t, 96) // Mallory
	rk, rid := key(t, 32)
	c := wire.SealedContent{Sender: sid.String(), Kind: wire.SealedChat, Payload: []byte("send money")}
	e := wire.Envelope{Recipient: rid.String(), ID: "env-1", Expires: expiry.UnixMilli()}
	msk, _ := signingKey(mk)
	c.Signature = ed25519.Sign(msk, signedBytes(e, c)) // Mallory's signature, S's name
	if _, err := Open(rk, sealContent(t, rid, "env-1", c)); !errors.Is(err, ErrSignature) {
		t.Fatalf("forged sender: %v, want ErrSignature", err)
	}
	c.Signature = make([]byte, wire.SignatureSize)
	if _, err := Open(rk, sealContent(t, rid, "env-1", c)); !errors.Is(err, ErrSignature) {
		t.Fatalf("zero signature: %v, want ErrSignature", err)
	}
}

// A recipient cannot pass on what it received as though it had been sent
// to someone else: the recipient is in the signed bytes.
func TestRetargetFails(t *testing.T) {
	sk, _ := key(t, 0)
	rk, rid := key(t, 32)
	tk, tid := key(t, 64)
	e, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, []byte("for R"))
	if err != nil {
		t.Fatal(err)
	}
	// R opens it and keeps the signed content…
	to, _ := montgomeryOf(rid)
	rsk, _ := signingKey(rk)
	shared, _ := curve25519.X25519(scalarOf(rsk), e.Ephemeral)
	aead, nonce, _ := boxKey(shared, e.Ephemeral, to)
	plain, err := aead.Open(nil, nonce, e.Box, associated(e))
	if err != nil {
		t.Fatal(err)
	}
	var c wire.SealedContent
	if err := c.Unmarshal(plain); err != nil {
		t.Fatal(err)
	}
	// …and re-seals it, signature and all, to T.
	if _, err := Open(tk, sealContent(t, tid, "env-1", c)); !errors.Is(err, ErrSignature) {
		t.Fatalf("re-targeted: %v, want ErrSignature", err)
	}
}

func TestOpenRefusesBadInput(t *testing.T) {
	rk, rid := key(t, 32)
	sk, _ := key(t, 0)
	good, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(e *wire.Envelope){
		"version":       func(e *wire.Envelope) { e.Version = 2 },
		"no ephemeral":  func(e *wire.Envelope) { e.Ephemeral = nil },
		"zero key":      func(e *wire.Envelope) { e.Ephemeral = make([]byte, 32) },
		"no box":        func(e *wire.Envelope) { e.Box = nil },
		"no id":         func(e *wire.Envelope) { e.ID = "" },
		"bad recipient": func(e *wire.Envelope) { e.Recipient = "nobody" },
	}
	for name, change := range cases {
		e := good
		change(&e)
		if _, err := Open(rk, e); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	// A non-Ed25519 recipient or opener.
	ek, _, _ := crypto.GenerateECDSAKeyPair(rand.Reader)
	if _, err := Open(ek, good); !errors.Is(err, ErrKeyType) {
		t.Errorf("ECDSA opener: %v", err)
	}
	eid, _ := peer.IDFromPrivateKey(ek)
	if _, err := Seal(rand.Reader, sk, eid, "e", expiry, wire.SealedChat, nil); !errors.Is(err, ErrKeyType) {
		t.Errorf("ECDSA recipient: %v", err)
	}
}

// The sealed format is frozen: this envelope, sealed by the key with seed
// 00…1f to the key with seed 20…3f with an ephemeral scalar of 0x42 bytes,
// must keep opening, and sealing must keep producing it.
const fixtureEnvelope = "08011234313244334b6f6f574364336558387235696852767a4b3750317950713561616b61424a684735474e6a313859547a7450686f43611a07656e762d3030312080d095ffbc312a20132c442be010fbd57e72603328aa76e71fccc1503aae219327d14d9c9993f472329201dcb9a0fa69adc6072dfb0031ed46fe3e342d7b5165f898ab3fbfe2655f8bbae47bdbca1a3931ec0a021c8e7f4abcedd5fd93cc7ce9ae50be66369627da32eb51ec0a68aaf2d65918ed73950ee9bd6c5107c5d80ee081da3b0d1052c547062b24319ea7774f0a0caec8b8c29b4b1a57cb5e91640183d012a6e9a8b87f4e54d2c245c58ad309df30ef12d89badddd4f25903b4"

func TestFixture(t *testing.T) {
	sk, sid := key(t, 0)
	rk, rid := key(t, 32)
	eph := bytes.Repeat([]byte{0x42}, 32)
	e, err := Seal(bytes.NewReader(eph), sk, rid, "env-001", time.UnixMilli(1700000000000), wire.SealedChat, []byte("hi ☃"))
	if err != nil {
		t.Fatal(err)
	}
	got := hex.EncodeToString(e.Marshal())
	if got != fixtureEnvelope {
		t.Fatalf("sealed encoding changed:\n got %s\nwant %s", got, fixtureEnvelope)
	}
	b, _ := hex.DecodeString(fixtureEnvelope)
	var x wire.Envelope
	if err := x.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	o, err := Open(rk, x)
	if err != nil {
		t.Fatal(err)
	}
	if o.Sender != sid || string(o.Payload) != "hi ☃" || o.ID != "env-001" {
		t.Fatalf("opened %+v", o)
	}
}

func FuzzOpen(f *testing.F) {
	sk, _ := key(f, 0)
	rk, rid := key(f, 32)
	e, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, []byte("seed"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(e.Marshal())
	b, _ := hex.DecodeString(fixtureEnvelope)
	f.Add(b)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var x wire.Envelope
		if x.Unmarshal(b) != nil {
			return
		}
		o, err := Open(rk, x)
		if err == nil && (o.Kind != wire.SealedChat || x.Recipient != rid.String()) {
			t.Fatalf("opened a forged envelope: %+v", o)
		}
	})
}

func BenchmarkSeal(b *testing.B) {
	sk, _ := key(b, 0)
	_, rid := key(b, 32)
	payload := make([]byte, 200)
	for b.Loop() {
		if _, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	sk, _ := key(b, 0)
	rk, rid := key(b, 32)
	e, err := Seal(rand.Reader, sk, rid, "env-1", expiry, wire.SealedChat, make([]byte, 200))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Open(rk, e); err != nil {
			b.Fatal(err)
		}
	}
}
