package carry

import "errors"

var (
	// ErrClosed is returned by Deposit and Handover after Close.
	ErrClosed = errors.New("carry service closed")
	// ErrBadReply is returned when the peer answers for an envelope other
	// than the one expected next.
	ErrBadReply = errors.New("peer answered for an unexpected envelope")
	// ErrInvalid is returned for an envelope the peer would refuse to
	// decode.
	ErrInvalid = errors.New("invalid envelope")
)
