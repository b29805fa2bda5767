package signal

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("signal service closed")
	// ErrInvalid is returned by Send for a signal the receiver would
	// refuse: an unknown kind, no call ID, or too large.
	ErrInvalid = errors.New("invalid signal")
	// ErrUnexpectedReply is returned when the peer answers with data
	// instead of closing the stream.
	ErrUnexpectedReply = errors.New("unexpected reply to a signal")
)
