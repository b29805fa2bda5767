package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// holdButton is a button that also reports the primary mouse button going
// down and up on it, and the pointer leaving it while down, for
// press-and-hold actions. A tap that comes from such a press is left to
// those handlers; a tap from elsewhere (Space when focused, a test) calls
// OnTapped as for any button, so the action stays reachable without a
// mouse. Escape while it has focus calls onEscape.
type HoldButton struct {
	widget.Button

	OnDown   func() // pressed
	OnUp     func() // released over the button
	OnLeave  func() // the pointer left while pressed; no onUp follows
	OnEscape func()

	pressed bool // the primary button went down here and is not up yet
	// fromMouse: the next Tapped belongs to a press the handlers above
	// dealt with.
	fromMouse bool
}

func NewHoldButton(icon fyne.Resource, tapped func()) *HoldButton {
	b := &HoldButton{}
	b.Icon, b.OnTapped = icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MouseDown is desktop.Mouseable.
func (b *HoldButton) MouseDown(e *desktop.MouseEvent) {
	if e.Button != desktop.MouseButtonPrimary || b.Disabled() {
		return
	}
	b.pressed, b.fromMouse = true, true
	if b.OnDown != nil {
		b.OnDown()
	}
}

// MouseUp is desktop.Mouseable. Fyne delivers it to whatever is under the
// pointer, so it only comes here when the release is over the button.
func (b *HoldButton) MouseUp(e *desktop.MouseEvent) {
	if e.Button != desktop.MouseButtonPrimary || !b.pressed {
		return
	}
	b.pressed = false
	if b.OnUp != nil {
		b.OnUp()
	}
}

// MouseOut is desktop.Hoverable: leaving while pressed gives the press up.
func (b *HoldButton) MouseOut() {
	b.Button.MouseOut()
	if b.pressed {
		b.pressed = false
		if b.OnLeave != nil {
			b.OnLeave()
		}
	}
}

// Tapped is fyne.Tappable.
func (b *HoldButton) Tapped(e *fyne.PointEvent) {
	if b.fromMouse {
		b.fromMouse = false
		return
	}
	b.Button.Tapped(e)
}

// TypedKey is fyne.Focusable: Space taps, Escape calls onEscape.
func (b *HoldButton) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && b.OnEscape != nil {
		b.OnEscape()
		return
	}
	b.Button.TypedKey(k)
}
