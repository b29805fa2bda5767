package store

import "errors"

var (
	// ErrWrongKey is returned by OpenSQLite when the key does not decrypt
	// the database. The file is left untouched. Because the encryption leaves
	// no plaintext marker, a file damaged in its first block looks the same;
	// callers that verify the key separately (see app/profile) can tell the
	// two apart.
	ErrWrongKey = errors.New("the message database cannot be decrypted with this key (wrong passphrase, or the file is damaged)")

	// ErrCorrupt is returned when the database file is damaged or is not a
	// Hearth database at all.
	ErrCorrupt = errors.New("the message database is damaged or is not a Hearth database")

	// ErrTooNew is returned when the database was written by a newer version
	// of Hearth whose schema this version does not know.
	ErrTooNew = errors.New("the message database was written by a newer version of Hearth")

	// ErrInvalid is returned for values that cannot be stored, such as a
	// message without an ID or a key of the wrong length.
	ErrInvalid = errors.New("invalid value")

	// ErrFull is returned when a write does not fit on the disk.
	ErrFull = errors.New("the disk is full")

	// ErrClosed is returned by every method after Close.
	ErrClosed = errors.New("store is closed")
)
