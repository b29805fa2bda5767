package files

import "errors"

var (
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("file service closed")
	// ErrRefused wraps the peer's reason for refusing an offer, a fetch or
	// a control message: "refused: <reason>".
	ErrRefused = errors.New("refused")
	// ErrInvalid is returned for an offer or control message the peer
	// would refuse (a bad name or transfer ID, a negative size …).
	ErrInvalid = errors.New("invalid file transfer")
	// ErrHashMismatch: every chunk arrived intact but the whole file's
	// SHA-256 is not the offered one. The partial file is discarded.
	ErrHashMismatch = errors.New("the file's SHA-256 does not match the offer")
	// ErrCorrupt: chunks kept arriving damaged (MaxCorruptRetries fetches in
	// a row).
	ErrCorrupt = errors.New("the file keeps arriving damaged")
	// ErrSizeMismatch: the sender serves a file of another size than it
	// offered.
	ErrSizeMismatch = errors.New("the sender's file is not the size it offered")
	// ErrProtocol: the peer broke the protocol (a chunk at the wrong offset,
	// a reply that does not decode …).
	ErrProtocol = errors.New("file protocol violation")
	// ErrStorage: the partial file cannot be read or written (a full disk,
	// a missing folder …). It wraps the system's error.
	ErrStorage = errors.New("cannot write the partial file")
	// ErrBusy: another Fetch is already writing the same partial file.
	ErrBusy = errors.New("a download into this file is already running")
)
