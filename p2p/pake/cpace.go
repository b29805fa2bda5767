package pake

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"crypto/subtle"
	"fmt"

	"github.com/gtank/ristretto255"
)

const (
	// DSI is the cipher suite's domain separation string.
	DSI = "CPaceRistretto255"
	// PointLen is the length of a message: one encoded element.
	PointLen = 32
	// TagLen is the length of a confirmation tag.
	TagLen = 32
	// KeyLen is the length of Session.Key.
	KeyLen = 32
	// sInBytes is SHA-512's input block size, used to pad the generator
	// string so that the password fills the first hash block alone.
	sInBytes = 128
)

// Role says which side of the run this is. The initiator's message comes
// first in the transcript.
type Role int

const (
	Initiator Role = iota + 1
	Responder
)

// State is one side of a run between Start and Finish.
type State struct {
	role Role
	sid  []byte
	ad   []byte
	y    *ristretto255.Scalar
	msg  []byte // Y = y·g, encoded
}

// Start begins a run: prs is the shared password (the code), ci the channel
// identifier, sid the session ID both sides agreed on, ad this side's
// associated data (may be empty; the peer must pass it to Finish).
func Start(role Role, prs, ci, sid, ad []byte) (*State, error) {
	var b [64]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("pake: drawing a scalar: %w", err)
	}
	return start(role, prs, ci, sid, ad, ristretto255.NewScalar().FromUniformBytes(b[:]))
}

// start is Start with a given scalar: the hook for test vectors.
func start(role Role, prs, ci, sid, ad []byte, y *ristretto255.Scalar) (*State, error) {
	if role != Initiator && role != Responder {
		return nil, ErrRole
	}
	g := generator(prs, ci, sid)
	Y := ristretto255.NewElement().ScalarMult(y, g)
	return &State{
		role: role,
		sid:  append([]byte(nil), sid...),
		ad:   append([]byte(nil), ad...),
		y:    y,
		msg:  Y.Encode(nil),
	}, nil
}

// Message is what this side sends: PointLen bytes.
func (s *State) Message() []byte { return append([]byte(nil), s.msg...) }

// Finish takes the peer's message and associated data and derives the
// session. It fails with ErrBadPoint on anything that is not a canonical
// non-identity element, or when the shared point is the identity.
func (s *State) Finish(peerMsg, peerAD []byte) (*Session, error) {
	if len(peerMsg) != PointLen {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrBadPoint, len(peerMsg), PointLen)
	}
	Y := ristretto255.NewElement()
	if err := Y.Decode(peerMsg); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadPoint, err)
	}
	identity := ristretto255.NewElement()
	if Y.Equal(identity) == 1 {
		return nil, fmt.Errorf("%w: identity element", ErrBadPoint)
	}
	K := ristretto255.NewElement().ScalarMult(s.y, Y)
	if K.Equal(identity) == 1 {
		return nil, fmt.Errorf("%w: shared point is the identity", ErrBadPoint)
	}
	var transcript []byte
	if s.role == Initiator {
		transcript = transcriptIR(s.msg, s.ad, peerMsg, peerAD)
	} else {
		transcript = transcriptIR(peerMsg, peerAD, s.msg, s.ad)
	}
	h := sha512.New()
	h.Write(lvCat([]byte(DSI+"_ISK"), s.sid, K.Encode(nil)))
	h.Write(transcript)
	k := &Session{role: s.role, transcript: transcript}
	h.Sum(k.isk[:0])
	return k, nil
}

// Session is the result of a run: the intermediate session key (ISK) and
// what both sides saw.
type Session struct {
	role       Role
	transcript []byte
	isk        [64]byte
}

// Key is the key for the application, derived from the ISK apart from the
// confirmation keys. It is only trustworthy after Verify succeeded.
func (k *Session) Key() []byte {
	m := hmac.New(sha512.New, k.isk[:])
	m.Write([]byte("hearth/pake/session-key"))
	return m.Sum(nil)[:KeyLen]
}

// Confirm is this side's confirmation tag over extra.
func (k *Session) Confirm(extra []byte) []byte { return k.tag(k.role, extra) }

// Verify checks the peer's confirmation tag over extra in constant time.
func (k *Session) Verify(tag, extra []byte) error {
	peer := Initiator
	if k.role == Initiator {
		peer = Responder
	}
	if subtle.ConstantTimeCompare(tag, k.tag(peer, extra)) != 1 {
		return ErrMismatch
	}
	return nil
}

func (k *Session) tag(r Role, extra []byte) []byte {
	label := "hearth/pake/confirm/initiator"
	if r == Responder {
		label = "hearth/pake/confirm/responder"
	}
	m := hmac.New(sha512.New, k.isk[:])
	m.Write(lvCat([]byte(label), k.transcript, extra))
	return m.Sum(nil)[:TagLen]
}

// generator maps the password, channel identifier and session ID to a
// group element: SHA-512 of the generator string, through ristretto255's
// one-way map.
func generator(prs, ci, sid []byte) *ristretto255.Element {
	h := sha512.Sum512(generatorString(prs, ci, sid))
	return ristretto255.NewElement().FromUniformBytes(h[:])
}

func generatorString(prs, ci, sid []byte) []byte {
	zpad := sInBytes - 1 - len(prependLen(prs)) - len(prependLen([]byte(DSI)))
	if zpad < 0 {
		zpad = 0
	}
	return lvCat([]byte(DSI), prs, make([]byte, zpad), ci, sid)
}

func transcriptIR(ya, ada, yb, adb []byte) []byte {
	return append(lvCat(ya, ada), lvCat(yb, adb)...)
}

// prependLen prefixes data with its length in LEB128.
func prependLen(data []byte) []byte {
	var out []byte
	n := len(data)
	for {
		if n < 128 {
			out = append(out, byte(n))
		} else {
			out = append(out, byte(n&0x7f|0x80))
		}
		n >>= 7
		if n == 0 {
			break
		}
	}
	return append(out, data...)
}

func lvCat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, prependLen(p)...)
	}
	return out
}
