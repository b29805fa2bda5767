package group

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("group service closed")
	// ErrInvalid is returned by Send for a frame the receiver would refuse.
	ErrInvalid = errors.New("invalid group frame")
	// ErrBadAck is returned when the peer acknowledges a frame other than
	// the one expected next.
	ErrBadAck = errors.New("peer acknowledged an unexpected group frame")
	// ErrBadState is returned by Verify for a state that does not decode,
	// breaks a limit, has an ID not derived from its creator, or whose
	// signature does not verify.
	ErrBadState = errors.New("group state does not verify")
)
