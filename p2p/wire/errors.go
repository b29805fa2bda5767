package wire

import "errors"

var (
	// ErrFrameTooLarge is returned when a frame announces more bytes than
	// the reader's limit. Nothing is allocated for it.
	ErrFrameTooLarge = errors.New("frame too large")
	// ErrTruncated is returned when a stream ends in the middle of a frame.
	ErrTruncated = errors.New("truncated frame")
	// ErrMalformed is returned when a message's bytes are not a valid
	// encoding: truncated, a wrong wire type for a known field, or text that
	// is not UTF-8.
	ErrMalformed = errors.New("malformed message")
	// ErrTooLarge is returned by Validate when a field is above its limit.
	ErrTooLarge = errors.New("message field too large")
	// ErrInvalid is returned by Validate when a required field is missing
	// or a value is out of range.
	ErrInvalid = errors.New("invalid message")
	// ErrNotInvite means the text is not a Hearth invite code at all.
	ErrNotInvite = errors.New("this is not a Hearth invite code")
	// ErrBadInvite means the text looks like a Hearth invite code but is
	// damaged (a character changed or missing, or cut short).
	ErrBadInvite = errors.New("this Hearth invite code is damaged; ask for it again and copy all of it")
)
