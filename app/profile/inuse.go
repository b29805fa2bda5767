package profile

import (
	"errors"
	"path/filepath"
)

// InUse reports whether a running Hearth holds the profile in dir open.
// It takes the lock for an instant when it is free, so it never blocks
// a Hearth that starts at the same moment for longer than that.
func InUse(dir string) bool {
	f, err := lockFile(filepath.Join(dir, lockName))
	if errors.Is(err, ErrLocked) {
		return true
	}
	if err == nil {
		unlockFile(f)
	}
	return false
}
