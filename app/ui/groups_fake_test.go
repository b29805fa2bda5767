package ui

import (
	"fmt"
	"slices"
	"time"

	"hearth/app/core"
	"hearth/contacts"
)

// fakeGroups is the fake backend's share of group conversations; guarded
// by fakeBackend.mu.
type fakeGroups struct {
	groups  []core.GroupView
	history map[string][]contacts.Message // group ID → messages
	calls   []string                      // "create:name:ids", "rename:id:name", "add:id:ids", "remove:id:peer", "leave:id", "sendgroup:id:text", "several:ids:text"
	err     error                         // returned by every group call when set
}

func (f *fakeBackend) groupCall(call string) error {
	f.grp.calls = append(f.grp.calls, call)
	return f.grp.err
}

func (f *fakeBackend) Groups() ([]core.GroupView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.grp.groups), nil
}

func (f *fakeBackend) CreateGroup(name string, peerIDs []string) (contacts.Group, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.groupCall(fmt.Sprintf("create:%s:%v", name, peerIDs)); err != nil {
		return contacts.Group{}, err
	}
	f.nextID++
	g := contacts.Group{ID: fmt.Sprintf("group-%d", f.nextID), Name: name, Creator: f.MyPeerID(), Version: 1}
	g.Members = append(g.Members, contacts.GroupMember{PeerID: f.MyPeerID(), Name: "Ann"})
	for _, id := range peerIDs {
		g.Members = append(g.Members, contacts.GroupMember{PeerID: id})
	}
	f.grp.groups = append(f.grp.groups, core.GroupView{Group: g, Admin: true})
	return g, nil
}

func (f *fakeBackend) RenameGroup(groupID, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.groupCall("rename:" + groupID + ":" + name)
}

func (f *fakeBackend) AddGroupMembers(groupID string, peerIDs []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.groupCall(fmt.Sprintf("add:%s:%v", groupID, peerIDs))
}

func (f *fakeBackend) RemoveGroupMember(groupID, peerID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.groupCall("remove:" + groupID + ":" + peerID)
}

func (f *fakeBackend) LeaveGroup(groupID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.groupCall("leave:" + groupID)
}

func (f *fakeBackend) SendGroup(groupID, text string) (contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.groupCall("sendgroup:" + groupID + ":" + text); err != nil {
		return contacts.Message{}, err
	}
	f.nextID++
	m := contacts.Message{
		ID: fmt.Sprintf("g-sent-%d", f.nextID), Conversation: contacts.GroupConversation(groupID), From: f.MyPeerID(),
		Body: text, SentAt: time.Now(), Status: contacts.Pending, Outgoing: true, Read: true,
	}
	if f.grp.history == nil {
		f.grp.history = map[string][]contacts.Message{}
	}
	f.grp.history[groupID] = append(f.grp.history[groupID], m)
	return m, nil
}

func (f *fakeBackend) GroupHistory(groupID string, limit int) ([]contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.grp.history[groupID]), nil
}

func (f *fakeBackend) SendToSeveral(peerIDs []string, text string) ([]contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
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
	f.grp.history = map[string][]contacts.Message{}
	g := contacts.Group{
		ID: "fam", Name: "Family", Creator: f.MyPeerID(), Version: 3,
		Members: []contacts.GroupMember{
			{PeerID: f.MyPeerID(), Name: "Ann"},
			{PeerID: "peer-bob", Name: "Robert"},
			{PeerID: "peer-gus", Name: "Gus"},
		},
	}
	f.grp.groups = []core.GroupView{{Group: g, Unread: 1, Admin: true}}
	now := time.Now()
	conv := contacts.GroupConversation("fam")
	f.grp.history["fam"] = []contacts.Message{
		{ID: "g1", Conversation: conv, From: "peer-gus", Body: "Dinner on Sunday?", SentAt: now.Add(-time.Hour), Status: contacts.Received},
		{ID: "g2", Conversation: conv, From: "peer-bob", Body: "I'll bring bread", SentAt: now.Add(-50 * time.Minute), Status: contacts.Received},
	}
	return f
}
