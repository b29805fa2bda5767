package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/people"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/app/ui/transfer"
	"hearth/app/ui/voice"
	"hearth/contacts"
)

// bubbleTextWidth is the widest a line of message text gets. A fixed
// width keeps every bubble's size known without a layout pass.
const bubbleTextWidth = 400

// chatView is the conversation pane: header, history, composer.
type chatView struct {
	mw    *MainWindow
	chat  area.ChatBackend
	files area.FilesBackend // transfer rows, voice notes
	root  *fyne.Container
	top   *fyne.Container // the header and the compliance banner

	dot    *canvas.Circle
	name   *widget.Label
	status *widget.Label
	call   *widget.Button
	// contact management (contactmenu.go): "…" menu and verified shield
	more     *widget.Button
	verified *widget.Icon
	nameRow  *fyne.Container // name and shield
	// members opens a group's members dialog; hidden in 1:1 chats.
	members *widget.Button
	// authors names the members of the open group (nil in 1:1 chats).
	authors map[string]string
	avatar  *kit.AvatarView // header picture or initials
	mute    *widget.Button  // notifications for this conversation on/off

	msgs   *fyne.Container
	scroll *container.Scroll

	entry    *kit.ComposerEntry
	send     *widget.Button
	attach   *widget.Button
	emoji    *widget.Button // opens the emoji picker
	picker   *kit.EmojiPicker
	mic      *kit.HoldButton // voice.Mic
	sendErr  *widget.Label
	composer fyne.CanvasObject // entry and buttons, hidden while recording
	recorder fyne.CanvasObject // voice.Strip
	voice    *voice.Notes      // the voice note recording and the one playing

	now       func() time.Time // the clock for transfer speeds
	thumbs    *transfer.ThumbCache
	durations map[string]time.Duration // voice note lengths by transfer ID; 0 while unknown

	// fields below describe the conversation on screen
	peer      string
	peerName  string
	ids       map[string]*messageMeta  // message ID → its status line
	transfers map[string]*transfer.Row // transfer ID → its row
	hint      fyne.CanvasObject        // "say hello", while the conversation is empty
	lastDay   time.Time
	stick     bool // scroll to the bottom at the next layout
	bottom    bool // the newest message is in view: stay there when the pane resizes

	// replies, edits, typing (convo.go, bubble.go)
	shown        map[string]contacts.Message // messages on screen by ID
	rows         map[string]*fyne.Container  // message ID → the row holding its bubble
	order        []string                    // message IDs on screen, oldest first
	mode         composeMode                 // what Enter does besides sending
	target       contacts.Message            // the message replied to or edited
	modeBar      *fyne.Container             // "Replying to …" / "Editing …" above the composer
	footer       *fyne.Container             // the composer area, which grows with modeBar
	modeText     *widget.Label
	modeIcon     *widget.Icon // a reply arrow or a pencil
	presenceLine string       // the header's line when nobody is typing
	typing       bool         // the contact is typing to me
	muted        bool
	reactions    map[string][]contacts.Reaction // message ID → its reactions (reactions.go)
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
	icon  *canvas.Image
	icon2 *canvas.Image // the second tick of "Read"
	text  *canvas.Text
	row   fyne.CanvasObject // the bubble's row in msgs (archive.go highlights it)
}

func newChatView(mw *MainWindow, chat area.ChatBackend, files area.FilesBackend) *chatView {
	cv := &chatView{
		mw: mw, chat: chat, files: files, ids: map[string]*messageMeta{}, transfers: map[string]*transfer.Row{},
		shown: map[string]contacts.Message{}, rows: map[string]*fyne.Container{},
		now: time.Now, thumbs: transfer.NewThumbCache(), durations: map[string]time.Duration{},
	}
	var dotObj fyne.CanvasObject
	cv.dot, dotObj = kit.NewDot(kit.ColorOffline, 12)
	cv.name = kit.Heading("")
	cv.name.Truncation = fyne.TextTruncateEllipsis
	cv.status = kit.Caption("")
	cv.status.Truncation = fyne.TextTruncateEllipsis
	cv.call = widget.NewButtonWithIcon("Call", theme.MediaVideoIcon(), mw.startCall)
	cv.call.Importance = widget.HighImportance
	cv.verified = kit.NewVerifiedMark()
	cv.more = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() { cv.showMenu() })
	cv.more.Importance = widget.LowImportance
	cv.nameRow = container.NewBorder(nil, nil, cv.verified, nil, cv.name)
	nameBox := kit.TightVBox(cv.nameRow, cv.status)
	cv.members = widget.NewButtonWithIcon("Members", theme.AccountIcon(), mw.ShowGroupMembers)
	cv.members.Hide()
	cv.avatar = kit.NewAvatarView(40)
	cv.mute = widget.NewButtonWithIcon("", theme.VolumeUpIcon(), cv.toggleMute)
	cv.mute.Importance = widget.LowImportance
	header := container.NewBorder(nil, nil, container.NewHBox(container.NewPadded(dotObj), cv.avatar), container.NewCenter(container.NewHBox(cv.members, cv.mute, cv.call, mw.archiveDlg.NewMenuButton(), cv.more)), nameBox)

	cv.msgs = container.NewVBox()
	cv.scroll = container.NewVScroll(container.New(&stickyLayout{cv: cv}, container.NewPadded(cv.msgs)))
	cv.scroll.OnScrolled = func(off fyne.Position) {
		cv.bottom = off.Y+cv.scroll.Size().Height >= cv.scroll.Content.MinSize().Height-4
	}

	cv.entry = kit.NewComposerEntry()
	cv.entry.SetPlaceHolder("Write a message…  (Enter sends, Shift+Enter adds a line)")
	cv.entry.OnSend = mw.send
	cv.entry.OnUpEmpty = cv.editLast
	cv.entry.OnEscape = cv.cancelMode
	cv.entry.OnChanged = cv.typed
	cv.send = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), func() { mw.send(cv.entry.Text) })
	cv.send.Importance = widget.HighImportance
	cv.attach = widget.NewButtonWithIcon("", theme.MailAttachmentIcon(), mw.chooseFile)
	cv.attach.Importance = widget.LowImportance
	cv.sendErr = kit.ErrorLabel()
	cv.emoji = widget.NewButton("🙂", cv.showEmoji) // emoji.go
	cv.emoji.Importance = widget.LowImportance
	cv.composer = container.NewBorder(nil, nil,
		container.NewVBox(layout.NewSpacer(), container.NewHBox(cv.attach, cv.emoji)),
		container.NewVBox(layout.NewSpacer(), cv.send), cv.entry)
	cv.voice = voice.New(cv, cv.composer)
	cv.mic, cv.recorder = cv.voice.Mic, cv.voice.Strip
	cv.modeBar = cv.buildModeBar()
	// The mic stays beside both the composer and the recorder strip: it
	// is under the pointer for as long as it is held.
	composer := container.NewBorder(container.NewVBox(cv.sendErr, cv.modeBar), nil, nil, container.NewVBox(layout.NewSpacer(), cv.mic),
		container.NewStack(cv.composer, cv.recorder))

	cv.footer = container.NewVBox(widget.NewSeparator(), container.NewPadded(composer))
	cv.top = container.NewVBox(container.NewPadded(header), mw.archiveDlg.NewBanner(), widget.NewSeparator())
	cv.root = container.NewBorder(cv.top,
		cv.footer, nil, nil, container.New(&viewportLayout{cv: cv}, cv.scroll))
	return cv
}

// headerHeight is how far down the pane the history starts: 0 when no
// conversation is open.
func (cv *chatView) headerHeight() float32 {
	if cv.root == nil || !cv.root.Visible() {
		return 0
	}
	return cv.top.Size().Height
}

// setContact updates the header.
func (cv *chatView) setContact(c people.ContactView) {
	cv.dot.FillColor = kit.PresenceColor(c.Presence)
	cv.dot.Refresh()
	cv.peerName = kit.DisplayName(c.Name, c.PeerID)
	cv.name.SetText(cv.peerName)
	cv.avatar.Set(cv.peerName, c.Avatar)
	line := c.Presence.String()
	if s := strings.TrimSpace(c.StatusText); s != "" {
		line += " · " + s
	}
	if c.Link != "" && c.Presence != contacts.Offline {
		line += " · " + c.Link
	}
	cv.presenceLine = kit.WithWarning(line, c)
	cv.showStatusLine()
	cv.setMuted(c.Muted)
	kit.SetVerifiedMark(cv.verified, cv.nameRow, c.Verified)
}

// showMenu opens the contact menu under the "…" button.
func (cv *chatView) showMenu() {
	if cv.mw.selected == "" {
		return
	}
	d := fyne.CurrentApp().Driver()
	pos := d.AbsolutePositionForObject(cv.more).Add(fyne.NewPos(0, cv.more.Size().Height))
	cv.mw.showContactMenu(cv.mw.selected, pos)
}

// setHistory replaces the conversation shown: messages and transfers
// merged in time order. When the history was cut at its limit, transfers
// older than the oldest message shown are left out too.
func (cv *chatView) setHistory(msgs []contacts.Message, transfers []contacts.Transfer) {
	cv.peer = cv.mw.selected
	cv.ids = map[string]*messageMeta{}
	cv.transfers = map[string]*transfer.Row{}
	cv.shown, cv.rows, cv.order = map[string]contacts.Message{}, map[string]*fyne.Container{}, nil
	cv.cancelMode()
	cv.lastDay = time.Time{}
	cv.hint = nil
	cv.msgs.RemoveAll()
	cv.loadReactions(msgs) // reactions.go
	if len(msgs) >= historyLimit {
		from := messageTime(msgs[0])
		transfers = slices.DeleteFunc(slices.Clone(transfers), func(t contacts.Transfer) bool { return t.CreatedAt.Before(from) })
	}
	if len(msgs) == 0 && len(transfers) == 0 {
		hint := kit.Caption("No messages yet. Say hello!")
		hint.Alignment = fyne.TextAlignCenter
		cv.hint = hint
		cv.msgs.Add(hint)
	}
	slices.SortStableFunc(transfers, func(a, b contacts.Transfer) int { return a.CreatedAt.Compare(b.CreatedAt) })
	i, j := 0, 0
	for i < len(msgs) || j < len(transfers) {
		if j == len(transfers) || (i < len(msgs) && !transfers[j].CreatedAt.Before(messageTime(msgs[i]))) {
			cv.append(msgs[i])
			i++
		} else {
			cv.appendTransfer(transfers[j])
			j++
		}
	}
	cv.msgs.Refresh()
	cv.showErr(nil)
	cv.scrollToBottom()
}

// setTransfer updates a transfer's row in place, or adds the row when the
// transfer is new to the conversation on screen.
func (cv *chatView) setTransfer(t contacts.Transfer) {
	if t.Conversation != cv.peer {
		return
	}
	if r := cv.transfers[t.ID]; r != nil {
		r.Set(t)
		return
	}
	cv.removeHint()
	cv.appendTransfer(t)
	cv.msgs.Refresh()
	cv.scrollToBottom()
}

func (cv *chatView) appendTransfer(t contacts.Transfer) {
	cv.dayLine(t.CreatedAt)
	r := transfer.NewRow(cv, t)
	cv.transfers[t.ID] = r
	cv.msgs.Add(r.Root)
}

func (cv *chatView) removeHint() {
	if cv.hint != nil {
		cv.msgs.Remove(cv.hint)
		cv.hint = nil
	}
}

func (cv *chatView) showErr(err error) { kit.ShowError(cv.sendErr, err) }

// add shows one new message, unless it is on screen already (my own
// messages come back as MessageAdded after Send returned them).
func (cv *chatView) add(m contacts.Message) {
	if m.Conversation != cv.peer {
		return
	}
	if _, ok := cv.ids[m.ID]; ok {
		return
	}
	cv.removeHint()
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
	meta.icon2.Hide()
	switch s {
	case contacts.Read:
		// Two ticks: ✓✓ Read.
		meta.icon.Resource = theme.ConfirmIcon()
		meta.icon2.Show()
		meta.text.Text = "Read"
	case contacts.Delivered:
		meta.icon.Resource = theme.ConfirmIcon()
		meta.text.Text = "Delivered"
	default:
		meta.icon.Resource = theme.HistoryIcon()
		meta.text.Text = "Pending"
	}
	meta.icon.Refresh()
	meta.icon2.Refresh()
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

// dayLine adds a day heading when t starts a new day.
func (cv *chatView) dayLine(t time.Time) {
	if day := dayOf(t); !day.Equal(cv.lastDay) {
		cv.lastDay = day
		l := kit.Caption(dayLabel(day))
		l.Alignment = fyne.TextAlignCenter
		l.TextStyle.Bold = true
		cv.msgs.Add(l)
	}
}

func (cv *chatView) append(m contacts.Message) {
	cv.dayLine(messageTime(m))
	cv.order = append(cv.order, m.ID)
	if cv.authors != nil && !m.Outgoing {
		cv.msgs.Add(cv.authorLine(m))
	}
	cv.msgs.Add(cv.newMessageRow(m))
}
