package presence

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("presence service closed")
	// ErrTooLarge is returned by Send for a status text above
	// wire.MaxPresenceText.
	ErrTooLarge = errors.New("status text too long")
	// ErrUnexpectedReply is returned when the peer answers with data
	// instead of closing the stream.
	ErrUnexpectedReply = errors.New("unexpected reply to a presence update")
)
