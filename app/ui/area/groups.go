package area

import (
	"hearth/app/core/groups"
	"hearth/contacts"
)

// GroupsBackend is group conversations (their messages live under the
// conversation contacts.GroupConversation(id)) and one message to several
// contacts. The sidebar's groups and the group dialogs use it.
type GroupsBackend interface {
	Groups() ([]groups.GroupView, error)
	CreateGroup(name string, peerIDs []string) (contacts.Group, error)
	RenameGroup(groupID, name string) error
	AddGroupMembers(groupID string, peerIDs []string) error
	RemoveGroupMember(groupID, peerID string) error
	LeaveGroup(groupID string) error
	SendGroup(groupID, text string) (contacts.Message, error)
	// GroupHistory is in display order: author's time, author, ID.
	GroupHistory(groupID string, limit int) ([]contacts.Message, error)
	SendToSeveral(peerIDs []string, text string) ([]contacts.Message, error)
}
