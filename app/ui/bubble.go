package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
	"hearth/contacts"
)

// deletedText stands in for the body of a message deleted for everyone.
const deletedText = "This message was deleted"

// quoteLen is how much of a message a reply's quote shows.
const quoteLen = 80

// newMessageRow draws m in a row of its own, which update redraws in
// place when the message is edited or deleted.
func (cv *chatView) newMessageRow(m contacts.Message) *fyne.Container {
	row := container.NewStack(cv.messageBubble(m))
	cv.rows[m.ID] = row
	cv.ids[m.ID].row = row // what archive.go's highlight finds in msgs
	return row
}

// update redraws a message that changed (edited, deleted), and the quotes
// of the replies to it.
func (cv *chatView) update(m contacts.Message) {
	if m.Conversation != cv.peer {
		return
	}
	row := cv.rows[m.ID]
	if row == nil {
		return
	}
	row.Objects = []fyne.CanvasObject{cv.messageBubble(m)}
	row.Refresh()
	for _, id := range cv.order {
		if r := cv.shown[id]; r.ReplyTo == m.ID && cv.rows[id] != nil {
			cv.rows[id].Objects = []fyne.CanvasObject{cv.messageBubble(r)}
			cv.rows[id].Refresh()
		}
	}
	if cv.mode != modeNone && cv.target.ID == m.ID && m.Deleted {
		cv.cancelMode()
	}
}

// snippet is one line of a message for quotes, menus and notifications.
func snippet(m contacts.Message, max int) string {
	if m.Deleted {
		return deletedText
	}
	s := strings.Join(strings.Fields(m.Body), " ")
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}

// author names who wrote m: "You" or the contact.
func (cv *chatView) author(m contacts.Message) string {
	if m.Outgoing {
		return "You"
	}
	return cv.peerName
}

// original finds the message a reply answers: on screen, or in the store.
func (cv *chatView) original(id string) (contacts.Message, bool) {
	if m, ok := cv.shown[id]; ok {
		return m, true
	}
	m, err := cv.chat.Message(id)
	return m, err == nil && m.Conversation == cv.peer
}

// messageBubble draws one message: mine on the right in the accent
// colour, theirs on the left in grey, each with its time, "edited", (mine)
// its delivery state, the quote of the message it answers, and a "…"
// button (or a right click) for its menu.
func (cv *chatView) messageBubble(m contacts.Message) fyne.CanvasObject {
	cv.shown[m.ID] = m
	meta := &messageMeta{}
	if old := cv.ids[m.ID]; old != nil {
		meta.row = old.row // redrawn in place: the row in msgs stays
	}
	cv.ids[m.ID] = meta
	t := messageTime(m)

	var body fyne.CanvasObject
	if m.Deleted {
		l := widget.NewLabel(deletedText)
		l.TextStyle.Italic = true
		l.Importance = widget.LowImportance
		body = l
	} else {
		lines := kit.WrapText(m.Body, bubbleTextWidth, theme.TextSize(), fyne.TextStyle{})
		l := widget.NewLabel(strings.Join(lines, "\n"))
		l.Selectable = true
		body = l
	}

	muted := theme.Color(theme.ColorNamePlaceHolder)
	small := func(s string) *canvas.Text {
		c := canvas.NewText(s, muted)
		c.TextSize = theme.CaptionTextSize()
		return c
	}
	metaItems := []fyne.CanvasObject{small(t.Local().Format("15:04"))}
	if !m.Edited.IsZero() && !m.Deleted {
		metaItems = append(metaItems, small("edited"))
	}
	more := widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), nil)
	more.Importance = widget.LowImportance
	more.OnTapped = func() { cv.showBubbleMenu(m, more) }

	var bg *canvas.Rectangle
	var metaRow *fyne.Container
	if m.Outgoing {
		meta.icon = canvas.NewImageFromResource(theme.HistoryIcon())
		meta.icon.SetMinSize(fyne.NewSquareSize(12))
		meta.icon2 = canvas.NewImageFromResource(theme.ConfirmIcon())
		meta.icon2.SetMinSize(fyne.NewSquareSize(12))
		meta.text = small("")
		setStatusLine(meta, m.Status)
		ticks := container.New(layout.NewCustomPaddedHBoxLayout(-6), meta.icon, meta.icon2)
		metaItems = append(metaItems, container.NewCenter(ticks), meta.text)
		metaRow = container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, metaItems...)...)
		bg = canvas.NewRectangle(kit.OutgoingBubble())
	} else {
		metaRow = container.NewHBox(metaItems...)
		bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	}
	bg.CornerRadius = 12
	pad := theme.InnerPadding()
	parts := []fyne.CanvasObject{}
	if m.ReplyTo != "" {
		parts = append(parts, container.New(layout.NewCustomPaddedLayout(pad/2, 0, pad, pad), cv.quote(m.ReplyTo)))
	}
	parts = append(parts, body, container.New(layout.NewCustomPaddedLayout(0, pad/2, pad, pad), metaRow))
	inner := container.New(layout.NewCustomPaddedVBoxLayout(0), parts...)
	bubble := kit.NewTapBubble(container.NewStack(bg, inner), func(pos fyne.Position) { cv.showBubbleMenuAt(m, pos) })
	var side fyne.CanvasObject = container.NewCenter(more)
	if m.Deleted {
		side = kit.LayoutSpacer(0, 0) // nothing left to do with it
	}
	if m.Outgoing {
		return cv.withReactions(m, container.NewHBox(layout.NewSpacer(), side, bubble))
	}
	return cv.withReactions(m, container.NewHBox(bubble, side, layout.NewSpacer()))
}

// quote is the strip above a reply: who wrote the original and its first
// words. Tapping it scrolls to the original when it is on screen.
func (cv *chatView) quote(id string) fyne.CanvasObject {
	text := "Original message not available"
	if o, ok := cv.original(id); ok {
		text = cv.author(o) + ": " + snippet(o, quoteLen)
	}
	// One line, as wide as a bubble allows: the bubble grows to fit it.
	style := fyne.TextStyle{Italic: true}
	if lines := kit.WrapText(text, bubbleTextWidth-2*theme.InnerPadding(), theme.TextSize(), style); len(lines) > 1 {
		text = strings.TrimRight(lines[0], " ") + "…"
	}
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, style)
	bar := canvas.NewRectangle(kit.Ember)
	bar.SetMinSize(fyne.NewSize(3, 0))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	bg.CornerRadius = 6
	content := container.NewStack(bg, container.NewBorder(nil, nil, bar, nil, l))
	q := kit.NewTapBubble(content, nil)
	q.OnTap = func() { cv.scrollTo(id) }
	q.QuoteOf = id
	return q
}

// scrollTo brings a message on screen into view.
func (cv *chatView) scrollTo(id string) {
	row := cv.rows[id]
	if row == nil {
		cv.mw.ShowNotice("The original message is further back in the conversation.")
		return
	}
	cv.stick, cv.bottom = false, false
	cv.scroll.ScrollToOffset(fyne.NewPos(0, row.Position().Y))
}

// bubbleMenu is what the bubble's menu offers for m.
func (cv *chatView) bubbleMenu(m contacts.Message) *fyne.Menu {
	if m.Deleted {
		return fyne.NewMenu("")
	}
	copyItem := fyne.NewMenuItemWithIcon("Copy", theme.ContentCopyIcon(), func() { cv.mw.app.Clipboard().SetContent(m.Body) })
	if cv.inGroup() {
		return fyne.NewMenu("", copyItem) // replies, edits and deletes are 1:1 only
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItemWithIcon("Reply", theme.MailReplyIcon(), func() { cv.startReply(m) }),
		copyItem,
	}
	items = append(items, fyne.NewMenuItem("React…", func() { cv.pickReaction(m) })) // reactions.go
	if m.Outgoing {
		items = append(items,
			fyne.NewMenuItemWithIcon("Edit", theme.DocumentCreateIcon(), func() { cv.startEdit(m) }),
			fyne.NewMenuItemWithIcon("Delete for everyone", theme.DeleteIcon(), func() { cv.confirmDelete(m) }))
	}
	return fyne.NewMenu("", items...)
}

func (cv *chatView) showBubbleMenu(m contacts.Message, near fyne.CanvasObject) {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(near)
	cv.showBubbleMenuAt(m, pos.Add(fyne.NewPos(0, near.Size().Height)))
}

func (cv *chatView) showBubbleMenuAt(m contacts.Message, pos fyne.Position) {
	menu := cv.bubbleMenu(cv.shown[m.ID])
	if len(menu.Items) == 0 {
		return
	}
	widget.ShowPopUpMenuAtPosition(menu, cv.mw.win.Canvas(), pos)
}
