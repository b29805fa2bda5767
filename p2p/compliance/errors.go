package compliance

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("compliance service closed")
	// ErrUnexpectedReply is returned when the peer answers with data
	// instead of closing the stream.
	ErrUnexpectedReply = errors.New("unexpected reply to a compliance notice")
)
