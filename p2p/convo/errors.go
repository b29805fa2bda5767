package convo

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("conversation update service closed")
	// ErrInvalid is returned by Send for an update the receiver would
	// refuse (too large, no target, no time).
	ErrInvalid = errors.New("invalid conversation update")
	// ErrUnexpectedReply is returned when the peer answers with data
	// instead of closing the stream.
	ErrUnexpectedReply = errors.New("unexpected reply to a conversation update")
)
