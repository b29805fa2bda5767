package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
	"hearth/contacts"
)

// historyLimit is how many messages a conversation loads when opened.
const historyLimit = 300

// buildRight is the right side: the open conversation, or a welcome when
// none is open, under the notice banner.
func (mw *MainWindow) buildRight() fyne.CanvasObject {
	mw.chat = newChatView(mw, mw.b.Chat, mw.b.Files)
	mw.chat.root.Hide()

	icon := canvas.NewImageFromResource(kit.AppIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(112))
	title := widget.NewLabelWithStyle(lang.L("Welcome to Hearth"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	hint := widget.NewLabel(lang.L("Pick someone on the left to start chatting.\nAdd a contact with their invite code, or share yours."))
	hint.Alignment = fyne.TextAlignCenter
	add := widget.NewButtonWithIcon(lang.L("Add contact"), theme.ContentAddIcon(), mw.ShowAddContact)
	mw.empty = container.NewCenter(container.NewVBox(container.NewCenter(icon), title, hint, container.NewCenter(add)))

	mw.noticeText = widget.NewLabel("")
	mw.noticeText.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), mw.hideNotice)
	closeBtn.Importance = widget.LowImportance
	mw.noticeAction = widget.NewButton("", nil)
	mw.noticeAction.Hide()
	mw.notice = container.NewStack(bg, container.NewBorder(nil, nil,
		container.NewCenter(widget.NewIcon(theme.InfoIcon())),
		container.NewCenter(container.NewHBox(mw.noticeAction, closeBtn)), mw.noticeText))
	mw.notice.Hide()

	// The notice floats over the top of the history, under the header: it
	// never pushes the header or the composer (a Call button that moved
	// as it was clicked was a missed call).
	return container.NewStack(container.NewStack(mw.empty, mw.chat.root),
		container.New(&toastLayout{below: mw.chat.headerHeight}, mw.notice))
}

// toastLayout places its one object across the top of its area, below
// below() (the conversation's header when one is open), as tall as it
// needs, and asks for no room itself.
type toastLayout struct{ below func() float32 }

func (l *toastLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	for _, o := range objs {
		o.Move(fyne.NewPos(2*pad, l.below()+pad))
		o.Resize(fyne.NewSize(size.Width-4*pad, o.MinSize().Height))
	}
}

func (l *toastLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

// OpenConversation shows the conversation with an accepted contact, as if
// it had been picked in the list.
func (mw *MainWindow) OpenConversation(peerID string) {
	for i, c := range mw.shown {
		if c.PeerID == peerID {
			mw.list.Select(i) // calls openConversation
			return
		}
	}
	mw.openConversation(peerID)
}

func (mw *MainWindow) openConversation(peerID string) {
	c := mw.contact(peerID)
	if c == nil {
		return
	}
	if peerID == mw.selected {
		return
	}
	mw.chat.voice.Leave()
	mw.activity()
	mw.selected = peerID
	mw.chat.setOneToOne()
	mw.chat.typing = mw.typing[peerID]
	mw.chat.setContact(*c)
	msgs, err := mw.b.Chat.History(peerID, historyLimit)
	if err != nil {
		mw.ShowNotice(lang.L("Could not read this conversation: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
	}
	transfers, err := mw.b.Files.Transfers(peerID)
	if err != nil {
		mw.ShowNotice(lang.L("Could not read the files of this conversation: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
	}
	mw.chat.setHistory(msgs, transfers)
	mw.updateComplianceBar() // archive.go
	mw.empty.Hide()
	mw.chat.root.Show()
	mw.win.Canvas().Focus(mw.chat.entry)
	if c.Unread > 0 {
		mw.markRead(peerID)
	}
}

func (mw *MainWindow) closeConversation() {
	mw.chat.voice.Leave()
	mw.selected = ""
	mw.chat.root.Hide()
	mw.empty.Show()
	mw.list.UnselectAll()
}

func (mw *MainWindow) markRead(peerID string) {
	mw.Background(func() error { return mw.b.Chat.MarkRead(peerID) }, nil)
}

// send is the composer's action.
func (mw *MainWindow) send(text string) {
	if strings.TrimSpace(text) == "" || mw.selected == "" {
		return
	}
	if mw.chat.sendInMode(text) {
		return
	}
	var msg contacts.Message
	var err error
	if gid, ok := contacts.GroupID(mw.selected); ok {
		msg, err = mw.b.Groups.SendGroup(gid, text)
	} else {
		msg, err = mw.b.Chat.Send(mw.selected, text)
	}
	if err != nil {
		kit.ShowError(mw.chat.sendErr, err)
		return
	}
	kit.ShowError(mw.chat.sendErr, nil)
	mw.chat.entry.SetText("")
	mw.chat.add(msg)
}
