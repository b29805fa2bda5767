package ui

import (
	"fmt"
	"slices"
	"time"

	"hearth/app/core/groups"
	"hearth/contacts"
)

// fakeGroups is the fake GroupsBackend; fields guarded by mu.
type fakeGroups struct {
	*fakeHub
	groups  []groups.GroupView
	history map[string][]contacts.Message // group ID → messages
	calls   []string                      // "create:name:ids", "rename:id:name", "add:id:ids", "remove:id:peer", "leave:id", "sendgroup:id:text", "several:ids:text"
	err     error                         // returned by every group call when set
}

func (f *fakeGroups) groupCall(call string) error {
	f.calls = append(f.calls, call)
	return f.err
}

func (f *fakeGroups) Groups() ([]groups.GroupView, error) {
	defer f.lock()()
	return slices.Clone(f.groups), nil
}

func (f *fakeGroups) CreateGroup(name string, peerIDs []string) (contacts.Group, error) {
	defer f.lock()()
	if err := f.groupCall(fmt.Sprintf("create:%s:%v", name, peerIDs)); err != nil {
		return contacts.Group{}, err
	}
	f.nextID++
	g := contacts.Group{ID: fmt.Sprintf("group-%d", f.nextID), Name: name, Creator: fakeMyID, Version: 1}
	g.Members = append(g.Members, contacts.GroupMember{PeerID: fakeMyID, Name: "Ann"})
	for _, id := range peerIDs {
		g.Members = append(g.Members, contacts.GroupMember{PeerID: id})
	}
	f.groups = append(f.groups, groups.GroupView{Group: g, Admin: true})
	return g, nil
}

func (f *fakeGroups) RenameGroup(groupID, name string) error {
	defer f.lock()()
	return f.groupCall("rename:" + groupID + ":" + name)
}

func (f *fakeGroups) AddGroupMembers(groupID string, peerIDs []string) error {
	defer f.lock()()
	return f.groupCall(fmt.Sprintf("add:%s:%v", groupID, peerIDs))
}

func (f *fakeGroups) RemoveGroupMember(groupID, peerID string) error {
	defer f.lock()()
	return f.groupCall("remove:" + groupID + ":" + peerID)
}

func (f *fakeGroups) LeaveGroup(groupID string) error {
	defer f.lock()()
	return f.groupCall("leave:" + groupID)
}

func (f *fakeGroups) SendGroup(groupID, text string) (contacts.Message, error) {
	defer f.lock()()
	if err := f.groupCall("sendgroup:" + groupID + ":" + text); err != nil {
		return contacts.Message{}, err
	}
	f.nextID++
	m := contacts.Message{
		ID: fmt.Sprintf("g-sent-%d", f.nextID), Conversation: contacts.GroupConversation(groupID), From: fakeMyID,
		Body: text, SentAt: time.Now(), Status: contacts.Pending, Outgoing: true, Read: true,
	}
	if f.history == nil {
		f.history = map[string][]contacts.Message{}
	}
	f.history[groupID] = append(f.history[groupID], m)
	return m, nil
}

func (f *fakeGroups) GroupHistory(groupID string, limit int) ([]contacts.Message, error) {
	defer f.lock()()
	return slices.Clone(f.history[groupID]), nil
}

func (f *fakeGroups) SendToSeveral(peerIDs []string, text string) ([]contacts.Message, error) {
	defer f.lock()()
	if err := f.groupCall(fmt.Sprintf("several:%v:%s", peerIDs, text)); err != nil {
		return nil, err
	}
	var out []contacts.Message
	for _, p := range peerIDs {
		out = append(out, contacts.Message{ID: "several-" + p, Conversation: p, Body: text, Outgoing: true})
	}
	return out, nil
}

// groupBackend is sampleBackend with a family group of Ann, Bob and a
// member who is not Ann's contact, with history from both.
func groupBackend() *fakeBackend {
	f := sampleBackend()
	f.groups.history = map[string][]contacts.Message{}
	g := contacts.Group{
		ID: "fam", Name: "Family", Creator: fakeMyID, Version: 3,
		Members: []contacts.GroupMember{
			{PeerID: fakeMyID, Name: "Ann"},
			{PeerID: "peer-bob", Name: "Robert"},
			{PeerID: "peer-gus", Name: "Gus"},
		},
	}
	f.groups.groups = []groups.GroupView{{Group: g, Unread: 1, Admin: true}}
	now := time.Now()
	conv := contacts.GroupConversation("fam")
	f.groups.history["fam"] = []contacts.Message{
		{ID: "g1", Conversation: conv, From: "peer-gus", Body: "Dinner on Sunday?", SentAt: now.Add(-time.Hour), Status: contacts.Received},
		{ID: "g2", Conversation: conv, From: "peer-bob", Body: "I'll bring bread", SentAt: now.Add(-50 * time.Minute), Status: contacts.Received},
	}
	return f
}
