package ui

import (
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"hearth/app/ui/kit"
	"hearth/contacts"
)

// Reactions: one emoji per person under a bubble of a 1:1 conversation,
// as chips ("👍 2"); a chip of mine takes it back, another's adds the same
// one for me. "React…" in the bubble's menu opens the emoji picker.

// loadReactions reads the reactions to the messages on screen, in one go.
func (cv *chatView) loadReactions(msgs []contacts.Message) {
	cv.reactions = map[string][]contacts.Reaction{}
	if cv.inGroup() || len(msgs) == 0 {
		return
	}
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	rs, err := cv.chat.Reactions(cv.peer, ids)
	if err != nil {
		return // the messages show without them
	}
	for _, r := range rs {
		cv.reactions[r.MessageID] = append(cv.reactions[r.MessageID], r)
	}
}

// reactionChanged redraws one message's reactions.
func (cv *chatView) reactionChanged(messageID string) {
	m, ok := cv.shown[messageID]
	if !ok {
		return
	}
	rs, err := cv.chat.Reactions(cv.peer, []string{messageID})
	if err != nil {
		return
	}
	cv.reactions[messageID] = rs
	cv.update(m)
}

// reactionChip is one emoji under a bubble and how many chose it.
type reactionChip struct {
	emoji string
	count int
	mine  bool
}

func chips(rs []contacts.Reaction) []reactionChip {
	var out []reactionChip
	for _, r := range rs {
		i := slices.IndexFunc(out, func(c reactionChip) bool { return c.emoji == r.Emoji })
		if i < 0 {
			out = append(out, reactionChip{emoji: r.Emoji})
			i = len(out) - 1
		}
		out[i].count++
		out[i].mine = out[i].mine || r.From == ""
	}
	return out
}

// withReactions puts a message's reaction chips under its bubble row, on
// the bubble's side.
func (cv *chatView) withReactions(m contacts.Message, row fyne.CanvasObject) fyne.CanvasObject {
	rs := cv.reactions[m.ID]
	if len(rs) == 0 || m.Deleted {
		return row
	}
	line := container.NewHBox()
	if m.Outgoing {
		line.Add(layout.NewSpacer())
	}
	for _, c := range chips(rs) {
		text := c.emoji
		if c.count > 1 {
			text += " " + strconv.Itoa(c.count)
		}
		emoji, mine := c.emoji, c.mine
		line.Add(kit.NewEmojiChip(text, mine, func() { // mine stand out
			if mine {
				cv.react(m, "")
			} else {
				cv.react(m, emoji)
			}
		}))
	}
	// The chips sit just under the bubble, not a row's padding away.
	return container.New(layout.NewCustomPaddedVBoxLayout(0), row, line)
}

// pickReaction opens the emoji picker for a reaction to m.
func (cv *chatView) pickReaction(m contacts.Message) {
	c := cv.mw.win.Canvas()
	at := fyne.NewPos(c.Size().Width/3, c.Size().Height/2)
	if row := cv.rows[m.ID]; row != nil {
		at = fyne.CurrentApp().Driver().AbsolutePositionForObject(row)
	}
	cv.picker = kit.ShowEmojiPicker(c, at, func(e string) { cv.react(m, e) })
}

// react sets my reaction to m ("" takes it back).
func (cv *chatView) react(m contacts.Message, emoji string) {
	mw := cv.mw
	conv := cv.peer
	mw.Background(func() error { return cv.chat.React(conv, m.ID, emoji) }, func(err error) {
		if err != nil {
			mw.ShowNotice("Could not react: " + kit.UserText(err))
		}
	})
}
