package kit

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Emoji are the picker's choices: the ones people send most, faces first.
var Emoji = []string{
	"😀", "😂", "🙂", "😉", "😊", "😍", "😘", "🤗",
	"🤔", "😮", "😢", "😭", "😡", "😅", "😆", "😎",
	"👍", "👎", "👏", "🙏", "👋", "💪", "🤝", "✌️",
	"❤️", "💔", "🎉", "🎂", "🌞", "🌧️", "☕", "🍰",
	"🌹", "🐶", "🐱", "⚽", "🚗", "🏠", "✅", "❌",
}

// EmojiPicker is a pop-up grid of emoji; a click hands one to pick and
// closes it.
type EmojiPicker struct {
	Pop     *widget.PopUp
	Buttons []*EmojiChip
}

// ShowEmojiPicker opens the picker on c with its bottom-left corner at
// at (above the button that opened it).
func ShowEmojiPicker(c fyne.Canvas, at fyne.Position, pick func(string)) *EmojiPicker {
	p := &EmojiPicker{}
	grid := container.NewGridWithColumns(8)
	for _, e := range Emoji {
		b := NewEmojiChip(e, false, func() {
			p.Pop.Hide()
			pick(e)
		})
		p.Buttons = append(p.Buttons, b)
		grid.Add(b)
	}
	p.Pop = widget.NewPopUp(grid, c)
	size := p.Pop.MinSize()
	p.Pop.ShowAtPosition(fyne.NewPos(max(0, at.X), max(0, at.Y-size.Height)))
	return p
}

// EmojiChip is a tappable emoji drawn larger than text (the bundled emoji
// font is hard to make out at text size), with a count beside it when
// there is one.
type EmojiChip struct {
	widget.BaseWidget
	Text     string
	Strong   bool // drawn on the accent tint (mine)
	OnTapped func()
}

// NewEmojiChip makes a chip showing text.
func NewEmojiChip(text string, strong bool, tapped func()) *EmojiChip {
	c := &EmojiChip{Text: text, Strong: strong, OnTapped: tapped}
	c.ExtendBaseWidget(c)
	return c
}

func (c *EmojiChip) Tapped(*fyne.PointEvent) {
	if c.OnTapped != nil {
		c.OnTapped()
	}
}

func (c *EmojiChip) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = theme.InputRadiusSize()
	if c.Strong {
		bg.FillColor = OutgoingBubble()
		bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		bg.StrokeWidth = 1
	}
	t := canvas.NewText(c.Text, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.TextSize() * 1.5
	t.Alignment = fyne.TextAlignCenter
	pad := container.New(layout.NewCustomPaddedLayout(2, 2, 6, 6), t)
	return widget.NewSimpleRenderer(container.NewStack(bg, pad))
}
