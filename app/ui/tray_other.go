//go:build !(linux || freebsd || openbsd || netbsd)

package ui

// trayHost: Windows and macOS always have a tray (notification area,
// menu bar).
func trayHost() bool { return true }
