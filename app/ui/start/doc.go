// Package start is the screen before the main window: the first run
// (name and an optional passphrase) or the unlock screen. It opens the
// profile through area.Launcher off the UI goroutine and hands the opened
// backend to the caller, which builds the main window (ui.Run).
package start
