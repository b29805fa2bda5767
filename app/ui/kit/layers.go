package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// ActivityLayer wraps the window's content and hears mouse moves over
// every part of it that does not handle hovering itself.
type ActivityLayer struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onMove  func()
}

var _ desktop.Hoverable = (*ActivityLayer)(nil)

// NewActivityLayer wraps content; onMove hears the mouse moves.
func NewActivityLayer(content fyne.CanvasObject, onMove func()) *ActivityLayer {
	l := &ActivityLayer{content: content, onMove: onMove}
	l.ExtendBaseWidget(l)
	return l
}

func (l *ActivityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.content)
}

func (l *ActivityLayer) MouseIn(*desktop.MouseEvent)    { l.onMove() }
func (l *ActivityLayer) MouseMoved(*desktop.MouseEvent) { l.onMove() }
func (l *ActivityLayer) MouseOut()                      {}

// TapBubble wraps a bubble (or a quote) to take taps and right clicks.
type TapBubble struct {
	widget.BaseWidget
	content   fyne.CanvasObject
	OnTap     func()
	OnContext func(abs fyne.Position)
	QuoteOf   string // for a quote: the message it shows
}

// NewTapBubble wraps content; onContext opens its menu at a position.
func NewTapBubble(content fyne.CanvasObject, onContext func(fyne.Position)) *TapBubble {
	b := &TapBubble{content: content, OnContext: onContext}
	b.ExtendBaseWidget(b)
	return b
}

func (b *TapBubble) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.content) }

// Tapped runs OnTap (a quote scrolls to its original).
func (b *TapBubble) Tapped(*fyne.PointEvent) {
	if b.OnTap != nil {
		b.OnTap()
	}
}

// TappedSecondary opens the message menu where the pointer is.
func (b *TapBubble) TappedSecondary(e *fyne.PointEvent) {
	if b.OnContext != nil {
		b.OnContext(e.AbsolutePosition)
	}
}
