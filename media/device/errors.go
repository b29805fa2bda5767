package device

import "errors"

var (
	// ErrNoDevice is returned when there is no usable device of the kind asked
	// for (for example no audio output on a headless machine).
	ErrNoDevice = errors.New("no such device")
	// ErrClosed is returned by a capture, decoder or speaker used after Close.
	ErrClosed = errors.New("closed")
	// ErrBadFrame is returned when a received frame cannot be decoded.
	ErrBadFrame = errors.New("bad frame")
	// ErrTooLarge is returned when a received frame is larger than allowed.
	ErrTooLarge = errors.New("frame too large")
)
