//go:build !windows

package desktop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Autostart reports whether Hearth starts at login.
func Autostart() bool {
	f, err := autostartFile()
	if err != nil {
		return false
	}
	_, err = os.Stat(f)
	return err == nil
}

// SetAutostart makes Hearth start at login in the background (on), or
// not (off), for the program that runs now.
func SetAutostart(on bool) error {
	f, err := autostartFile()
	if err != nil {
		return err
	}
	if !on {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", f, err)
		}
		return nil
	}
	exe, err := executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(f), err)
	}
	tmp := f + ".tmp"
	if err := os.WriteFile(tmp, []byte(autostartEntry(exe)), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", f, err)
	}
	if err := os.Rename(tmp, f); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", f, err)
	}
	return nil
}
