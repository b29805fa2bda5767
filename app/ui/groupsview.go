package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/groups"
	"hearth/app/ui/groupdlg"
	"hearth/app/ui/kit"
	"hearth/app/ui/transfer"
	"hearth/contacts"
)

// Group conversations in the main window: a "Groups" section above the
// contacts, and the chat pane showing a group (author names on others'
// messages, a Members button instead of Call).

// groupsSection is the sidebar's list of groups with the group actions.
type groupsSection struct {
	root   *fyne.Container
	rows   *fyne.Container
	groups []groups.GroupView // as last read, by name
}

// buildGroups makes the sidebar section; refreshGroups fills it.
func (mw *MainWindow) buildGroups() fyne.CanvasObject {
	s := &groupsSection{rows: container.NewVBox()}
	newGroup := widget.NewButtonWithIcon(lang.L("New group"), theme.ContentAddIcon(), mw.ShowNewGroup)
	newGroup.Importance = widget.LowImportance
	several := widget.NewButtonWithIcon(lang.L("Send to several"), theme.MailSendIcon(), mw.ShowSendToSeveral)
	several.Importance = widget.LowImportance
	s.root = container.NewVBox(s.rows, container.NewGridWithColumns(2, newGroup, several), widget.NewSeparator())
	mw.grp = s
	return s.root
}

// RefreshGroups re-reads the groups and rebuilds their rows.
func (mw *MainWindow) RefreshGroups() {
	gs, err := mw.b.Groups.Groups()
	if err != nil {
		mw.ShowNotice(lang.L("Could not read your groups: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
		return
	}
	mw.grp.groups = gs
	mw.grp.rows.RemoveAll()
	if len(gs) > 0 {
		mw.grp.rows.Add(kit.SectionTitle(lang.L("Groups")))
	}
	for _, g := range gs {
		mw.grp.rows.Add(mw.groupRow(g))
		if contacts.GroupConversation(g.ID) == mw.selected {
			mw.chat.setGroup(g, mw.MemberNames(g.Group))
		}
	}
	mw.grp.rows.Refresh()
}

// groupView returns the group last read, or nil.
func (mw *MainWindow) groupView(id string) *groups.GroupView {
	for i := range mw.grp.groups {
		if mw.grp.groups[i].ID == id {
			return &mw.grp.groups[i]
		}
	}
	return nil
}

func (mw *MainWindow) groupRow(g groups.GroupView) fyne.CanvasObject {
	id := g.ID
	open := widget.NewButtonWithIcon(g.Name, theme.AccountIcon(), func() { mw.OpenGroup(id) })
	open.Alignment = widget.ButtonAlignLeading
	open.Importance = widget.LowImportance
	if contacts.GroupConversation(id) == mw.selected {
		open.Importance = widget.MediumImportance
	}
	count := kit.Caption(groupdlg.GroupMemberCount(g))
	b := kit.NewBadge()
	b.SetCount(g.Unread)
	if g.Unread == 0 {
		b.Hide()
	}
	return container.NewBorder(nil, nil, nil, container.NewHBox(container.NewCenter(count), container.NewCenter(b)), open)
}

// MemberNames maps a group's members to the names to show: my contact's
// name when I have one, else the name the group's creator listed.
func (mw *MainWindow) MemberNames(g contacts.Group) map[string]string {
	names := map[string]string{mw.b.Me.MyPeerID(): mw.b.Me.MyName()}
	for _, m := range g.Members {
		if _, ok := names[m.PeerID]; !ok {
			names[m.PeerID] = kit.DisplayName(m.Name, m.PeerID)
		}
	}
	for _, c := range mw.all {
		if _, ok := names[c.PeerID]; ok && c.Name != "" {
			names[c.PeerID] = c.Name
		}
	}
	return names
}

// OpenGroup shows a group's conversation in the chat pane.
func (mw *MainWindow) OpenGroup(groupID string) {
	g := mw.groupView(groupID)
	if g == nil {
		return
	}
	conv := contacts.GroupConversation(groupID)
	if conv == mw.selected {
		return
	}
	mw.chat.voice.Leave()
	mw.selected = conv
	mw.list.UnselectAll()
	mw.chat.setGroup(*g, mw.MemberNames(g.Group))
	msgs, err := mw.b.Groups.GroupHistory(groupID, historyLimit)
	if err != nil {
		mw.ShowNotice(lang.L("Could not read this conversation: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
	}
	transfers, err := mw.b.Files.Transfers(conv)
	if err != nil {
		mw.ShowNotice(lang.L("Could not read the files of this conversation: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
	}
	mw.chat.setHistory(msgs, transfers)
	mw.updateComplianceBar() // archive.go: no banner left from a one-to-one conversation
	mw.empty.Hide()
	mw.chat.root.Show()
	mw.win.Canvas().Focus(mw.chat.entry)
	if g.Unread > 0 {
		mw.markRead(conv)
	}
	mw.RefreshGroups() // highlight the open group
}

// selectedGroup is the open group, or nil when a contact (or nothing) is
// open.
func (mw *MainWindow) selectedGroup() *groups.GroupView {
	id, ok := contacts.GroupID(mw.selected)
	if !ok {
		return nil
	}
	return mw.groupView(id)
}

// setGroup makes the chat pane show a group: its name, member count and
// Members button; author names above others' messages; files but no call.
func (cv *chatView) setGroup(g groups.GroupView, names map[string]string) {
	cv.authors = names
	cv.peerName = g.Name
	cv.name.SetText(g.Name)
	cv.avatar.Set(g.Name, nil) // a group shows its initials
	cv.status.SetText(groupdlg.GroupMemberCount(g))
	cv.dot.FillColor = theme.Color(theme.ColorNamePrimary)
	cv.dot.Refresh()
	cv.call.Hide()
	cv.more.Hide()
	kit.SetVerifiedMark(cv.verified, cv.nameRow, false)
	transfer.SetVisible(cv.attach, !g.Left) // files and voice notes go to every member (groupfiles.go)
	transfer.SetVisible(cv.mic, !g.Left)
	cv.members.Show()
	cv.mute.Hide() // replies, edits, receipts and mute are 1:1 only (convo.go)
	cv.typing = false
	if g.Left {
		cv.entry.Disable()
		cv.send.Disable()
	} else {
		cv.entry.Enable()
		cv.send.Enable()
	}
}

// setOneToOne undoes setGroup for a contact's conversation.
func (cv *chatView) setOneToOne() {
	cv.authors = nil
	cv.call.Show()
	cv.more.Show()
	cv.attach.Show()
	cv.mic.Show()
	cv.members.Hide()
	cv.mute.Show()
	cv.entry.Enable()
	cv.send.Enable()
}

// authorLine names the author above someone else's message in a group.
func (cv *chatView) authorLine(m contacts.Message) fyne.CanvasObject {
	name := cv.authors[m.From]
	if name == "" {
		name = kit.DisplayName("", m.From)
	}
	l := kit.Caption(name)
	l.TextStyle.Bold = true
	return l
}
