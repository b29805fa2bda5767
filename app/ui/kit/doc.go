// Package kit holds the UI's small building blocks that know nothing of
// the main window: Hearth's theme and presence colours, the composer and
// Escape-aware entries, badges, avatars, contact rows and verified marks,
// the press-and-hold button, tappable bubbles, the activity layer, text
// helpers (wrapping, error sentences, display names) and the transfer
// formatting helpers (sizes, times, file icons). Every other UI package
// may import it; it imports none of them.
package kit
