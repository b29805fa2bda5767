package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Window shortcuts typed inside an entry. Fyne hands a shortcut to the
// focused widget only, and an Entry drops the ones it does not know, so
// Ctrl+F (search) and Ctrl+L (lock) did nothing while the cursor was in the message entry (which has
// the focus whenever a conversation is open). The entries pass these on
// to the window's canvas.

// isWindowShortcut reports whether s belongs to the window rather than to
// the text being edited.
func isWindowShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyF || cs.KeyName == fyne.KeyL) && cs.Modifier == fyne.KeyModifierShortcutDefault
}

// passToWindow sends a window shortcut typed in obj to obj's canvas and
// reports whether it did. While a dialog is open its fields keep the
// shortcut: the search panel does not open on top of another dialog.
func passToWindow(obj fyne.CanvasObject, s fyne.Shortcut) bool {
	if !isWindowShortcut(s) {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(obj)
	if c == nil || c.Overlays().Top() != nil {
		return false
	}
	h, ok := c.(interface{ TypedShortcut(fyne.Shortcut) })
	if !ok {
		return false
	}
	h.TypedShortcut(s)
	return true
}

func (e *ComposerEntry) TypedShortcut(s fyne.Shortcut) {
	if !passToWindow(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

func (e *EscEntry) TypedShortcut(s fyne.Shortcut) {
	if !passToWindow(e, s) {
		e.Entry.TypedShortcut(s)
	}
}
