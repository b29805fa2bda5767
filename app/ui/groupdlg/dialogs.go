package groupdlg

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
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
	errPickSomeone = errors.New(lang.L("choose at least one contact"))
	errTooMany     = errors.New(lang.L("a group can have at most {{.Count}} members, you included", map[string]any{"Count": contacts.MaxGroupMembers}))
)

// contactPicker is a scrolling list of check boxes, one per accepted
// contact, minus those in skip.
type contactPicker struct {
	Checks map[string]*widget.Check // peer ID → its box
	order  []string
	root   fyne.CanvasObject
}

func (mw *Dialogs) newContactPicker(skip map[string]bool, onChange func()) *contactPicker {
	p := &contactPicker{Checks: map[string]*widget.Check{}}
	box := container.NewVBox()
	for _, c := range mw.AcceptedContacts() {
		if skip[c.PeerID] {
			continue
		}
		ch := widget.NewCheck(kit.DisplayName(c.Name, c.PeerID), func(bool) {
			if onChange != nil {
				onChange()
			}
		})
		p.Checks[c.PeerID] = ch
		p.order = append(p.order, c.PeerID)
		box.Add(ch)
	}
	if len(p.order) == 0 {
		box.Add(kit.Caption(lang.L("No contacts to choose from.")))
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
		if p.Checks[id].Checked {
			out = append(out, id)
		}
	}
	return out
}

// newGroupDialog creates a group from a name and chosen contacts.
type newGroupDialog struct {
	mw     *Dialogs
	groups area.GroupsBackend
	d      *dialog.CustomDialog
	Name   *kit.EscEntry
	Picker *contactPicker
	Count  *widget.Label
	Create *widget.Button
	Err    *widget.Label
}

// ShowNewGroup opens the "New group" dialog.
func (mw *Dialogs) ShowNewGroup() *newGroupDialog {
	n := &newGroupDialog{mw: mw, groups: mw.groups, Err: kit.ErrorLabel(), Count: kit.Caption("")}
	n.Name = kit.NewEscEntry(false)
	n.Name.SetPlaceHolder(lang.L("Group name (e.g. Family, Team)"))
	n.Name.OnEscape = n.close
	n.Name.OnSubmitted = func(string) { n.submit() }
	n.Picker = mw.newContactPicker(nil, n.update)
	n.Create = widget.NewButtonWithIcon(lang.L("Create group"), theme.ConfirmIcon(), n.submit)
	n.Create.Importance = widget.HighImportance
	content := container.NewVBox(
		kit.Wrapped(lang.L("Choose the contacts to talk to together. Members who are not each other's contacts still see each other's messages in the group.")),
		n.Name, kit.SectionTitle(lang.L("Members")), n.Picker.root, n.Count, n.Err)
	n.d = dialog.NewCustomWithoutButtons(lang.L("New group"), content, mw.Window())
	n.d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), n.close), n.Create})
	n.update()
	mw.ShowModal(n.d, n.close)
	mw.Window().Canvas().Focus(n.Name)
	return n
}

func (n *newGroupDialog) close() { n.mw.HideModal(n.d) }

func (n *newGroupDialog) update() {
	k := len(n.Picker.chosen())
	n.Count.SetText(lang.L("{{.Count}} of at most {{.Max}} chosen", map[string]any{"Count": k, "Max": contacts.MaxGroupMembers - 1}))
}

func (n *newGroupDialog) submit() {
	if n.Create.Disabled() {
		return
	}
	ids := n.Picker.chosen()
	switch {
	case len(ids) == 0:
		kit.ShowError(n.Err, errPickSomeone)
		return
	case len(ids)+1 > contacts.MaxGroupMembers:
		kit.ShowError(n.Err, errTooMany)
		return
	}
	name := strings.TrimSpace(n.Name.Text)
	kit.ShowError(n.Err, nil)
	n.Create.Disable()
	var g contacts.Group
	n.mw.Background(func() (err error) {
		g, err = n.groups.CreateGroup(name, ids)
		return err
	}, func(err error) {
		n.Create.Enable()
		if err != nil {
			kit.ShowError(n.Err, err)
			return
		}
		n.close()
		n.mw.RefreshGroups()
		n.mw.OpenGroup(g.ID)
	})
}

// membersDialog lists a group's members; the creator can rename the group,
// add and remove members; anyone can leave.
type membersDialog struct {
	mw     *Dialogs
	groups area.GroupsBackend
	g      groups.GroupView
	d      *dialog.CustomDialog
	Rename *kit.EscEntry
	Picker *contactPicker // contacts to add; nil unless admin
	err    *widget.Label
}

// ShowGroupMembers opens the members dialog of group g.
func (mw *Dialogs) ShowGroupMembers(g groups.GroupView) *membersDialog {
	md := &membersDialog{mw: mw, groups: mw.groups, g: g, err: kit.ErrorLabel()}
	names := mw.MemberNames(g.Group)
	me := mw.me.MyPeerID()
	rows := container.NewVBox()
	for _, m := range g.Members {
		label := names[m.PeerID]
		switch {
		case m.PeerID == me:
			label += lang.L(" (you)")
		case m.PeerID == g.Creator:
			label += lang.L(" (created the group)")
		}
		var right fyne.CanvasObject
		if g.Admin && !g.Left && m.PeerID != me {
			peerID := m.PeerID
			rm := widget.NewButtonWithIcon(lang.L("Remove"), theme.ContentRemoveIcon(), func() { md.Remove(peerID) })
			rm.Importance = widget.DangerImportance
			right = rm
		}
		rows.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), right, widget.NewLabel(label)))
	}
	scroll := container.NewVScroll(rows)
	scroll.SetMinSize(fyne.NewSize(400, min(rows.MinSize().Height, 240)))
	parts := []fyne.CanvasObject{kit.Heading(GroupMemberCount(g)), scroll}
	buttons := []fyne.CanvasObject{widget.NewButton(lang.L("Close"), md.close)}
	if g.Admin && !g.Left {
		md.Rename = kit.NewEscEntry(false)
		md.Rename.SetText(g.Name)
		md.Rename.OnEscape = md.close
		md.Rename.OnSubmitted = func(string) { md.doRename() }
		renameBtn := widget.NewButton(lang.L("Rename"), md.doRename)
		parts = append(parts, kit.SectionTitle(lang.L("Name")), container.NewBorder(nil, nil, nil, renameBtn, md.Rename))
		in := map[string]bool{}
		for _, m := range g.Members {
			in[m.PeerID] = true
		}
		md.Picker = mw.newContactPicker(in, nil)
		add := widget.NewButtonWithIcon(lang.L("Add chosen"), theme.ContentAddIcon(), md.Add)
		parts = append(parts, kit.SectionTitle(lang.L("Add contacts")), md.Picker.root, container.NewHBox(add))
	}
	if !g.Left {
		leave := widget.NewButtonWithIcon(lang.L("Leave group"), theme.LogoutIcon(), md.leave)
		leave.Importance = widget.DangerImportance
		buttons = append([]fyne.CanvasObject{leave}, buttons...)
	}
	parts = append(parts, md.err)
	md.d = dialog.NewCustomWithoutButtons(g.Name, container.NewVBox(parts...), mw.Window())
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
		md.mw.RefreshGroups()
	})
}

func (md *membersDialog) Remove(peerID string) {
	md.run(func() error { return md.groups.RemoveGroupMember(md.g.ID, peerID) })
}

func (md *membersDialog) Add() {
	ids := md.Picker.chosen()
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
	name := strings.TrimSpace(md.Rename.Text)
	md.run(func() error { return md.groups.RenameGroup(md.g.ID, name) })
}

func (md *membersDialog) leave() {
	md.run(func() error { return md.groups.LeaveGroup(md.g.ID) })
}

// severalDialog sends one message to several contacts: one message each.
type severalDialog struct {
	mw     *Dialogs
	groups area.GroupsBackend
	d      *dialog.CustomDialog
	Text   *kit.EscEntry
	Picker *contactPicker
	send   *widget.Button
	Err    *widget.Label
}

// ShowSendToSeveral opens the "Send to several" dialog.
func (mw *Dialogs) ShowSendToSeveral() *severalDialog {
	s := &severalDialog{mw: mw, groups: mw.groups, Err: kit.ErrorLabel()}
	s.Text = kit.NewEscEntry(false)
	s.Text.SetPlaceHolder(lang.L("Message"))
	s.Text.OnEscape = s.close
	s.Text.OnSubmitted = func(string) { s.submit() }
	s.Picker = mw.newContactPicker(nil, nil)
	s.send = widget.NewButtonWithIcon(lang.L("Send"), theme.MailSendIcon(), s.submit)
	s.send.Importance = widget.HighImportance
	content := container.NewVBox(
		kit.Wrapped(lang.L("Each contact gets the message in your conversation with them; they do not see who else got it.")),
		kit.SectionTitle(lang.L("To")), s.Picker.root, s.Text, s.Err)
	s.d = dialog.NewCustomWithoutButtons(lang.L("Send to several"), content, mw.Window())
	s.d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), s.close), s.send})
	mw.ShowModal(s.d, s.close)
	mw.Window().Canvas().Focus(s.Text)
	return s
}

func (s *severalDialog) close() { s.mw.HideModal(s.d) }

func (s *severalDialog) submit() {
	if s.send.Disabled() {
		return
	}
	ids := s.Picker.chosen()
	if len(ids) == 0 {
		kit.ShowError(s.Err, errPickSomeone)
		return
	}
	text := s.Text.Text
	if strings.TrimSpace(text) == "" {
		kit.ShowError(s.Err, base.ErrEmptyMessage)
		return
	}
	kit.ShowError(s.Err, nil)
	s.send.Disable()
	s.mw.Background(func() error {
		_, err := s.groups.SendToSeveral(ids, text)
		return err
	}, func(err error) {
		s.send.Enable()
		if err != nil {
			kit.ShowError(s.Err, err)
			return
		}
		s.close()
		s.mw.ShowNotice(lang.L("Sent to {{.Count}} contacts.", map[string]any{"Count": len(ids)}))
	})
}
