package contactreq

import "errors"

var (
	// ErrClosed is returned by Send after Close.
	ErrClosed = errors.New("contact request service closed")
	// ErrInvalid is returned by Send for a request the receiver would
	// refuse (unknown kind, fields above their limits), and for a reply
	// that does not decode.
	ErrInvalid = errors.New("invalid contact request")
	// ErrNoReply is returned when the peer ends the stream without a
	// reply. The usual reason is its rate limit: try again later.
	ErrNoReply = errors.New("no reply to the contact request (the other side may be limiting requests; try again later)")
)
