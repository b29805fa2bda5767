package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/app/core/chat"
	"hearth/app/core/groups"
	"hearth/contacts"
	"hearth/p2p/group"
	"hearth/p2p/wire"
)

// groupOf returns p's copy of a group, or false.
func groupOf(p *peerT, id string) (contacts.Group, bool) {
	g, err := p.m.Groups.Group(id)
	return g, err == nil
}

// groupBodies returns p's group history as "author-name: body" lines, in
// display order, and the message IDs.
func groupMsgs(t *testing.T, p *peerT, id string) []contacts.Message {
	t.Helper()
	h, err := p.m.Groups.GroupHistory(id, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// newPeers starts n profiles; the first is paired with every other one
// (the others are not each other's contacts).
func newHub(t *testing.T, n int) []*peerT {
	t.Helper()
	ps := make([]*peerT, n)
	var wg sync.WaitGroup
	for i := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps[i] = newPeer(t, fmt.Sprintf("P%d", i))
		}()
	}
	wg.Wait()
	for _, p := range ps[1:] {
		pair(t, ps[0], p)
	}
	return ps
}

func TestGroupTenMembersCatchUpExactlyOnce(t *testing.T) {
	ps := newHub(t, 10)
	alice := ps[0]
	var ids []string
	for _, p := range ps[1:] {
		ids = append(ids, p.m.MyPeerID())
	}
	g, err := alice.m.Groups.CreateGroup("Ten of us", ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Members) != 10 || g.Version != 1 {
		t.Fatalf("created %+v", g)
	}
	waitFor(t, "every member holds the group", func() bool {
		for _, p := range ps {
			if got, ok := groupOf(p, g.ID); !ok || len(got.Members) != 10 || got.Left {
				return false
			}
		}
		return true
	})

	// Two members go offline; three senders (the creator and two members
	// who are not each other's contacts) write five messages each.
	off := ps[8:]
	for _, p := range off {
		p.stop(t)
	}
	senders := []*peerT{alice, ps[1], ps[2]}
	want := map[string][]string{} // author → bodies in sending order
	for i := range 5 {
		for _, s := range senders {
			body := fmt.Sprintf("%s says %d", s.m.MyName(), i)
			if _, err := s.m.Groups.SendGroup(g.ID, body); err != nil {
				t.Fatal(err)
			}
			want[s.m.MyPeerID()] = append(want[s.m.MyPeerID()], body)
		}
	}
	// The creator restarts before the offline ones come back: its outbox
	// to them must survive.
	alice.stop(t)
	for _, p := range off {
		p.restart(t)
	}
	alice.restart(t)

	const total = 15
	waitFor(t, "every member has every message", func() bool {
		for _, p := range ps {
			if len(groupMsgs(t, p, g.ID)) < total {
				return false
			}
		}
		return true
	})
	waitFor(t, "every sender sees its messages delivered", func() bool {
		for _, s := range senders {
			for _, m := range groupMsgs(t, s, g.ID) {
				if m.Outgoing && m.Status != contacts.Delivered {
					return false
				}
			}
		}
		return true
	})
	time.Sleep(500 * time.Millisecond) // a duplicate would have arrived by now
	var reference []string
	for i, p := range ps {
		ms := groupMsgs(t, p, g.ID)
		if len(ms) != total {
			t.Fatalf("member %d has %d messages, want %d", i, len(ms), total)
		}
		seen := map[string]bool{}
		got := map[string][]string{}
		var order []string
		for _, m := range ms {
			if seen[m.ID] {
				t.Fatalf("member %d has %s twice", i, m.ID)
			}
			seen[m.ID] = true
			got[m.From] = append(got[m.From], m.Body)
			order = append(order, m.ID)
		}
		for author, bodies := range want {
			if !slices.Equal(got[author], bodies) {
				t.Fatalf("member %d: messages of %s in order %q, want %q", i, author, got[author], bodies)
			}
		}
		// The display order is the same on every screen.
		if reference == nil {
			reference = order
		} else if !slices.Equal(order, reference) {
			t.Fatalf("member %d shows another order", i)
		}
	}
	// Stored order (arrival) also keeps each sender's order.
	for i, p := range ps {
		h, _ := p.m.Chat.History(contacts.GroupConversation(g.ID), 0)
		got := map[string][]string{}
		for _, m := range h {
			got[m.From] = append(got[m.From], m.Body)
		}
		for author, bodies := range want {
			if !slices.Equal(got[author], bodies) {
				t.Fatalf("member %d stored %s's messages as %q", i, author, got[author])
			}
		}
	}

	// The creator removes a member: it learns it, gets nothing further,
	// and what it still sends to the group is refused.
	gone := ps[7]
	if err := alice.m.Groups.RemoveGroupMember(g.ID, gone.m.MyPeerID()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the removed member knows", func() bool {
		got, ok := groupOf(gone, g.ID)
		return ok && got.Left
	})
	waitFor(t, "the others know", func() bool {
		for _, p := range ps {
			if p == gone {
				continue
			}
			if got, _ := groupOf(p, g.ID); got.Version != 2 || len(got.Members) != 9 {
				return false
			}
		}
		return true
	})
	if _, err := gone.m.Groups.SendGroup(g.ID, "still here?"); !errors.Is(err, groups.ErrLeftGroup) {
		t.Fatalf("removed member sends: %v", err)
	}
	if _, err := ps[1].m.Groups.SendGroup(g.ID, "after the removal"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the others got the message after the removal", func() bool {
		for _, p := range ps {
			if p != gone && len(groupMsgs(t, p, g.ID)) != total+1 {
				return false
			}
		}
		return true
	})
	time.Sleep(300 * time.Millisecond)
	if n := len(groupMsgs(t, gone, g.ID)); n != total {
		t.Fatalf("removed member has %d messages, want %d", n, total)
	}
	if targets := ps[1].m.Groups.Targets(); targets[gone.m.MyPeerID()] {
		t.Fatal("a member still owes the removed member something")
	}
	// The removed member's node, bypassing its own refusal, sends a
	// message to a member: refused for good.
	to, _ := peer.Decode(ps[2].m.MyPeerID())
	res, err := groupClient(gone.m).Send(context.Background(), to, []wire.GroupFrame{{
		Kind: wire.GroupKindMessage, ID: "sneaky", GroupID: g.ID, Body: "let me back in", SentAt: time.Now().UnixMilli(),
	}})
	if err == nil && (len(res) != 1 || !res[0].Refused) {
		t.Fatalf("removed member's message: %+v", res)
	}
	if slices.ContainsFunc(groupMsgs(t, ps[2], g.ID), func(m contacts.Message) bool { return m.ID == "sneaky" }) {
		t.Fatal("a removed member's message was stored")
	}
}

func TestGroupForgedChangeRefused(t *testing.T) {
	ps := newHub(t, 3)
	alice, bob, cleo := ps[0], ps[1], ps[2]
	g, err := alice.m.Groups.CreateGroup("Three", []string{bob.m.MyPeerID(), cleo.m.MyPeerID()})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cleo holds the group", func() bool { _, ok := groupOf(cleo, g.ID); return ok })
	waitFor(t, "bob holds the group", func() bool { _, ok := groupOf(bob, g.ID); return ok })

	// Bob, a member but not the creator, cannot change the group.
	if err := bob.m.Groups.RenameGroup(g.ID, "Bob's now"); !errors.Is(err, groups.ErrNotGroupAdmin) {
		t.Fatalf("rename by member: %v", err)
	}
	if err := bob.m.Groups.RemoveGroupMember(g.ID, cleo.m.MyPeerID()); !errors.Is(err, groups.ErrNotGroupAdmin) {
		t.Fatalf("remove by member: %v", err)
	}
	// Bob forges version 2 without Cleo, signed with his own key, in the
	// creator's name; and a state under the same ID naming himself
	// creator. Cleo refuses both and keeps version 1.
	cur, err := group.Verify(g.State, g.Signature)
	if err != nil {
		t.Fatal(err)
	}
	forged := cur
	forged.Version = 2
	forged.Name = "Forged"
	forged.Members = forged.Members[:2]
	fstate := forged.Marshal()
	fsig, _ := bob.m.prof.Key.Sign(append([]byte("hearth group state v1\x00"), fstate...))
	mine := cur
	mine.Creator = bob.m.MyPeerID()
	mine.Version = 5
	mstate := mine.Marshal()
	msig, _ := bob.m.prof.Key.Sign(append([]byte("hearth group state v1\x00"), mstate...))
	to, _ := peer.Decode(cleo.m.MyPeerID())
	res, err := groupClient(bob.m).Send(context.Background(), to, []wire.GroupFrame{
		{Kind: wire.GroupKindState, ID: "f1", State: fstate, Signature: fsig},
		{Kind: wire.GroupKindState, ID: "f2", State: mstate, Signature: msig},
		{Kind: wire.GroupKindState, ID: "f3", State: fstate, Signature: g.Signature},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.Refused {
			t.Fatalf("forged state %s taken", r.ID)
		}
	}
	if got, _ := groupOf(cleo, g.ID); got.Version != 1 || got.Name != "Three" || len(got.Members) != 3 {
		t.Fatalf("cleo's group after forgeries: %+v", got)
	}

	// A genuine change by the creator is applied; a replay of version 1
	// afterwards changes nothing.
	if err := alice.m.Groups.RenameGroup(g.ID, "Three friends"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "rename reaches cleo", func() bool { got, _ := groupOf(cleo, g.ID); return got.Name == "Three friends" })
	res, err = groupClient(bob.m).Send(context.Background(), to, []wire.GroupFrame{
		{Kind: wire.GroupKindState, ID: "old", State: g.State, Signature: g.Signature},
	})
	if err != nil || len(res) != 1 {
		t.Fatalf("replay: %v %v", res, err)
	}
	if got, _ := groupOf(cleo, g.ID); got.Version != 2 || got.Name != "Three friends" {
		t.Fatalf("replay rolled back: %+v", got)
	}
}

func TestGroupLeaveAndLimits(t *testing.T) {
	ps := newHub(t, 3)
	alice, bob, cleo := ps[0], ps[1], ps[2]
	bID, cID := bob.m.MyPeerID(), cleo.m.MyPeerID()

	// Only accepted contacts, at most 50 members, a bounded name.
	if _, err := bob.m.Groups.CreateGroup("x", []string{cID}); !errors.Is(err, book.ErrNotContact) {
		t.Fatalf("group with a stranger: %v", err)
	}
	many := []string{bID}
	for i := range contacts.MaxGroupMembers {
		many = append(many, fmt.Sprintf("peer-%d", i))
	}
	if _, err := alice.m.Groups.CreateGroup("big", many); !errors.Is(err, groups.ErrGroupFull) {
		t.Fatalf("51 members: %v", err)
	}
	if _, err := alice.m.Groups.CreateGroup(string(make([]byte, wire.MaxNameLen+1)), []string{bID}); !errors.Is(err, groups.ErrGroupNameTooLong) {
		t.Fatalf("long name: %v", err)
	}

	g, err := alice.m.Groups.CreateGroup("Trio", []string{bID, cID})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "all hold the group", func() bool {
		_, b := groupOf(bob, g.ID)
		_, c := groupOf(cleo, g.ID)
		return b && c
	})
	// Bob and Cleo are not contacts, yet chat within the group.
	if _, err := bob.m.Groups.SendGroup(g.ID, "hi cleo"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cleo has bob's message", func() bool { return len(groupMsgs(t, cleo, g.ID)) == 1 })
	if m := groupMsgs(t, cleo, g.ID)[0]; m.From != bID || m.Body != "hi cleo" {
		t.Fatalf("cleo got %+v", m)
	}
	// Cleo leaves: the creator drops her, Bob learns it.
	if err := cleo.m.Groups.LeaveGroup(g.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob sees cleo gone", func() bool {
		got, _ := groupOf(bob, g.ID)
		return got.Version == 2 && !got.HasMember(cID)
	})
	if got, _ := groupOf(cleo, g.ID); !got.Left {
		t.Fatal("cleo's group not left")
	}
	// Send to several: one message per contact.
	ms, err := alice.m.Chat.SendToSeveral([]string{bID, cID, bID}, "party at 8")
	if err != nil || len(ms) != 2 {
		t.Fatalf("send to several: %v %v", ms, err)
	}
	waitFor(t, "both got it", func() bool {
		return slices.Contains(bodies(t, bob.m, alice.m.MyPeerID()), "party at 8") &&
			slices.Contains(bodies(t, cleo.m, alice.m.MyPeerID()), "party at 8")
	})
	if _, err := bob.m.Chat.SendToSeveral([]string{cID}, "hello stranger"); !errors.Is(err, book.ErrNotContact) {
		t.Fatalf("send to several with a stranger: %v", err)
	}
	if _, err := bob.m.Chat.SendToSeveral(nil, "to nobody"); !errors.Is(err, chat.ErrNoRecipients) {
		t.Fatalf("send to nobody: %v", err)
	}
}

// groupClient is a group protocol client on m's host that sends what a
// test makes up (it takes m's handler over).
func groupClient(m *Messenger) *group.Service {
	return group.New(m.node.Host, group.Config{Allow: func(peer.ID) bool { return false },
		Deliver: func(_ peer.ID, fs []wire.GroupFrame) ([]bool, error) { return make([]bool, len(fs)), nil }})
}
