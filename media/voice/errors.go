package voice

import "errors"

var (
	// ErrMalformed is returned for a file that is not a well-formed Ogg Opus
	// stream (wrong magic, bad CRC, broken headers or packets, impossible
	// granule positions, trailing data).
	ErrMalformed = errors.New("not a valid Ogg Opus voice note")
	// ErrTruncated is returned for a file that ends before its end-of-stream
	// page, such as a transfer cut short.
	ErrTruncated = errors.New("voice note is cut short")
	// ErrUnsupported is returned for a valid Ogg Opus file this package does
	// not play: a newer major version or a multichannel mapping.
	ErrUnsupported = errors.New("unsupported Opus stream")
	// ErrTooLarge is returned for a file or packet above this package's limits.
	ErrTooLarge = errors.New("voice note too large")
)
