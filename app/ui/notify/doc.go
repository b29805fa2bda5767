// Package notify throttles and sends the desktop notifications for new
// messages, and finds out once whether this desktop can show them at all
// (on Linux and the BSDs they need a D-Bus session). The main window
// decides when a message deserves one.
package notify
