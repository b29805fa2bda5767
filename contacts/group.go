package contacts

import (
	"strings"
	"time"
)

// MaxGroupMembers is the most people a group conversation holds, its
// creator included.
const MaxGroupMembers = 50

// GroupPrefix starts the conversation name of a group: messages of group
// ID are stored under the conversation "g:" + ID, which can never be a
// peer ID.
const GroupPrefix = "g:"

// GroupConversation is the conversation a group's messages are stored under.
func GroupConversation(groupID string) string { return GroupPrefix + groupID }

// GroupID returns the group of a conversation, and false when the
// conversation is one-to-one.
func GroupID(conversation string) (string, bool) {
	if !strings.HasPrefix(conversation, GroupPrefix) {
		return "", false
	}
	return conversation[len(GroupPrefix):], true
}

// GroupMember is one person in a group, as the group's signed state names
// them: members who are not my contacts are known by this alone.
type GroupMember struct {
	PeerID string
	Name   string
	Addrs  []string // where the creator last saw them
}

// Group is a group conversation. Its membership is the state its creator
// signed last (Version); only the creator can change it, and every member
// checks the signature before applying a change.
type Group struct {
	ID        string
	Name      string
	Creator   string // peer ID of the creator, the only one who signs changes
	Members   []GroupMember
	Version   uint64
	State     []byte // the signed encoding of this version, forwarded as is
	Signature []byte
	// Left: I left or was removed. Nothing more is sent to the group or
	// accepted from it.
	Left bool
	// LeavePending: I left and have not yet told the creator.
	LeavePending bool
	// Told is the version each peer has acknowledged holding, so that every
	// new version reaches every member (and a removed member learns it was
	// removed) exactly once, across restarts.
	Told      map[string]uint64
	CreatedAt time.Time
}

// Member returns the member with peerID.
func (g Group) Member(peerID string) (GroupMember, bool) {
	for _, m := range g.Members {
		if m.PeerID == peerID {
			return m, true
		}
	}
	return GroupMember{}, false
}

// HasMember reports whether peerID is a member of g.
func (g Group) HasMember(peerID string) bool {
	_, ok := g.Member(peerID)
	return ok
}
