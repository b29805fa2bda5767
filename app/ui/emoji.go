package ui

import (
	"fyne.io/fyne/v2"

	"hearth/app/ui/kit"
)

// showEmoji opens the emoji picker above its button; the emoji chosen goes
// into the message at the cursor.
func (cv *chatView) showEmoji() {
	c := cv.mw.win.Canvas()
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(cv.emoji)
	cv.picker = kit.ShowEmojiPicker(c, at, func(e string) {
		for _, r := range e {
			cv.entry.TypedRune(r)
		}
		c.Focus(cv.entry)
	})
}
