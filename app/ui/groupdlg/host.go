package groupdlg

import (
	"hearth/app/core/people"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// Host is what the group dialogs need of the main window: its window,
// background work, the modal that Escape closes, notices, the contacts to
// pick from, and the sidebar's groups.
type Host interface {
	kit.Window
	// AcceptedContacts are my contacts, sorted by name.
	AcceptedContacts() []people.ContactView
	// RefreshGroups reloads the sidebar's groups; OpenGroup opens one.
	RefreshGroups()
	OpenGroup(groupID string)
	// MemberNames names g's members as the main window shows them.
	MemberNames(g contacts.Group) map[string]string
}

// Dialogs opens one main window's group dialogs: New group, a group's
// members, Send to several.
type Dialogs struct {
	Host
	groups area.GroupsBackend
	me     area.MeBackend // my peer ID: am I a group's admin
}

// New makes the group dialogs for a main window.
func New(h Host, groups area.GroupsBackend, me area.MeBackend) *Dialogs {
	return &Dialogs{Host: h, groups: groups, me: me}
}
