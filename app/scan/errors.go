package scan

import "errors"

var (
	// ErrUnavailable: clamd cannot be reached (no socket, refused, or the
	// connection dropped before it answered).
	ErrUnavailable = errors.New("the virus scanner (clamd) is not available")

	// ErrTimeout: clamd did not answer in time.
	ErrTimeout = errors.New("the virus scanner (clamd) did not answer in time")

	// ErrTooLarge: the file is above clamd's StreamMaxLength.
	ErrTooLarge = errors.New("the file is too large for the virus scanner")

	// ErrScanFailed: clamd answered with an error, or with something this
	// client does not understand.
	ErrScanFailed = errors.New("the virus scanner could not check the file")
)
