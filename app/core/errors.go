package core

import (
	"errors"

	"hearth/app/profile"
)

// IsWrongPassphrase reports whether err means the passphrase did not open
// the profile, so the user should be asked again.
func IsWrongPassphrase(err error) bool { return errors.Is(err, profile.ErrWrongPassphrase) }
