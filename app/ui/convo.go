package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
	"hearth/contacts"
)

// composeMode is what the composer's Enter does besides sending a new
// message.
type composeMode int

const (
	modeNone  composeMode = iota
	modeReply             // send as an answer to cv.target
	modeEdit              // replace the text of cv.target (mine)
)

// inGroup reports whether the open conversation is a group's: replies,
// edits, deletes, typing and receipts are for 1:1 conversations.
func (cv *chatView) inGroup() bool {
	_, ok := contacts.GroupID(cv.peer)
	return ok
}

// buildModeBar makes the strip above the composer that says which
// message is being answered or edited, with a button to stop.
func (cv *chatView) buildModeBar() *fyne.Container {
	cv.modeText = widget.NewLabel("")
	cv.modeText.Truncation = fyne.TextTruncateEllipsis
	stop := widget.NewButtonWithIcon("", theme.CancelIcon(), cv.cancelMode)
	stop.Importance = widget.LowImportance
	cv.modeIcon = widget.NewIcon(theme.MailReplyIcon())
	bar := container.NewBorder(nil, nil, cv.modeIcon, stop, cv.modeText)
	bar.Hide()
	return bar
}

// startReply makes the next message an answer to m.
func (cv *chatView) startReply(m contacts.Message) {
	if m.Deleted {
		return
	}
	if cv.mode == modeEdit {
		cv.entry.SetText("")
	}
	cv.mode, cv.target = modeReply, m
	cv.modeIcon.SetResource(theme.MailReplyIcon())
	cv.send.SetText(lang.L("Send"))
	cv.modeText.SetText(lang.L("Replying to {{.Name}}: {{.Text}}  (Esc cancels)", map[string]any{"Name": cv.author(m), "Text": snippet(m, quoteLen)}))
	cv.showModeBar(true)
	cv.mw.win.Canvas().Focus(cv.entry)
}

// startEdit puts one of my messages in the composer; Enter saves it.
func (cv *chatView) startEdit(m contacts.Message) {
	if !m.Outgoing || m.Deleted {
		return
	}
	cv.mode, cv.target = modeEdit, m
	// An edit is not an answer: a pencil, and the button saves.
	cv.modeIcon.SetResource(theme.DocumentCreateIcon())
	cv.send.SetText(lang.L("Save"))
	cv.modeText.SetText(lang.L("Editing your message  (Enter saves, Esc cancels)"))
	cv.showModeBar(true)
	cv.entry.SetText(m.Body)
	lines := strings.Split(m.Body, "\n")
	cv.entry.CursorRow, cv.entry.CursorColumn = len(lines)-1, len([]rune(lines[len(lines)-1]))
	cv.entry.Refresh()
	cv.mw.win.Canvas().Focus(cv.entry)
}

// cancelMode leaves reply or edit mode (Esc); an edit's text goes.
func (cv *chatView) cancelMode() {
	if cv.mode == modeEdit {
		cv.entry.SetText("")
	}
	cv.mode, cv.target = modeNone, contacts.Message{}
	cv.send.SetText(lang.L("Send"))
	if cv.modeBar != nil && cv.modeBar.Visible() {
		cv.showModeBar(false)
	}
}

// showModeBar shows or hides the mode strip and makes room for it: the
// pane lays out again so the composer area grows or shrinks with it.
func (cv *chatView) showModeBar(on bool) {
	if on {
		cv.modeBar.Show()
	} else {
		cv.modeBar.Hide()
	}
	if cv.root.Size().Height > 0 {
		cv.root.Layout.Layout(cv.root.Objects, cv.root.Size())
		cv.footer.Refresh()
	}
}

// editLast edits my newest message that is not deleted (Up in an empty
// composer).
func (cv *chatView) editLast() {
	if cv.inGroup() {
		return
	}
	for i := len(cv.order) - 1; i >= 0; i-- {
		if m := cv.shown[cv.order[i]]; m.Outgoing && !m.Deleted {
			cv.startEdit(m)
			return
		}
	}
}

// sendInMode is the composer's Enter in reply or edit mode. It reports
// whether it handled the text.
func (cv *chatView) sendInMode(text string) bool {
	switch cv.mode {
	case modeReply:
		msg, err := cv.chat.Reply(cv.peer, cv.target.ID, text)
		if err != nil {
			cv.showErr(err)
			return true
		}
		cv.showErr(nil)
		cv.cancelMode()
		cv.entry.SetText("")
		cv.add(msg)
		return true
	case modeEdit:
		msg, err := cv.chat.Edit(cv.target.ID, text)
		if err != nil {
			cv.showErr(err)
			return true
		}
		cv.showErr(nil)
		cv.cancelMode()
		cv.update(msg)
		return true
	}
	return false
}

// confirmDelete asks before deleting one of my messages for everyone.
func (cv *chatView) confirmDelete(m contacts.Message) {
	mw := cv.mw
	who := cv.peerName
	if who == "" {
		who = lang.L("them")
	}
	d := dialog.NewConfirm(lang.L("Delete for everyone?"),
		lang.L("“{{.Text}}” will be deleted for you and for {{.Name}}. This cannot be undone.", map[string]any{"Text": snippet(m, 60), "Name": who}),
		func(ok bool) {
			if !ok {
				return
			}
			if err := cv.chat.Delete(m.ID); err != nil {
				mw.ShowNotice(lang.L("Could not delete the message: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			}
		}, mw.win)
	d.SetConfirmText(lang.L("Delete"))
	d.SetConfirmImportance(widget.DangerImportance)
	mw.ShowModal(d, nil)
}

// typed tells the contact I am typing (the backend throttles it).
func (cv *chatView) typed(text string) {
	if text != "" && cv.mode != modeEdit && cv.peer != "" {
		cv.chat.Typing(cv.peer)
	}
}

// setTyping shows "Bob is typing…" in the header instead of the presence
// line, or takes it away.
func (cv *chatView) setTyping(on bool) {
	cv.typing = on
	cv.showStatusLine()
}

func (cv *chatView) showStatusLine() {
	if cv.typing {
		cv.status.SetText(lang.L("{{.Name}} is typing…", map[string]any{"Name": cv.peerName}))
		return
	}
	cv.status.SetText(cv.presenceLine)
}

func (cv *chatView) setMuted(muted bool) {
	cv.muted = muted
	// The button says what it does: a loudspeaker meant "sound on" to
	// some and "mute" to others.
	if muted {
		cv.mute.SetText(lang.L("Unmute"))
		cv.mute.SetIcon(theme.VolumeUpIcon())
	} else {
		cv.mute.SetText(lang.L("Mute"))
		cv.mute.SetIcon(theme.VolumeMuteIcon())
	}
}

// toggleMute turns the open conversation's notifications off or on.
func (cv *chatView) toggleMute() {
	mw, peer, muted := cv.mw, cv.peer, !cv.muted
	if peer == "" {
		return
	}
	cv.setMuted(muted)
	mw.Background(func() error { return cv.chat.SetMuted(peer, muted) }, func(err error) {
		if err != nil {
			mw.ShowNotice(lang.L("Could not change notifications: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
		}
	})
}
