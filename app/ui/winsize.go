package ui

import (
	"fyne.io/fyne/v2"
)

// DefaultSize is the main window's size on first start: wide enough for
// the sidebar, a conversation header with the contact's name and the Call
// button, and the composer's hint, on a 1366×768 laptop screen.
var DefaultSize = fyne.NewSize(960, 640)

// minRemembered is the smallest size restored from a previous run: a
// window shrunk to almost nothing once should not come back that way.
var minRemembered = fyne.NewSize(560, 420)

const (
	prefWidth  = "window.width"
	prefHeight = "window.height"
)

// WindowSize is the size the main window had when it was last closed, or
// DefaultSize.
func WindowSize(a fyne.App) fyne.Size {
	p := a.Preferences()
	w, h := float32(p.Float(prefWidth)), float32(p.Float(prefHeight))
	if w < minRemembered.Width || h < minRemembered.Height {
		return DefaultSize
	}
	return fyne.NewSize(w, h)
}

// rememberSize keeps the window's size for the next start.
func rememberSize(a fyne.App, w fyne.Window) {
	s := w.Canvas().Size()
	if s.Width < minRemembered.Width || s.Height < minRemembered.Height {
		return
	}
	a.Preferences().SetFloat(prefWidth, float64(s.Width))
	a.Preferences().SetFloat(prefHeight, float64(s.Height))
}

// capLayout gives its content all the room there is but asks the window
// for no more than floor: content that wants more (a long word in a
// message, a wide notice) is squeezed or cut, and never makes the window
// grow by itself.
type capLayout struct{ floor fyne.Size }

func (l *capLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *capLayout) MinSize([]fyne.CanvasObject) fyne.Size { return l.floor }
