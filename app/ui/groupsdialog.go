package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/base"
	"hearth/app/core/groups"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// The group dialogs: "New group", the members of a group, and "Send to
// several". Each closes with Escape; Enter in its text field submits.

var (
	errPickSomeone = errors.New("choose at least one contact")
	errTooMany     = fmt.Errorf("a group can have at most %d members, you included", contacts.MaxGroupMembers)
)

// contactPicker is a scrolling list of check boxes, one per accepted
// contact, minus those in skip.
type contactPicker struct {
	checks map[string]*widget.Check // peer ID → its box
	order  []string
	root   fyne.CanvasObject
}

func (mw *MainWindow) newContactPicker(skip map[string]bool, onChange func()) *contactPicker {
	p := &contactPicker{checks: map[string]*widget.Check{}}
	box := container.NewVBox()
	for _, c := range mw.all {
		if skip[c.PeerID] {
			continue
		}
		ch := widget.NewCheck(kit.DisplayName(c.Name, c.PeerID), func(bool) {
			if onChange != nil {
				onChange()
			}
		})
		p.checks[c.PeerID] = ch
		p.order = append(p.order, c.PeerID)
		box.Add(ch)
	}
	if len(p.order) == 0 {
		box.Add(kit.Caption("No contacts to choose from."))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(360, min(box.MinSize().Height, 260)))
	p.root = scroll
	return p
}

// chosen lists the checked contacts in list order.
func (p *contactPicker) chosen() []string {
	var out []string
	for _, id := range p.order {
		if p.checks[id].Checked {
			out = append(out, id)
		}
	}
	return out
}

// newGroupDialog creates a group from a name and chosen contacts.
type newGroupDialog struct {
	mw     *MainWindow
	groups area.GroupsBackend
	d      *dialog.CustomDialog
	name   *kit.EscEntry
	picker *contactPicker
	count  *widget.Label
	create *widget.Button
	err    *widget.Label
}

// ShowNewGroup opens the "New group" dialog.
func (mw *MainWindow) ShowNewGroup() { mw.showNewGroup() }

func (mw *MainWindow) showNewGroup() *newGroupDialog {
	n := &newGroupDialog{mw: mw, groups: mw.b.Groups, err: kit.ErrorLabel(), count: kit.Caption("")}
	n.name = kit.NewEscEntry(false)
	n.name.SetPlaceHolder("Group name (e.g. Family, Team)")
	n.name.OnEscape = n.close
	n.name.OnSubmitted = func(string) { n.submit() }
	n.picker = mw.newContactPicker(nil, n.update)
	n.create = widget.NewButtonWithIcon("Create group", theme.ConfirmIcon(), n.submit)
	n.create.Importance = widget.HighImportance
	content := container.NewVBox(
		kit.Wrapped("Choose the contacts to talk to together. Members who are not each other's contacts still see each other's messages in the group."),
		n.name, kit.SectionTitle("Members"), n.picker.root, n.count, n.err)
	n.d = dialog.NewCustomWithoutButtons("New group", content, mw.win)
	n.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", n.close), n.create})
	n.update()
	mw.ShowModal(n.d, n.close)
	mw.win.Canvas().Focus(n.name)
	return n
}

func (n *newGroupDialog) close() { n.mw.HideModal(n.d) }

func (n *newGroupDialog) update() {
	k := len(n.picker.chosen())
	n.count.SetText(fmt.Sprintf("%d of at most %d chosen", k, contacts.MaxGroupMembers-1))
}

func (n *newGroupDialog) submit() {
	if n.create.Disabled() {
		return
	}
	ids := n.picker.chosen()
	switch {
	case len(ids) == 0:
		kit.ShowError(n.err, errPickSomeone)
		return
	case len(ids)+1 > contacts.MaxGroupMembers:
		kit.ShowError(n.err, errTooMany)
		return
	}
	name := strings.TrimSpace(n.name.Text)
	kit.ShowError(n.err, nil)
	n.create.Disable()
	var g contacts.Group
	n.mw.Background(func() (err error) {
		g, err = n.groups.CreateGroup(name, ids)
		return err
	}, func(err error) {
		n.create.Enable()
		if err != nil {
			kit.ShowError(n.err, err)
			return
		}
		n.close()
		n.mw.refreshGroups()
		n.mw.openGroup(g.ID)
	})
}

// membersDialog lists a group's members; the creator can rename the group,
// add and remove members; anyone can leave.
type membersDialog struct {
	mw     *MainWindow
	groups area.GroupsBackend
	g      groups.GroupView
	d      *dialog.CustomDialog
	rename *kit.EscEntry
	picker *contactPicker // contacts to add; nil unless admin
	err    *widget.Label
}

// ShowGroupMembers opens the members dialog of the open group.
func (mw *MainWindow) ShowGroupMembers() {
	if g := mw.selectedGroup(); g != nil {
		mw.showGroupMembers(*g)
	}
}

func (mw *MainWindow) showGroupMembers(g groups.GroupView) *membersDialog {
	md := &membersDialog{mw: mw, groups: mw.b.Groups, g: g, err: kit.ErrorLabel()}
	names := mw.memberNames(g.Group)
	me := mw.b.Me.MyPeerID()
	rows := container.NewVBox()
	for _, m := range g.Members {
		label := names[m.PeerID]
		switch {
		case m.PeerID == me:
			label += " (you)"
		case m.PeerID == g.Creator:
			label += " (created the group)"
		}
		var right fyne.CanvasObject
		if g.Admin && !g.Left && m.PeerID != me {
			peerID := m.PeerID
			rm := widget.NewButtonWithIcon("Remove", theme.ContentRemoveIcon(), func() { md.remove(peerID) })
			rm.Importance = widget.DangerImportance
			right = rm
		}
		rows.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), right, widget.NewLabel(label)))
	}
	scroll := container.NewVScroll(rows)
	scroll.SetMinSize(fyne.NewSize(400, min(rows.MinSize().Height, 240)))
	parts := []fyne.CanvasObject{kit.Heading(groupMemberCount(g)), scroll}
	buttons := []fyne.CanvasObject{widget.NewButton("Close", md.close)}
	if g.Admin && !g.Left {
		md.rename = kit.NewEscEntry(false)
		md.rename.SetText(g.Name)
		md.rename.OnEscape = md.close
		md.rename.OnSubmitted = func(string) { md.doRename() }
		renameBtn := widget.NewButton("Rename", md.doRename)
		parts = append(parts, kit.SectionTitle("Name"), container.NewBorder(nil, nil, nil, renameBtn, md.rename))
		in := map[string]bool{}
		for _, m := range g.Members {
			in[m.PeerID] = true
		}
		md.picker = mw.newContactPicker(in, nil)
		add := widget.NewButtonWithIcon("Add chosen", theme.ContentAddIcon(), md.add)
		parts = append(parts, kit.SectionTitle("Add contacts"), md.picker.root, container.NewHBox(add))
	}
	if !g.Left {
		leave := widget.NewButtonWithIcon("Leave group", theme.LogoutIcon(), md.leave)
		leave.Importance = widget.DangerImportance
		buttons = append([]fyne.CanvasObject{leave}, buttons...)
	}
	parts = append(parts, md.err)
	md.d = dialog.NewCustomWithoutButtons(g.Name, container.NewVBox(parts...), mw.win)
	md.d.SetButtons(buttons)
	mw.ShowModal(md.d, md.close)
	return md
}

func (md *membersDialog) close() { md.mw.HideModal(md.d) }

// run does a group change in the background and closes the dialog when
// it worked.
func (md *membersDialog) run(fn func() error) {
	kit.ShowError(md.err, nil)
	md.mw.Background(fn, func(err error) {
		if err != nil {
			kit.ShowError(md.err, err)
			return
		}
		md.close()
		md.mw.refreshGroups()
	})
}

func (md *membersDialog) remove(peerID string) {
	md.run(func() error { return md.groups.RemoveGroupMember(md.g.ID, peerID) })
}

func (md *membersDialog) add() {
	ids := md.picker.chosen()
	if len(ids) == 0 {
		kit.ShowError(md.err, errPickSomeone)
		return
	}
	if len(ids)+len(md.g.Members) > contacts.MaxGroupMembers {
		kit.ShowError(md.err, errTooMany)
		return
	}
	md.run(func() error { return md.groups.AddGroupMembers(md.g.ID, ids) })
}

func (md *membersDialog) doRename() {
	name := strings.TrimSpace(md.rename.Text)
	md.run(func() error { return md.groups.RenameGroup(md.g.ID, name) })
}

func (md *membersDialog) leave() {
	md.run(func() error { return md.groups.LeaveGroup(md.g.ID) })
}

// severalDialog sends one message to several contacts: one message each.
type severalDialog struct {
	mw     *MainWindow
	groups area.GroupsBackend
	d      *dialog.CustomDialog
	text   *kit.EscEntry
	picker *contactPicker
	send   *widget.Button
	err    *widget.Label
}

// ShowSendToSeveral opens the "Send to several" dialog.
func (mw *MainWindow) ShowSendToSeveral() { mw.showSendToSeveral() }

func (mw *MainWindow) showSendToSeveral() *severalDialog {
	s := &severalDialog{mw: mw, groups: mw.b.Groups, err: kit.ErrorLabel()}
	s.text = kit.NewEscEntry(false)
	s.text.SetPlaceHolder("Message")
	s.text.OnEscape = s.close
	s.text.OnSubmitted = func(string) { s.submit() }
	s.picker = mw.newContactPicker(nil, nil)
	s.send = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), s.submit)
	s.send.Importance = widget.HighImportance
	content := container.NewVBox(
		kit.Wrapped("Each contact gets the message in your conversation with them; they do not see who else got it."),
		kit.SectionTitle("To"), s.picker.root, s.text, s.err)
	s.d = dialog.NewCustomWithoutButtons("Send to several", content, mw.win)
	s.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", s.close), s.send})
	mw.ShowModal(s.d, s.close)
	mw.win.Canvas().Focus(s.text)
	return s
}

func (s *severalDialog) close() { s.mw.HideModal(s.d) }

func (s *severalDialog) submit() {
	if s.send.Disabled() {
		return
	}
	ids := s.picker.chosen()
	if len(ids) == 0 {
		kit.ShowError(s.err, errPickSomeone)
		return
	}
	text := s.text.Text
	if strings.TrimSpace(text) == "" {
		kit.ShowError(s.err, base.ErrEmptyMessage)
		return
	}
	kit.ShowError(s.err, nil)
	s.send.Disable()
	s.mw.Background(func() error {
		_, err := s.groups.SendToSeveral(ids, text)
		return err
	}, func(err error) {
		s.send.Enable()
		if err != nil {
			kit.ShowError(s.err, err)
			return
		}
		s.close()
		s.mw.ShowNotice(fmt.Sprintf("Sent to %d contacts.", len(ids)))
	})
}
