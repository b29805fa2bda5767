package seal

import "errors"

var (
	// ErrKeyType: only Ed25519 identities can seal and open envelopes.
	ErrKeyType = errors.New("sealing needs an Ed25519 identity key")
	// ErrNotForMe: the envelope is addressed to someone else.
	ErrNotForMe = errors.New("envelope is addressed to someone else")
	// ErrVersion: a sealing version this Hearth does not know.
	ErrVersion = errors.New("unknown envelope version")
	// ErrOpen: the box does not open: it was altered, or sealed to
	// another key.
	ErrOpen = errors.New("envelope does not open (altered, or not sealed to this key)")
	// ErrSignature: the content is not signed by the sender it names.
	ErrSignature = errors.New("envelope content is not signed by its sender")
	// ErrMalformed: the envelope or its content does not decode.
	ErrMalformed = errors.New("malformed envelope")
	// ErrTooLarge: the payload is above wire.MaxSealedPayload.
	ErrTooLarge = errors.New("payload too large to seal")
)
