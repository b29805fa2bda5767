package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Emoji are the picker's choices: the ones people send most, faces first.
var Emoji = []string{
	"😀", "😂", "🙂", "😉", "😊", "😍", "😘", "🤗",
	"🤔", "😮", "😢", "😭", "😡", "😴", "🥳", "😎",
	"👍", "👎", "👏", "🙏", "👋", "💪", "🤝", "✌️",
	"❤️", "💔", "🎉", "🎂", "🌞", "🌧️", "☕", "🍰",
	"🌹", "🐶", "🐱", "⚽", "🚗", "🏠", "✅", "❌",
}

// EmojiPicker is a pop-up grid of emoji; a click hands one to pick and
// closes it.
type EmojiPicker struct {
	Pop     *widget.PopUp
	Buttons []*widget.Button
}

// ShowEmojiPicker opens the picker on c with its bottom-left corner at
// at (above the button that opened it).
func ShowEmojiPicker(c fyne.Canvas, at fyne.Position, pick func(string)) *EmojiPicker {
	p := &EmojiPicker{}
	grid := container.NewGridWithColumns(8)
	for _, e := range Emoji {
		b := widget.NewButton(e, nil)
		b.Importance = widget.LowImportance
		b.OnTapped = func() {
			p.Pop.Hide()
			pick(e)
		}
		p.Buttons = append(p.Buttons, b)
		grid.Add(b)
	}
	p.Pop = widget.NewPopUp(grid, c)
	size := p.Pop.MinSize()
	p.Pop.ShowAtPosition(fyne.NewPos(max(0, at.X), max(0, at.Y-size.Height)))
	return p
}
