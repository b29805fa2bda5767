package groups

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/group"
	"hearth/p2p/wire"
)

// cleanGroupName trims a group name and checks its length.
func cleanGroupName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if len(name) > wire.MaxNameLen || !utf8.ValidString(name) {
		return "", ErrGroupNameTooLong
	}
	if name == "" {
		name = "Group"
	}
	return name, nil
}

// memberFor describes a contact (or me) as a group member.
func (gs *Groups) memberFor(peerID string) (contacts.GroupMember, error) {
	if peerID == gs.d.Self.String() {
		addrs := gs.d.Addrs()
		return contacts.GroupMember{PeerID: peerID, Name: gs.d.Name(), Addrs: addrs[:min(len(addrs), wire.MaxGroupAddrs)]}, nil
	}
	id, err := peer.Decode(peerID)
	if err != nil {
		return contacts.GroupMember{}, book.ErrUnknownPeer
	}
	c, ok := gs.d.Book.Get(id)
	if !ok || c.State != contacts.Accepted {
		return contacts.GroupMember{}, book.ErrNotContact
	}
	var addrs []string
	for _, a := range c.Addrs {
		if len(addrs) < wire.MaxGroupAddrs && len(a) <= wire.MaxAddrLen {
			addrs = append(addrs, a)
		}
	}
	name := c.Name
	if len(name) > wire.MaxNameLen {
		name = ""
	}
	return contacts.GroupMember{PeerID: peerID, Name: name, Addrs: addrs}, nil
}

// CreateGroup makes a group of me and some accepted contacts, and tells
// them. The returned group is stored; the others learn of it when they are
// reachable.
func (gs *Groups) CreateGroup(name string, peerIDs []string) (contacts.Group, error) {
	name, err := cleanGroupName(name)
	if err != nil {
		return contacts.Group{}, err
	}
	me := gs.d.Self.String()
	ids := []string{me}
	for _, p := range peerIDs {
		if !slices.Contains(ids, p) {
			ids = append(ids, p)
		}
	}
	if len(ids) > contacts.MaxGroupMembers {
		return contacts.Group{}, ErrGroupFull
	}
	members := make([]contacts.GroupMember, 0, len(ids))
	for _, id := range ids {
		mem, err := gs.memberFor(id)
		if err != nil {
			return contacts.Group{}, err
		}
		members = append(members, mem)
	}
	nonce := make([]byte, wire.GroupNonceLen)
	rand.Read(nonce)
	st := wire.GroupState{
		ID: group.StateID(me, nonce), Name: name, Creator: me, Nonce: nonce, Version: 1,
		CreatedAt: time.Now().UnixMilli(),
	}
	gs.mu.Lock()
	defer gs.mu.Unlock()
	return gs.signAndApply(st, members)
}

// signAndApply signs st with members as the next state and applies it as a
// member would. Callers hold gs.mu.
func (gs *Groups) signAndApply(st wire.GroupState, members []contacts.GroupMember) (contacts.Group, error) {
	st.Members = make([]wire.GroupMember, len(members))
	for i, mem := range members {
		st.Members[i] = wire.GroupMember{PeerID: mem.PeerID, Name: mem.Name, Addrs: mem.Addrs}
	}
	state, sig, err := group.Sign(gs.d.Key, st)
	if err != nil {
		return contacts.Group{}, err
	}
	g, ok, err := gs.applyState(st, state, sig)
	if err != nil {
		return contacts.Group{}, err
	}
	if !ok {
		return contacts.Group{}, fmt.Errorf("applying my own group state: %w", group.ErrBadState)
	}
	return g, nil
}

// changeGroup loads a group I created and still belong to, lets change
// edit its name and members, and signs and applies the result as the next
// version.
func (gs *Groups) changeGroup(groupID string, change func(name *string, members *[]contacts.GroupMember) error) (contacts.Group, error) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	g, err := gs.Group(groupID)
	if err != nil {
		return g, err
	}
	if g.Creator != gs.d.Self.String() {
		return g, ErrNotGroupAdmin
	}
	if g.Left {
		return g, ErrLeftGroup
	}
	prev, err := group.Verify(g.State, g.Signature)
	if err != nil {
		return g, err
	}
	name, members := g.Name, slices.Clone(g.Members)
	if err := change(&name, &members); err != nil {
		return g, err
	}
	if len(members) > contacts.MaxGroupMembers {
		return g, ErrGroupFull
	}
	prev.Name = name
	prev.Version = g.Version + 1
	return gs.signAndApply(prev, members)
}

// RenameGroup gives a group I created a new name.
func (gs *Groups) RenameGroup(groupID, name string) error {
	name, err := cleanGroupName(name)
	if err != nil {
		return err
	}
	_, err = gs.changeGroup(groupID, func(n *string, _ *[]contacts.GroupMember) error {
		*n = name
		return nil
	})
	return err
}

// AddGroupMembers adds accepted contacts to a group I created.
func (gs *Groups) AddGroupMembers(groupID string, peerIDs []string) error {
	_, err := gs.changeGroup(groupID, func(_ *string, members *[]contacts.GroupMember) error {
		for _, id := range peerIDs {
			if slices.ContainsFunc(*members, func(g contacts.GroupMember) bool { return g.PeerID == id }) {
				continue
			}
			mem, err := gs.memberFor(id)
			if err != nil {
				return err
			}
			*members = append(*members, mem)
		}
		return nil
	})
	return err
}

// RemoveGroupMember removes someone from a group I created. They are told,
// and receive nothing further.
func (gs *Groups) RemoveGroupMember(groupID, peerID string) error {
	if peerID == gs.d.Self.String() {
		return gs.LeaveGroup(groupID)
	}
	_, err := gs.changeGroup(groupID, func(_ *string, members *[]contacts.GroupMember) error {
		*members = slices.DeleteFunc(*members, func(g contacts.GroupMember) bool { return g.PeerID == peerID })
		return nil
	})
	return err
}

// LeaveGroup leaves a group: nothing more is sent to it or accepted from
// it. The creator is told (and tells the others); a creator who leaves
// signs a last version without itself, after which the membership can no
// longer change.
func (gs *Groups) LeaveGroup(groupID string) error {
	me := gs.d.Self.String()
	g, err := gs.Group(groupID)
	if err != nil {
		return err
	}
	if g.Left {
		return nil
	}
	if g.Creator == me {
		_, err := gs.changeGroup(groupID, func(_ *string, members *[]contacts.GroupMember) error {
			*members = slices.DeleteFunc(*members, func(g contacts.GroupMember) bool { return g.PeerID == me })
			return nil
		})
		return err
	}
	gs.mu.Lock()
	g, err = gs.Group(groupID)
	if err == nil && !g.Left {
		g.Left, g.LeavePending = true, true
		err = gs.leftGroup(g, g.Members)
	}
	gs.mu.Unlock()
	if err != nil {
		return err
	}
	gs.afterGroupChange(g)
	return nil
}

// leftGroup stores g, which I am no longer in, and ends the deliveries of
// my messages to its members. Callers hold gs.mu.
func (gs *Groups) leftGroup(g contacts.Group, members []contacts.GroupMember) error {
	if err := gs.putGroup(g); err != nil {
		return err
	}
	for _, mem := range members {
		gs.dropDeliveries(g.ID, mem.PeerID)
	}
	return nil
}

// dropDeliveries ends the deliveries of a group's messages to one member.
func (gs *Groups) dropDeliveries(groupID, member string) {
	conv := contacts.GroupConversation(groupID)
	done, err := gs.d.Store.DropGroupDeliveries(conv, member)
	if err != nil {
		return
	}
	for _, id := range done {
		gs.d.Publish(event.MessageStatusChanged{ID: id, Conversation: conv, Status: contacts.Delivered})
	}
}

// applyState applies a verified state of a group, from the creator or
// forwarded by anyone, and reports whether it was taken (false: refused
// for good). A state not newer than the one held is taken and changes
// nothing. Callers hold gs.mu.
func (gs *Groups) applyState(st wire.GroupState, state, sig []byte) (contacts.Group, bool, error) {
	me := gs.d.Self.String()
	old, known := gs.Get(st.ID)
	inNew := slices.ContainsFunc(st.Members, func(w wire.GroupMember) bool { return w.PeerID == me })
	switch {
	case known && old.Creator != st.Creator:
		return old, false, nil
	case known && st.Version <= old.Version:
		return old, true, nil
	case !known && !inNew:
		return old, false, nil // not mine to hold
	case !known && st.Creator != me:
		// Nobody pulls me into a group except an accepted contact.
		id, err := peer.Decode(st.Creator)
		if err != nil || !gs.d.Book.IsAccepted(id) {
			return old, false, nil
		}
	}
	g := contacts.Group{
		ID: st.ID, Name: st.Name, Creator: st.Creator, Version: st.Version,
		State: state, Signature: sig, CreatedAt: peerTime(st.CreatedAt),
		Members: make([]contacts.GroupMember, len(st.Members)),
	}
	for i, w := range st.Members {
		g.Members[i] = contacts.GroupMember{PeerID: w.PeerID, Name: w.Name, Addrs: w.Addrs}
	}
	if known {
		g.LeavePending = old.LeavePending
	}
	g.Left = !inNew || (known && old.Left && old.LeavePending)
	// Told: who has acknowledged which version. The creator also keeps
	// removed members until they have learned they were removed.
	g.Told = map[string]uint64{}
	for _, mem := range g.Members {
		if v, ok := old.Told[mem.PeerID]; ok {
			g.Told[mem.PeerID] = v
		}
	}
	var removed []contacts.GroupMember
	for _, mem := range old.Members {
		if !g.HasMember(mem.PeerID) {
			removed = append(removed, mem)
			if g.Creator == me && mem.PeerID != me {
				g.Told[mem.PeerID] = old.Told[mem.PeerID]
			}
		}
	}
	if g.HasMember(g.Creator) {
		g.Told[g.Creator] = g.Version // it signed this version: it holds it
	}
	if g.Creator == me {
		for p, v := range old.Told {
			if _, ok := g.Told[p]; !ok && v < old.Version {
				g.Told[p] = v // removed earlier and not told yet
			}
		}
	}
	if g.Left {
		// Removed, or leaving: nothing of mine goes to anyone any more.
		removed = old.Members
	}
	if err := gs.leftGroup(g, removed); err != nil {
		return old, false, err
	}
	gs.afterGroupChange(g)
	return g, true, nil
}

// afterGroupChange updates what depends on a stored group change and sends
// it on.
func (gs *Groups) afterGroupChange(g contacts.Group) {
	gs.rememberMembers(g)
	gs.refreshGroupPeers()
	gs.d.Publish(event.GroupsChanged{})
	gs.wakeGroups()
	if gs.cfg.Changed != nil {
		gs.d.Go(func() { gs.cfg.Changed(g.ID) }) // files into it: removed members count as finished
	}
}

// peerTime bounds a time a group state carries (base.PeerTime).
func peerTime(ms int64) time.Time {
	t, _ := base.PeerTime(ms, time.Now())
	return t
}
