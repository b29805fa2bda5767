package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/contacts"
)

// bubbleTextWidth is the widest a line of message text gets. A fixed
// width keeps every bubble's size known without a layout pass.
const bubbleTextWidth = 400

// chatView is the conversation pane: header, history, composer.
type chatView struct {
	mw   *MainWindow
	root *fyne.Container

	dot    *canvas.Circle
	name   *widget.Label
	status *widget.Label
	call   *widget.Button

	msgs   *fyne.Container
	scroll *container.Scroll

	entry   *composerEntry
	send    *widget.Button
	sendErr *widget.Label

	// fields below describe the conversation on screen
	peer    string
	ids     map[string]*messageMeta // message ID → its status line
	lastDay time.Time
	stick   bool // scroll to the bottom at the next layout
	bottom  bool // the newest message is in view: stay there when the pane resizes
}

// stickyLayout holds the history inside the scroller. The scroller sizes
// it only when the window lays out, after the messages were added, so
// that is when "scroll to the newest message" can be done right.
type stickyLayout struct{ cv *chatView }

func (l *stickyLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	l.cv.keepBottom()
}

// keepBottom scrolls to the newest message if asked to or if it was in
// view before a layout.
func (cv *chatView) keepBottom() {
	if (cv.stick || cv.bottom) && cv.scroll.Size().Height > 0 {
		cv.stick = false
		cv.scroll.ScrollToBottom()
		cv.bottom = true
	}
}

// viewportLayout holds the scroller; a smaller viewport (a notice banner
// appeared, the window shrank) keeps the newest message in view.
type viewportLayout struct{ cv *chatView }

func (l *viewportLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	l.cv.keepBottom()
}

func (l *viewportLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l *stickyLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// scrollToBottom shows the newest message now and again after the next
// layout.
func (cv *chatView) scrollToBottom() {
	cv.stick = true
	cv.scroll.Refresh()
	cv.scroll.ScrollToBottom()
}

// messageMeta is the time and delivery line under one of my messages.
type messageMeta struct {
	icon *canvas.Image
	text *canvas.Text
}

func newChatView(mw *MainWindow) *chatView {
	cv := &chatView{mw: mw, ids: map[string]*messageMeta{}}
	var dotObj fyne.CanvasObject
	cv.dot, dotObj = newDot(colorOffline, 12)
	cv.name = heading("")
	cv.name.Truncation = fyne.TextTruncateEllipsis
	cv.status = caption("")
	cv.status.Truncation = fyne.TextTruncateEllipsis
	cv.call = widget.NewButtonWithIcon("Call", theme.MediaVideoIcon(), mw.startCall)
	cv.call.Importance = widget.HighImportance
	nameBox := tightVBox(cv.name, cv.status)
	header := container.NewBorder(nil, nil, container.NewPadded(dotObj), container.NewCenter(cv.call), nameBox)

	cv.msgs = container.NewVBox()
	cv.scroll = container.NewVScroll(container.New(&stickyLayout{cv: cv}, container.NewPadded(cv.msgs)))
	cv.scroll.OnScrolled = func(off fyne.Position) {
		cv.bottom = off.Y+cv.scroll.Size().Height >= cv.scroll.Content.MinSize().Height-4
	}

	cv.entry = newComposerEntry()
	cv.entry.SetPlaceHolder("Write a message…  (Enter sends, Shift+Enter adds a line)")
	cv.entry.OnSend = mw.send
	cv.send = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), func() { mw.send(cv.entry.Text) })
	cv.send.Importance = widget.HighImportance
	cv.sendErr = errorLabel()
	composer := container.NewBorder(cv.sendErr, nil, nil, container.NewVBox(layout.NewSpacer(), cv.send), cv.entry)

	cv.root = container.NewBorder(
		container.NewVBox(container.NewPadded(header), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), container.NewPadded(composer)),
		nil, nil, container.New(&viewportLayout{cv: cv}, cv.scroll))
	return cv
}

// setContact updates the header.
func (cv *chatView) setContact(c core.ContactView) {
	cv.dot.FillColor = presenceColor(c.Presence)
	cv.dot.Refresh()
	cv.name.SetText(displayName(c.Name, c.PeerID))
	line := c.Presence.String()
	if s := strings.TrimSpace(c.StatusText); s != "" {
		line += " · " + s
	}
	cv.status.SetText(line)
}

// setHistory replaces the messages shown.
func (cv *chatView) setHistory(msgs []contacts.Message) {
	cv.peer = cv.mw.selected
	cv.ids = map[string]*messageMeta{}
	cv.lastDay = time.Time{}
	cv.msgs.RemoveAll()
	if len(msgs) == 0 {
		hint := caption("No messages yet. Say hello!")
		hint.Alignment = fyne.TextAlignCenter
		cv.msgs.Add(hint)
	}
	for _, m := range msgs {
		cv.append(m)
	}
	cv.msgs.Refresh()
	cv.showErr(nil)
	cv.scrollToBottom()
}

func (cv *chatView) showErr(err error) { showError(cv.sendErr, err) }

// add shows one new message, unless it is on screen already (my own
// messages come back as MessageAdded after Send returned them).
func (cv *chatView) add(m contacts.Message) {
	if m.Conversation != cv.peer {
		return
	}
	if _, ok := cv.ids[m.ID]; ok {
		return
	}
	if len(cv.ids) == 0 && len(cv.msgs.Objects) == 1 {
		cv.msgs.RemoveAll() // the "say hello" hint
	}
	cv.append(m)
	cv.msgs.Refresh()
	cv.scrollToBottom()
}

// setStatus updates the delivery line of one of my messages.
func (cv *chatView) setStatus(id string, s contacts.Status) {
	meta := cv.ids[id]
	if meta == nil || meta.icon == nil {
		return
	}
	setStatusLine(meta, s)
}

func setStatusLine(meta *messageMeta, s contacts.Status) {
	if s == contacts.Delivered {
		meta.icon.Resource = theme.ConfirmIcon()
		meta.text.Text = "Delivered"
	} else {
		meta.icon.Resource = theme.HistoryIcon()
		meta.text.Text = "Pending"
	}
	meta.icon.Refresh()
	meta.text.Refresh()
}

// messageTime is when the author wrote the message, by their clock.
func messageTime(m contacts.Message) time.Time {
	if m.SentAt.IsZero() {
		return m.ReceivedAt
	}
	return m.SentAt
}

func dayOf(t time.Time) time.Time {
	y, mo, d := t.Local().Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.Local)
}

func dayLabel(day time.Time) string {
	today := dayOf(time.Now())
	switch {
	case day.Equal(today):
		return "Today"
	case day.Equal(today.AddDate(0, 0, -1)):
		return "Yesterday"
	case day.Year() == today.Year():
		return day.Format("Monday 2 January")
	default:
		return day.Format("2 January 2006")
	}
}

func (cv *chatView) append(m contacts.Message) {
	t := messageTime(m)
	if day := dayOf(t); !day.Equal(cv.lastDay) {
		cv.lastDay = day
		l := caption(dayLabel(day))
		l.Alignment = fyne.TextAlignCenter
		l.TextStyle.Bold = true
		cv.msgs.Add(l)
	}
	meta := &messageMeta{}
	cv.ids[m.ID] = meta
	cv.msgs.Add(messageBubble(m, t, meta))
}

// messageBubble draws one message: mine on the right in the accent
// colour, theirs on the left in grey, each with its time and (mine) its
// delivery state.
func messageBubble(m contacts.Message, t time.Time, meta *messageMeta) fyne.CanvasObject {
	lines := wrapText(m.Body, bubbleTextWidth, theme.TextSize(), fyne.TextStyle{})
	body := widget.NewLabel(strings.Join(lines, "\n"))
	body.Selectable = true

	muted := theme.Color(theme.ColorNamePlaceHolder)
	stamp := canvas.NewText(t.Local().Format("15:04"), muted)
	stamp.TextSize = theme.CaptionTextSize()
	metaRow := container.NewHBox(stamp)

	var bg *canvas.Rectangle
	if m.Outgoing {
		meta.icon = canvas.NewImageFromResource(theme.HistoryIcon())
		meta.icon.SetMinSize(fyne.NewSquareSize(12))
		meta.text = canvas.NewText("", muted)
		meta.text.TextSize = theme.CaptionTextSize()
		setStatusLine(meta, m.Status)
		metaRow = container.NewHBox(layout.NewSpacer(), stamp, container.NewCenter(meta.icon), meta.text)
		bg = canvas.NewRectangle(color.NRGBA{R: ember.R, G: ember.G, B: ember.B, A: 0x38})
	} else {
		bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	}
	bg.CornerRadius = 12
	pad := theme.InnerPadding()
	inner := container.New(layout.NewCustomPaddedVBoxLayout(0), body,
		container.New(layout.NewCustomPaddedLayout(0, pad/2, pad, pad), metaRow))
	bubble := container.NewStack(bg, inner)
	if m.Outgoing {
		return container.NewHBox(layout.NewSpacer(), bubble)
	}
	return container.NewHBox(bubble, layout.NewSpacer())
}
