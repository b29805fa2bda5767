//go:build windows

package desktop

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// runKey is where Windows looks for programs to start at login.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// Autostart reports whether Hearth starts at login.
func Autostart() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue("Hearth")
	return err == nil
}

// SetAutostart makes Hearth start at login in the background (on), or
// not (off), for the program that runs now.
func SetAutostart(on bool) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening the Run key: %w", err)
	}
	defer k.Close()
	if !on {
		if err := k.DeleteValue("Hearth"); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("removing Hearth from the Run key: %w", err)
		}
		return nil
	}
	exe, err := executable()
	if err != nil {
		return err
	}
	return k.SetStringValue("Hearth", `"`+exe+`" `+BackgroundFlag)
}
