package profile

import "errors"

var (
	// ErrWrongPassphrase is returned by Open when the passphrase does not
	// unlock the profile. Nothing in the folder is changed.
	ErrWrongPassphrase = errors.New("wrong passphrase")

	// ErrLocked is returned when the profile is already open, by this or
	// another process.
	ErrLocked = errors.New("this profile is already open in another Hearth window")

	// ErrExists is returned by Create when the folder already holds a profile.
	ErrExists = errors.New("a profile already exists in this folder")

	// ErrLeftDatabase is returned by Create when the folder holds a
	// database (hearth.db) without its profile.json: a profile whose
	// profile.json was lost, or a Create that did not finish. Create never
	// deletes it; CreateReplacing does.
	ErrLeftDatabase = errors.New("this folder holds a Hearth database (hearth.db) but not its profile.json")

	// ErrNoProfile is returned by Open when the folder holds no profile.
	ErrNoProfile = errors.New("no profile in this folder")

	// ErrBadName is returned for a display name that is empty, longer than
	// 64 characters, or contains control characters.
	ErrBadName = errors.New("a name must be 1 to 64 characters, without control characters")

	// ErrDamaged is returned when the passphrase is right but the profile's
	// files cannot be read (a damaged disk, or files mixed from two
	// profiles).
	ErrDamaged = errors.New("the profile's files are damaged")

	// ErrTooNew is returned for a profile written by a newer Hearth.
	ErrTooNew = errors.New("this profile was created by a newer version of Hearth")
)
