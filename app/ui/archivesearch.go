package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"hearth/app/core/base"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// ShowSearch opens the search panel (Ctrl+F; app/ui/search).
func (mw *MainWindow) ShowSearch() { mw.find.Show() }

// JumpTo opens a conversation at one message: the messages around it are
// loaded when it is not among those shown, and it is highlighted and
// scrolled into view.
func (mw *MainWindow) JumpTo(peer, messageID string) {
	mw.archive.highlighted = ""
	if gid, ok := contacts.GroupID(peer); ok {
		mw.OpenGroup(gid)
	} else {
		mw.OpenConversation(peer)
	}
	if mw.selected != peer {
		mw.ShowNotice(lang.L("That conversation is no longer in your contacts."))
		return
	}
	if _, shown := mw.chat.ids[messageID]; !shown {
		msgs, err := mw.b.Archive.MessagesAround(peer, messageID, aroundLimit)
		if errors.Is(err, base.ErrUnknownMessage) || (err == nil && len(msgs) == 0) {
			mw.ShowNotice(lang.L("That message is no longer in the conversation."))
			return
		}
		if err != nil {
			mw.ShowNotice(lang.L("Could not read this conversation: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			return
		}
		mw.chat.setHistory(msgs, nil)
	}
	mw.chat.highlight(messageID)
}

// highlight marks a message's bubble and scrolls it into view.
func (cv *chatView) highlight(id string) {
	meta := cv.ids[id]
	if meta == nil || meta.row == nil {
		return
	}
	y := float32(0)
	for i, o := range cv.msgs.Objects {
		if o != meta.row {
			if o.Visible() {
				y += o.MinSize().Height + theme.Padding()
			}
			continue
		}
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
		bg.CornerRadius = 12
		row := container.NewStack(bg, meta.row)
		cv.msgs.Objects[i] = row
		meta.row = row
		cv.mw.archive.highlighted = id
		cv.msgs.Refresh()
		cv.stick, cv.bottom = false, false
		cv.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-80)))
		return
	}
}
