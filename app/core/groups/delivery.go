package groups

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/group"
	"hearth/p2p/wire"
)

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
		var away, unknown []peer.ID
		for p := range gs.Targets() {
			id, err := peer.Decode(p)
			if err != nil {
				continue
			}
			if gs.d.Connected(id) {
				if gs.d.Dials != nil {
					gs.d.Dials.Connected(id)
				}
				gs.requestGroupFlush(id)
				continue
			}
			if gs.d.Book.IsAccepted(id) {
				away = append(away, id)
			} else {
				unknown = append(unknown, id)
			}
		}
		// Members I do not know were named by a creator, at addresses it
		// chose: a few of them a round, each with a backoff (base.Dials).
		if gs.d.Dials != nil {
			away = append(away, gs.d.Dials.Pick(unknown)...)
		}
		// A successful dial fires the connect notification, which flushes.
		gs.d.DialAll(away)
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
	var cost int64
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
			if base.BlankText(f.Body) {
				taken[i] = true // nothing to show: acknowledged, not stored
				continue
			}
			sent, _ := base.PeerTime(f.SentAt, now) // out of bounds: now
			msgs = append(msgs, contacts.Message{
				ID: f.ID, Conversation: contacts.GroupConversation(g.ID), From: sender, Body: f.Body,
				SentAt: sent, ReceivedAt: now, Status: contacts.Received,
			})
			cost += int64(len(f.Body)) + base.PerMessageCost
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
		// Over the sender's quota, or a store that fails: the stream is
		// refused and the sender keeps the messages for later.
		if err := gs.d.TakeInbound(from, cost); err != nil {
			return nil, err
		}
		inserted, err := gs.d.Store.AddMessages(msgs)
		if err != nil {
			gs.d.StorageFailed(from, err)
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
