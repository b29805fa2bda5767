// Package groups is group conversations. The creator signs every
// membership change; each member sends its own messages to every other
// member from a per-member outbox (store.AddGroupMessage), so the delivery
// guarantees are those of one-to-one chat: stored before acked, exactly
// once by message ID, in each sender's order, across restarts. See
// p2p/group for the protocol.
package groups

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
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
// so members who are not my contacts can be reached. My contacts' own
// addresses are known to me: a creator's word adds none to them.
func (gs *Groups) rememberMembers(g contacts.Group) {
	me := gs.d.Self.String()
	for _, mem := range g.Members {
		if mem.PeerID == me {
			continue
		}
		if id, err := peer.Decode(mem.PeerID); err == nil {
			if _, known := gs.d.Book.Get(id); !known {
				gs.d.Book.RememberAddrs(id, mem.Addrs[:min(len(mem.Addrs), wire.MaxGroupAddrs)])
			}
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
