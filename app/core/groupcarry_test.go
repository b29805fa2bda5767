package core

import (
	"bytes"
	"crypto/rand"
	"testing"

	"hearth/app/core/base"
	"hearth/contacts"
	"hearth/p2p/seal"
	"hearth/p2p/wire"
)

// owedTo lists the IDs of m's group messages still owed to member.
func owedTo(t *testing.T, m *Messenger, member string) []string {
	t.Helper()
	out, err := m.store.GroupOutbox(member, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range out {
		ids = append(ids, o.ID)
	}
	return ids
}

// countBody counts the messages of a group with body.
func countBody(t *testing.T, p *peerT, groupID, body string) int {
	t.Helper()
	n := 0
	for _, msg := range groupMsgs(t, p, groupID) {
		if msg.Body == body {
			n++
		}
	}
	return n
}

// groupTrio: A created a group of A, B and C; C carries and is a contact
// of both; B is offline. With abContacts false, A and B are not each
// other's contacts (C created the group then).
func groupTrio(t *testing.T, abContacts bool) (a, b, c *peerT, g contacts.Group) {
	a, b, c = newPeer(t, "A"), newPeer(t, "B"), newPeer(t, "C")
	pair(t, a, c)
	pair(t, b, c)
	creator, others := c, []string{a.m.MyPeerID(), b.m.MyPeerID()}
	if abContacts {
		pair(t, a, b)
		creator, others = a, []string{b.m.MyPeerID(), c.m.MyPeerID()}
	}
	if err := c.m.Carry.SetCarryMessages(true); err != nil {
		t.Fatal(err)
	}
	g, err := creator.m.Groups.CreateGroup("Carried", others)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "every member holds the group", func() bool {
		for _, p := range []*peerT{a, b, c} {
			if got, ok := groupOf(p, g.ID); !ok || len(got.Members) != 3 || got.Left {
				return false
			}
		}
		return true
	})
	bID := b.m.MyPeerID()
	b.stop(t)
	waitFor(t, "A and C see B offline", func() bool {
		bp := mustDecode(t, bID)
		return !a.m.d.Connected(bp) && !c.m.d.Connected(bp)
	})
	return a, b, c, g
}

// The brief's test: B is offline, A writes to the group and shuts down; B
// comes up and gets the message from C exactly once; A returns while B is
// away and finds its delivery to B settled by B's sealed ack.
func TestGroupMessageThroughCarrier(t *testing.T) {
	a, b, c, g := groupTrio(t, true)
	aID, bID, cID := a.m.MyPeerID(), b.id, c.m.MyPeerID()
	const secret = "the choir meets at the old mill on thursday"

	msg, err := a.m.Groups.SendGroup(g.ID, secret)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C got the message directly", func() bool { return countBody(t, c, g.ID, secret) == 1 })
	waitFor(t, "C holds an envelope for B", func() bool { return len(held(t, c.m, bID)) == 1 })
	if got := owedTo(t, a.m, bID); len(got) != 1 || got[0] != msg.ID {
		t.Fatalf("A owes B %q after the deposit; a deposit settles nothing", got)
	}
	// C stores before it acks: A settles C's delivery a moment later.
	waitFor(t, "A settled C's delivery", func() bool { return len(owedTo(t, a.m, cID)) == 0 })
	e := held(t, c.m, bID)[0]
	if e.Depositor != aID || bytes.Contains(e.Data, []byte("old mill")) {
		t.Fatalf("carrier holds %+v", e)
	}

	a.stop(t)
	b.restart(t)
	waitFor(t, "B got the message through C", func() bool { return countBody(t, b, g.ID, secret) == 1 })
	h := groupMsgs(t, b, g.ID)
	var got contacts.Message
	for _, m := range h {
		if m.ID == msg.ID {
			got = m
		}
	}
	if got.From != aID || got.Status != contacts.Received || got.Conversation != contacts.GroupConversation(g.ID) ||
		!got.SentAt.Equal(msg.SentAt) {
		t.Fatalf("B stored %+v", got)
	}
	waitFor(t, "C handed it over and holds B's sealed ack for A", func() bool {
		return len(held(t, c.m, bID)) == 0 && len(held(t, c.m, aID)) == 1
	})

	// A returns while B is away again: only C can tell it.
	b.stop(t)
	a.restart(t)
	waitFor(t, "A's delivery to B is settled", func() bool { return len(owedTo(t, a.m, bID)) == 0 })
	waitFor(t, "A's message is Delivered", func() bool {
		for _, m := range groupMsgs(t, a, g.ID) {
			if m.ID == msg.ID {
				return m.Status == contacts.Delivered
			}
		}
		return false
	})
	waitFor(t, "C deleted the ack", func() bool { return len(held(t, c.m, aID)) == 0 })

	// All meet: still exactly once everywhere.
	b.restart(t)
	waitFor(t, "A and B connected", func() bool { return a.m.d.Connected(mustDecode(t, bID)) })
	a.m.Groups.SendGroup(g.ID, "and bring the songbooks")
	waitFor(t, "B got the next message directly", func() bool { return countBody(t, b, g.ID, "and bring the songbooks") == 1 })
	for _, p := range []*peerT{b, c} {
		if n := countBody(t, p, g.ID, secret); n != 1 {
			t.Fatalf("%s holds the message %d times", p.m.MyName(), n)
		}
	}
}

// Members who are not each other's contacts reach each other through a
// carrier that is a contact of both (here the group's creator).
func TestGroupMessageThroughCarrierBetweenStrangers(t *testing.T) {
	a, b, c, g := groupTrio(t, false)
	bID := b.id
	if _, err := a.m.Groups.SendGroup(g.ID, "hello from a stranger"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds an envelope for B", func() bool { return len(held(t, c.m, bID)) == 1 })
	a.stop(t)
	b.restart(t)
	waitFor(t, "B got it through C", func() bool { return countBody(t, b, g.ID, "hello from a stranger") == 1 })
	// B stores before it hands C its sealed ack: stopping B in between
	// would leave the ack unsent until B's next visit.
	aID := a.id
	waitFor(t, "C handed it over and holds B's sealed ack for A", func() bool {
		return len(held(t, c.m, bID)) == 0 && len(held(t, c.m, aID)) == 1
	})
	b.stop(t)
	a.restart(t)
	waitFor(t, "A's delivery to B is settled", func() bool { return len(owedTo(t, a.m, bID)) == 0 })
}

// Sealed group messages get the checks of direct frames: an author who is
// not a member, or a group I am not in, is dropped and never acked; a
// duplicate is stored once and acked again.
func TestCarriedGroupMessageChecks(t *testing.T) {
	a, b, c, g := groupTrio(t, true)
	b.restart(t)
	bp := mustDecode(t, b.m.MyPeerID())
	d := newPeer(t, "D")
	pair(t, d, b)
	sealFrom := func(p *peerT, f wire.GroupFrame) wire.Envelope {
		t.Helper()
		e, err := seal.Seal(rand.Reader, p.m.prof.Key, bp, base.NewID(), p.m.Carry.Now().Add(p.m.Carry.Limits().MaxAge), wire.SealedGroup, f.Marshal())
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	frame := func(id, body string) wire.GroupFrame {
		return wire.GroupFrame{Kind: wire.GroupKindMessage, ID: id, GroupID: g.ID, Body: body, SentAt: 1}
	}
	other := g.ID[:len(g.ID)-1] + "x"
	envs := []wire.Envelope{
		sealFrom(d, frame("from-d", "not a member")), // D is B's contact, not in the group
		sealFrom(a, wire.GroupFrame{Kind: wire.GroupKindMessage, ID: "elsewhere", GroupID: other, Body: "no such group", SentAt: 1}),
		sealFrom(a, wire.GroupFrame{Kind: wire.GroupKindState, ID: "st", State: []byte{1}, Signature: []byte{2}}),
		sealFrom(a, frame("ok-1", "carried")),
		sealFrom(a, frame("ok-1", "carried")),
	}
	v, err := b.m.Carry.HandedOver(mustDecode(t, c.m.MyPeerID()), envs)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range v {
		if x.Status != wire.CarryOK {
			t.Fatalf("verdict %d: %+v", i, x)
		}
	}
	for _, r := range v[:3] {
		if r.Reason == "" {
			t.Fatalf("a bad envelope was not dropped: %+v", v)
		}
	}
	if n := countBody(t, b, g.ID, "carried"); n != 1 {
		t.Fatalf("stored %d times", n)
	}
	if countBody(t, b, g.ID, "not a member") != 0 || countBody(t, b, g.ID, "no such group") != 0 {
		t.Fatal("a refused message was stored")
	}
	if v[3].Reason != "" || v[4].Reason != "" {
		t.Fatalf("good envelopes dropped: %+v", v[3:])
	}
	taken, err := b.m.Groups.TakeCarried(mustDecode(t, d.m.MyPeerID()), [][]byte{frame("from-d2", "x").Marshal()})
	if err != nil || len(taken) != 1 || taken[0].OK || taken[0].Ack != "" {
		t.Fatalf("a non-member's frame taken: %v %v", taken, err)
	}
	taken, err = b.m.Groups.TakeCarried(mustDecode(t, a.m.MyPeerID()), [][]byte{frame("ok-1", "carried").Marshal()})
	if err != nil || len(taken) != 1 || !taken[0].OK || taken[0].Ack != "ok-1" {
		t.Fatalf("a duplicate is not acked again: %v %v", taken, err)
	}
}

// No carrier is connected when A writes; when C connects, A deposits what
// B is owed (B is A's contact with nothing pending one to one).
func TestGroupDepositWhenCarrierConnects(t *testing.T) {
	a, b, c, g := groupTrio(t, true)
	bID, cID := b.id, c.m.MyPeerID()
	c.stop(t)
	waitFor(t, "A sees C offline", func() bool { return !a.m.d.Connected(mustDecode(t, cID)) })
	msg, err := a.m.Groups.SendGroup(g.ID, "written while no carrier was around")
	if err != nil {
		t.Fatal(err)
	}
	if waiting, _ := a.m.Chat.HasUndelivered(bID); waiting {
		t.Fatal("a group message counts as a one-to-one message to B")
	}
	c.restart(t)
	waitFor(t, "C holds the envelope for B", func() bool { return len(held(t, c.m, bID)) == 1 })
	if got := owedTo(t, a.m, bID); len(got) != 1 || got[0] != msg.ID {
		t.Fatalf("A owes B %q", got)
	}
}

// A member removed while away gets nothing further through carriers.
func TestRemovedMemberGetsNothingThroughCarrier(t *testing.T) {
	a, b, c, g := groupTrio(t, true)
	bID := b.id
	bp := mustDecode(t, bID)
	if _, err := a.m.Groups.SendGroup(g.ID, "before"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the first for B", func() bool { return len(held(t, c.m, bID)) == 1 })
	if err := a.m.Groups.RemoveGroupMember(g.ID, bID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.m.Groups.SendGroup(g.ID, "after"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C got the second directly", func() bool { return countBody(t, c, g.ID, "after") == 1 })
	if got := owedTo(t, a.m, bID); len(got) != 0 {
		t.Fatalf("A still owes the removed B %q", got)
	}
	// A deposit run for B now (as the carry tick would do) carries nothing.
	a.m.Carry.DepositFor(bp)
	if n := len(held(t, c.m, bID)); n != 1 {
		t.Fatalf("C holds %d envelopes for the removed B", n)
	}
	b.restart(t)
	waitFor(t, "B learns it was removed", func() bool { g, ok := groupOf(b, g.ID); return ok && g.Left })
	if countBody(t, b, g.ID, "after") != 0 {
		t.Fatal("the removed member got a later message")
	}
}
