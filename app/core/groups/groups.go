// Package groups is group conversations. The creator signs every
// membership change; each member sends its own messages to every other
// member from a per-member outbox (store.AddGroupMessage), so the delivery
// guarantees are those of one-to-one chat: stored before acked, exactly
// once by message ID, in each sender's order, across restarts. See
// p2p/group for the protocol.
package groups

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/group"
	"hearth/p2p/wire"
)

// GroupView is a group as the conversation list shows it.
type GroupView struct {
	contacts.Group
	Unread int
	// Admin: I created the group, so I can rename it and change members.
	Admin bool
}

// Config connects groups to the mechanisms it tells.
type Config struct {
	// Deposit asks carriers to take what waits for member r, who is away.
	Deposit func(r peer.ID)
	// Changed runs (on a goroutine of its own) after a group's stored
	// state changed: files sent into it settle removed members.
	Changed func(groupID string)
}

// Groups owns the group protocol, the group cache and the group flushes.
//
// mu serialises every read-modify-write of a group (state changes, Told
// updates, sending), so no stale copy overwrites a newer one; cmu guards
// the cache (take mu first when both are needed). peers is replaced
// whole, never changed in place.
type Groups struct {
	d       *base.Deps
	cfg     Config
	svc     *group.Service
	flushes base.PerPeer  // one group flush per peer at a time
	kick    chan struct{} // wakes groupLoop
	// peers: who may open a group stream to me besides accepted contacts
	// (members of my groups, creators of groups I was in).
	peers atomic.Pointer[map[peer.ID]bool]

	mu       sync.Mutex
	lastSent map[string]time.Time // my last SentAt per group

	cmu   sync.RWMutex
	cache map[string]contacts.Group // every group as stored, so delivery never reads them from disk
}

// loadGroups fills the cache from the store.
func (gs *Groups) loadGroups() {
	gs.cache = map[string]contacts.Group{}
	all, _ := gs.d.Store.Groups()
	for _, g := range all {
		gs.cache[g.ID] = g
	}
}

// Get returns a group from the cache; its Told map is the caller's.
func (gs *Groups) Get(id string) (contacts.Group, bool) {
	gs.cmu.RLock()
	defer gs.cmu.RUnlock()
	g, ok := gs.cache[id]
	g.Told = maps.Clone(g.Told)
	return g, ok
}

// All lists the cached groups by name, then ID.
func (gs *Groups) All() []contacts.Group {
	gs.cmu.RLock()
	out := make([]contacts.Group, 0, len(gs.cache))
	for _, g := range gs.cache {
		g.Told = maps.Clone(g.Told)
		out = append(out, g)
	}
	gs.cmu.RUnlock()
	slices.SortFunc(out, func(a, b contacts.Group) int {
		if c := cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// putGroup writes a group through to the store and the cache.
func (gs *Groups) putGroup(g contacts.Group) error {
	if err := gs.d.Store.PutGroup(g); err != nil {
		return fmt.Errorf("saving group: %w", err)
	}
	g.Told = maps.Clone(g.Told)
	gs.cmu.Lock()
	gs.cache[g.ID] = g
	gs.cmu.Unlock()
	return nil
}

// New loads the groups; Start then puts them on the network.
func New(d *base.Deps) *Groups {
	gs := &Groups{d: d, kick: make(chan struct{}, 1), lastSent: map[string]time.Time{}}
	gs.loadGroups()
	gs.refreshGroupPeers()
	for _, g := range gs.All() {
		gs.rememberMembers(g)
	}
	return gs
}

// Start registers the group protocol and starts the loop that dials
// members owed anything. cfg connects groups to the mechanisms built after
// them.
func (gs *Groups) Start(cfg Config) {
	gs.cfg = cfg
	d := gs.d
	gs.svc = group.New(d.Host, group.Config{Allow: gs.AllowPeer, Deliver: gs.deliverGroup})
	d.Host.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) { gs.requestGroupFlush(c.RemotePeer()) },
	})
	d.Go(gs.groupLoop)
}

// Close closes the group protocol.
func (gs *Groups) Close() { gs.svc.Close() }

// AllowPeer reports whether id may exchange group traffic with me: an
// accepted contact, a member of a group I am in, or the creator of one I
// was in.
func (gs *Groups) AllowPeer(id peer.ID) bool {
	if gs.d.Book.IsAccepted(id) {
		return true
	}
	p := gs.peers.Load()
	return p != nil && (*p)[id]
}

// refreshGroupPeers rebuilds the set allowGroupPeer reads.
func (gs *Groups) refreshGroupPeers() {
	set := map[peer.ID]bool{}
	for _, g := range gs.All() {
		if id, err := peer.Decode(g.Creator); err == nil {
			set[id] = true
		}
		if g.Left {
			continue
		}
		for _, mem := range g.Members {
			if id, err := peer.Decode(mem.PeerID); err == nil {
				set[id] = true
			}
		}
	}
	gs.peers.Store(&set)
}

// rememberMembers puts the addresses the creator listed into the peerstore,
// so members who are not my contacts can be reached.
func (gs *Groups) rememberMembers(g contacts.Group) {
	me := gs.d.Self.String()
	for _, mem := range g.Members {
		if mem.PeerID == me {
			continue
		}
		if id, err := peer.Decode(mem.PeerID); err == nil {
			gs.d.Book.RememberAddrs(id, mem.Addrs)
		}
	}
}

// Groups lists my groups (also those I left), by name.
func (gs *Groups) Groups() ([]GroupView, error) {
	all := gs.All()
	me := gs.d.Self.String()
	out := make([]GroupView, 0, len(all))
	for _, g := range all {
		n, err := gs.d.Store.Unread(contacts.GroupConversation(g.ID))
		if err != nil {
			return nil, err
		}
		out = append(out, GroupView{Group: g, Unread: n, Admin: g.Creator == me})
	}
	return out, nil
}

// Group returns one group.
func (gs *Groups) Group(groupID string) (contacts.Group, error) {
	g, ok := gs.Get(groupID)
	if !ok {
		return g, ErrUnknownGroup
	}
	return g, nil
}

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
		State: state, Signature: sig, CreatedAt: time.UnixMilli(st.CreatedAt),
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

// SendGroup stores a message to a group and delivers it to every member,
// now to those online and later to the others. The returned message is
// Pending until every member has acknowledged it.
func (gs *Groups) SendGroup(groupID, text string) (contacts.Message, error) {
	text, err := base.CheckText(text)
	if err != nil {
		return contacts.Message{}, err
	}
	gs.mu.Lock()
	g, err := gs.Group(groupID)
	if err != nil {
		gs.mu.Unlock()
		return contacts.Message{}, err
	}
	if g.Left {
		gs.mu.Unlock()
		return contacts.Message{}, ErrLeftGroup
	}
	me := gs.d.Self.String()
	// My messages' times only go forward, so the display order (by
	// time, then author) keeps my order even if my clock steps back.
	// Whole milliseconds, as the wire carries them: every member sorts
	// by the same times.
	now := time.UnixMilli(time.Now().UnixMilli())
	if last := gs.lastSent[groupID]; !now.After(last) {
		now = last.Add(time.Millisecond)
	}
	gs.lastSent[groupID] = now
	var to []string
	for _, mem := range g.Members {
		if mem.PeerID != me {
			to = append(to, mem.PeerID)
		}
	}
	msg := contacts.Message{
		ID: base.NewID(), Conversation: contacts.GroupConversation(groupID), From: me, Body: text,
		SentAt: now, ReceivedAt: now, Status: contacts.Pending, Outgoing: true, Read: true,
	}
	if len(to) == 0 {
		msg.Status = contacts.Delivered
	}
	_, err = gs.d.Store.AddGroupMessage(msg, to)
	gs.mu.Unlock()
	if err != nil {
		return contacts.Message{}, fmt.Errorf("saving message: %w", err)
	}
	gs.d.Publish(event.MessageAdded{Message: msg})
	offline := false
	for _, p := range to {
		if id, err := peer.Decode(p); err == nil && gs.d.Connected(id) {
			gs.requestGroupFlush(id)
		} else {
			offline = true
			if err == nil {
				gs.cfg.Deposit(id) // through carriers while away (groupcarry.go)
			}
		}
	}
	if offline {
		gs.wakeGroups() // dial the others now rather than at the next retry
	}
	return msg, nil
}

// GroupHistory returns the last limit messages of a group in display
// order: by the author's time, then author, then message ID, which is the
// same on every member's screen.
func (gs *Groups) GroupHistory(groupID string, limit int) ([]contacts.Message, error) {
	ms, err := gs.d.Store.Messages(contacts.GroupConversation(groupID), limit)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(ms, compareDisplay)
	return ms, nil
}

func compareDisplay(a, b contacts.Message) int {
	if c := a.SentAt.Compare(b.SentAt); c != 0 {
		return c
	}
	if c := cmp.Compare(a.From, b.From); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// ---- delivery ----

func (gs *Groups) wakeGroups() {
	select {
	case gs.kick <- struct{}{}:
	default:
	}
}

// Targets lists the peers owed anything: messages, a state, a leave.
func (gs *Groups) Targets() map[string]bool {
	out := map[string]bool{}
	owed, _ := gs.d.Store.GroupDeliveryPeers()
	for _, p := range owed {
		out[p] = true
	}
	me := gs.d.Self.String()
	for _, g := range gs.All() {
		for p := range gs.stateTargets(g, me) {
			out[p] = true
		}
		if g.Left && g.LeavePending {
			out[g.Creator] = true
		}
	}
	return out
}

// stateTargets are the peers that should get g's current state from me:
// members who have not acknowledged it, and, for its creator, removed
// members who have not learned it yet.
func (gs *Groups) stateTargets(g contacts.Group, me string) map[string]bool {
	out := map[string]bool{}
	if g.Creator == me {
		for p, v := range g.Told {
			if v < g.Version && p != me {
				out[p] = true
			}
		}
	}
	if g.Left && g.Creator != me {
		return out
	}
	for _, mem := range g.Members {
		if mem.PeerID != me && g.Told[mem.PeerID] < g.Version {
			out[mem.PeerID] = true
		}
	}
	return out
}

// groupLoop dials the peers owed group traffic and flushes to them, every
// RetryInterval or when woken.
func (gs *Groups) groupLoop() {
	t := time.NewTicker(gs.d.RetryInterval)
	defer t.Stop()
	for {
		var wg sync.WaitGroup
		for p := range gs.Targets() {
			id, err := peer.Decode(p)
			if err != nil {
				continue
			}
			if gs.d.Connected(id) {
				gs.requestGroupFlush(id)
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(gs.d.Ctx(), 5*time.Second)
				defer cancel()
				// A successful dial fires the connect notification, which
				// flushes.
				gs.d.Host.Connect(ctx, peer.AddrInfo{ID: id})
			}()
		}
		wg.Wait()
		select {
		case <-gs.d.Ctx().Done():
			return
		case <-t.C:
		case <-gs.kick:
		}
	}
}

// requestGroupFlush flushes what is owed to one peer in the background;
// a burst of requests queues one flush.
func (gs *Groups) requestGroupFlush(id peer.ID) {
	if id == gs.d.Self {
		return
	}
	gs.flushes.Request(gs.d.Tasks, id, func() { gs.groupFlushNow(id) })
}

// groupFlush sends one peer the states, leaves and messages it is owed, in
// that order, and records what it answered. One flush per peer runs at a
// time, so each sender's messages leave in order.
func (gs *Groups) groupFlushNow(id peer.ID) {
	p, me := id.String(), gs.d.Self.String()
	for gs.d.Ctx().Err() == nil {
		var frames []wire.GroupFrame
		states := map[string]uint64{} // frame ID → version
		for _, g := range gs.All() {
			if gs.stateTargets(g, me)[p] {
				fid := fmt.Sprintf("state-%s-%d", g.ID, g.Version)
				states[fid] = g.Version
				frames = append(frames, wire.GroupFrame{Kind: wire.GroupKindState, ID: fid, State: g.State, Signature: g.Signature})
			}
			if g.Left && g.LeavePending && g.Creator == p {
				frames = append(frames, wire.GroupFrame{Kind: wire.GroupKindLeave, ID: "leave-" + g.ID, GroupID: g.ID})
			}
		}
		out, err := gs.d.Store.GroupOutbox(p, 256)
		if err != nil {
			return
		}
		for _, o := range out {
			frames = append(frames, groupMessageFrame(o))
		}
		if len(frames) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(gs.d.Ctx(), 30*time.Second)
		res, err := gs.svc.Send(ctx, id, frames)
		cancel()
		var answered []string
		for i, r := range res {
			fr := frames[i]
			switch fr.Kind {
			case wire.GroupKindState:
				gs.markTold(fr.State, p, states[fr.ID])
			case wire.GroupKindLeave:
				gs.markLeaveSent(fr.GroupID)
			case wire.GroupKindMessage:
				answered = append(answered, r.ID)
			}
		}
		if len(answered) > 0 {
			done, derr := gs.d.Store.DoneGroupDeliveries(p, answered)
			if derr != nil {
				return
			}
			for _, mid := range done {
				for _, o := range out {
					if o.ID == mid {
						gs.d.Publish(event.MessageStatusChanged{ID: mid, Conversation: o.Conversation, Status: contacts.Delivered})
					}
				}
			}
		}
		if err != nil || len(res) < len(frames) {
			return // the rest waits for the next connection or retry
		}
	}
}

// markTold records that peer p holds version v of the group whose state
// this is.
func (gs *Groups) markTold(state []byte, p string, v uint64) {
	var st wire.GroupState
	if st.Unmarshal(state) != nil {
		return
	}
	gs.mu.Lock()
	defer gs.mu.Unlock()
	g, ok := gs.Get(st.ID)
	if !ok || g.Told[p] >= v {
		return
	}
	if g.Told == nil {
		g.Told = map[string]uint64{}
	}
	g.Told[p] = v
	if !g.HasMember(p) && v >= g.Version {
		delete(g.Told, p) // a removed member who now knows: done with them
	}
	gs.putGroup(g)
}

func (gs *Groups) markLeaveSent(groupID string) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	g, ok := gs.Get(groupID)
	if !ok || !g.LeavePending {
		return
	}
	g.LeavePending = false
	gs.putGroup(g)
}

// deliverGroup applies and stores the frames that came together from one
// peer; the protocol acknowledges them after it returns. Messages are
// taken only from members of a group I am in; everything is refused for
// good otherwise.
func (gs *Groups) deliverGroup(from peer.ID, fs []wire.GroupFrame) ([]bool, error) {
	taken := make([]bool, len(fs))
	sender := from.String()
	now := time.Now()
	var msgs []contacts.Message
	var at []int
	changed := false
	for i, f := range fs {
		switch f.Kind {
		case wire.GroupKindState:
			st, err := group.Verify(f.State, f.Signature)
			if err != nil {
				continue // forged or damaged: refused
			}
			gs.mu.Lock()
			_, ok, err := gs.applyState(st, f.State, f.Signature)
			gs.mu.Unlock()
			if err != nil {
				return nil, err
			}
			taken[i] = ok
			if ok {
				gs.markTold(f.State, sender, st.Version) // the sender holds it
			}
		case wire.GroupKindMessage:
			g, ok := gs.Get(f.GroupID)
			if !ok || g.Left || !g.HasMember(sender) || sender == gs.d.Self.String() {
				continue
			}
			msgs = append(msgs, contacts.Message{
				ID: f.ID, Conversation: contacts.GroupConversation(g.ID), From: sender, Body: f.Body,
				SentAt: time.UnixMilli(f.SentAt), ReceivedAt: now, Status: contacts.Received,
			})
			at = append(at, i)
		case wire.GroupKindLeave:
			ok, err := gs.memberLeft(f.GroupID, sender)
			if err != nil {
				return nil, err
			}
			taken[i] = ok
		}
	}
	if len(msgs) > 0 {
		inserted, err := gs.d.Store.AddMessages(msgs)
		if err != nil {
			return nil, err
		}
		for k, ok := range inserted {
			taken[at[k]] = true
			if ok {
				gs.d.Publish(event.MessageAdded{Message: msgs[k]})
				changed = true
			}
		}
	}
	if changed {
		gs.d.Publish(event.GroupsChanged{})
	}
	return taken, nil
}

// memberLeft handles a member's leave of a group I created: the next
// version is without them.
func (gs *Groups) memberLeft(groupID, member string) (bool, error) {
	g, ok := gs.Get(groupID)
	if !ok || g.Creator != gs.d.Self.String() || g.Left {
		return false, nil
	}
	if !g.HasMember(member) {
		return true, nil // already out
	}
	_, err := gs.changeGroup(groupID, func(_ *string, members *[]contacts.GroupMember) error {
		*members = slices.DeleteFunc(*members, func(g contacts.GroupMember) bool { return g.PeerID == member })
		return nil
	})
	if err != nil {
		return false, err
	}
	return true, nil
}
