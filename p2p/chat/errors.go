package chat

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("chat service closed")
	// ErrTooLarge is returned by Send for a body above wire.MaxChatBody.
	ErrTooLarge = errors.New("chat message too large")
	// ErrInvalid is returned by Send for a message the receiver would
	// refuse, such as one without an ID.
	ErrInvalid = errors.New("invalid chat message")
	// ErrBadAck is returned when the peer acknowledges a message other
	// than the one expected next.
	ErrBadAck = errors.New("peer acknowledged an unexpected message")
)
