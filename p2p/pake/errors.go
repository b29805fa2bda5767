package pake

import "errors"

var (
	// ErrBadPoint: the peer's message is not a valid ristretto255 element,
	// or the shared point came out as the identity (a forged message).
	ErrBadPoint = errors.New("pake: invalid point from peer")
	// ErrMismatch: the peer's confirmation tag does not match: it used a
	// different code (or is not who it claims to be).
	ErrMismatch = errors.New("pake: confirmation failed, the codes differ")
	// ErrRole: the role is neither Initiator nor Responder.
	ErrRole = errors.New("pake: unknown role")
)
