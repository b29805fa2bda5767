package profile

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("profile service closed")
	// ErrInvalid is returned by Send for a profile above the limits or
	// without a name.
	ErrInvalid = errors.New("invalid profile")
	// ErrUnexpectedReply is returned when the peer answers with data
	// instead of closing the stream.
	ErrUnexpectedReply = errors.New("unexpected reply to a profile")
)
