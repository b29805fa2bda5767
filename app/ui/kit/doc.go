// Package kit holds the UI's small building blocks that know nothing of
// the main window: Hearth's theme and presence colours, the composer and
// Escape-aware entries, badges, avatars, the press-and-hold button, text
// helpers (wrapping, error sentences, display names) and the transfer
// formatting helpers (sizes, times, file icons). Every other UI package
// may import it; it imports none of them.
package kit
