package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/chat"
	"hearth/app/core/event"
	"hearth/contacts"
	pconvo "hearth/p2p/convo"
	"hearth/p2p/wire"
)

// message returns one message as m stores it, or fails.
func message(t *testing.T, m *Messenger, id string) contacts.Message {
	t.Helper()
	msg, err := m.Chat.Message(id)
	if err != nil {
		t.Fatalf("message %s: %v", id, err)
	}
	return msg
}

func msgStatus(m *Messenger, id string) contacts.Status {
	msg, err := m.Chat.Message(id)
	if err != nil {
		return -1
	}
	return msg.Status
}

// sendDelivered sends text from a to b and waits until b has it and a
// knows.
func sendDelivered(t *testing.T, a, b *peerT, text string) contacts.Message {
	t.Helper()
	msg, err := a.m.Chat.Send(b.m.MyPeerID(), text)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "delivered: "+text, func() bool { return msgStatus(a.m, msg.ID) == contacts.Delivered })
	return msg
}

func TestReadReceiptArrives(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	m1 := sendDelivered(t, alice, bob, "one")
	m2 := sendDelivered(t, alice, bob, "two")
	if err := bob.m.Chat.MarkRead(aID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both read", func() bool {
		return msgStatus(alice.m, m1.ID) == contacts.Read && msgStatus(alice.m, m2.ID) == contacts.Read
	})
	waitFor(t, "a Read event", func() bool {
		_, ok := alice.log.find(func(e event.Event) bool {
			s, ok := e.(event.MessageStatusChanged)
			return ok && s.ID == m2.ID && s.Status == contacts.Read
		})
		return ok
	})
}

func TestReadReceiptsOffSendsNone(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	if err := bob.m.Chat.SetReadReceipts(false); err != nil {
		t.Fatal(err)
	}
	m1 := sendDelivered(t, alice, bob, "are you there?")
	if err := bob.m.Chat.MarkRead(aID); err != nil {
		t.Fatal(err)
	}
	// A flush run here returns only after Alice took whatever it sent.
	bob.m.Chat.FlushUpdates(alice.m.node.Host.ID())
	if s := msgStatus(alice.m, m1.ID); s != contacts.Delivered {
		t.Fatalf("with receipts off Alice sees %v", s)
	}
	if r, _ := bob.m.store.PendingReadReceipt(aID); r != "" {
		t.Fatalf("a receipt was queued: %q", r)
	}
	// The setting survives a restart.
	bob.stop(t)
	bob.restart(t)
	if bob.m.Chat.ReadReceipts() {
		t.Fatal("read receipts back on after a restart")
	}
	if err := bob.m.Chat.SetReadReceipts(true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "reconnected", func() bool { return presenceOf(alice.m, bob.m.MyPeerID()) == contacts.Online })
	m2 := sendDelivered(t, alice, bob, "now?")
	if err := bob.m.Chat.MarkRead(aID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "read once turned on", func() bool { return msgStatus(alice.m, m2.ID) == contacts.Read })
}

func TestEditAndDeleteReachPeer(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	m1 := sendDelivered(t, alice, bob, "see you at 5")
	m2 := sendDelivered(t, alice, bob, "the door code is 4711 zebra")

	edited, err := alice.m.Chat.Edit(m1.ID, "see you at 6")
	if err != nil {
		t.Fatal(err)
	}
	if edited.Body != "see you at 6" || edited.Edited.IsZero() {
		t.Fatalf("edited = %+v", edited)
	}
	if err := alice.m.Chat.Delete(m2.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "edit on Bob's side", func() bool { return message(t, bob.m, m1.ID).Body == "see you at 6" })
	if got := message(t, bob.m, m1.ID); !got.Edited.Equal(edited.Edited) {
		t.Fatalf("Bob's copy edited at %v, want %v", got.Edited, edited.Edited)
	}
	waitFor(t, "delete on Bob's side", func() bool { return message(t, bob.m, m2.ID).Deleted })
	checkDeleted(t, bob.m, m2.ID, "4711")
	checkDeleted(t, alice.m, m2.ID, "4711")
	waitFor(t, "a event.MessageChanged event", func() bool {
		_, ok := bob.log.find(func(e event.Event) bool {
			c, ok := e.(event.MessageChanged)
			return ok && c.Message.ID == m2.ID && c.Message.Deleted
		})
		return ok
	})
	// A deleted message stays deleted.
	if _, err := alice.m.Chat.Edit(m2.ID, "undo"); !errors.Is(err, chat.ErrMessageDeleted) {
		t.Fatalf("edit after delete: %v", err)
	}
}

// checkDeleted: the row is kept (with an empty body) and search no longer
// finds its words.
func checkDeleted(t *testing.T, m *Messenger, id, word string) {
	t.Helper()
	got := message(t, m, id)
	if got.Body != "" || !got.Deleted {
		t.Fatalf("deleted message stored as %+v", got)
	}
	found, err := m.Chat.Search(word, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		if f.ID == id {
			t.Fatalf("search for %q still finds the deleted message", word)
		}
	}
}

func TestChangesWhilePeerOfflineArriveAfterRestarts(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	m1 := sendDelivered(t, alice, bob, "meet at the station")
	m2 := sendDelivered(t, alice, bob, "bring the tickets zebra")
	b1 := sendDelivered(t, bob, alice, "ok!")

	bob.stop(t)
	if _, err := alice.m.Chat.Edit(m1.ID, "meet at the bridge"); err != nil {
		t.Fatal(err)
	}
	if err := alice.m.Chat.Delete(m2.ID); err != nil {
		t.Fatal(err)
	}
	if err := alice.m.Chat.MarkRead(bob.m0ID(t)); err != nil {
		t.Fatal(err)
	}
	// Alice restarts too: what she owes Bob is in her database.
	alice.stop(t)
	alice.restart(t)
	bob.restart(t)
	waitFor(t, "edit after restarts", func() bool { return message(t, bob.m, m1.ID).Body == "meet at the bridge" })
	waitFor(t, "delete after restarts", func() bool { return message(t, bob.m, m2.ID).Deleted })
	checkDeleted(t, bob.m, m2.ID, "tickets")
	waitFor(t, "read receipt after restarts", func() bool { return msgStatus(bob.m, b1.ID) == contacts.Read })
	waitFor(t, "nothing left to send", func() bool { return !alice.m.Chat.HasPendingUpdates(bob.m.node.Host.ID()) })
}

// m0ID is the peer ID a stopped peer had (its Messenger is gone).
func (p *peerT) m0ID(t *testing.T) string {
	t.Helper()
	if p.id == "" {
		t.Fatal("peer ID not recorded")
	}
	return p.id
}

func TestOnlyTheAuthorChangesAMessage(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aHost := alice.m.node.Host.ID()
	mine := sendDelivered(t, alice, bob, "Alice wrote this")
	// A message from someone else (Carol), in another conversation.
	carol := "12D3KooWKAfZn6Q3Ep2Kg1mxvFbcxM1kmE8WPTmvRnhHPxYjqDjt"
	if _, err := alice.m.store.AddMessage(contacts.Message{ID: "carol-1", Conversation: carol, From: carol, Body: "Carol wrote this", Status: contacts.Received}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Bob's node, misbehaving, tries to change both on Alice's side (with
	// a client of its own on Bob's host).
	forger := pconvo.New(bob.m.node.Host, pconvo.Config{Allow: func(peer.ID) bool { return false },
		OnUpdate: func(peer.ID, wire.ChatUpdate) bool { return false }})
	for _, u := range []wire.ChatUpdate{
		{Kind: wire.UpdateEdit, Target: mine.ID, Body: "Bob wrote this", At: time.Now().UnixMilli()},
		{Kind: wire.UpdateDelete, Target: mine.ID, At: time.Now().UnixMilli()},
		{Kind: wire.UpdateEdit, Target: "carol-1", Body: "forged", At: time.Now().UnixMilli()},
		{Kind: wire.UpdateDelete, Target: "carol-1", At: time.Now().UnixMilli()},
	} {
		if err := forger.Send(ctx, aHost, u); err == nil {
			t.Errorf("Alice accepted %+v", u)
		}
	}
	if got := message(t, alice.m, mine.ID); got.Body != "Alice wrote this" || got.Deleted || !got.Edited.IsZero() {
		t.Fatalf("Alice's message changed by Bob: %+v", got)
	}
	if got := message(t, alice.m, "carol-1"); got.Body != "Carol wrote this" || got.Deleted {
		t.Fatalf("Carol's message changed by Bob: %+v", got)
	}
	// Through the API, Bob cannot even try.
	if _, err := bob.m.Chat.Edit(mine.ID, "x"); !errors.Is(err, chat.ErrNotAuthor) {
		t.Fatalf("Bob editing Alice's message: %v", err)
	}
	if err := bob.m.Chat.Delete(mine.ID); !errors.Is(err, chat.ErrNotAuthor) {
		t.Fatalf("Bob deleting Alice's message: %v", err)
	}
}

func TestReplyCarriesItsTarget(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	q := sendDelivered(t, alice, bob, "pizza or pasta?")
	r, err := bob.m.Chat.Reply(alice.m.MyPeerID(), q.ID, "pizza")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "reply at Alice", func() bool {
		got, err := alice.m.Chat.Message(r.ID)
		return err == nil && got.ReplyTo == q.ID && got.Body == "pizza"
	})
	if _, err := bob.m.Chat.Reply(alice.m.MyPeerID(), "no-such-message", "?"); !errors.Is(err, base.ErrUnknownMessage) {
		t.Fatalf("reply to an unknown message: %v", err)
	}
}

func TestTypingArrivesAndExpires(t *testing.T) {
	defer func(ttl time.Duration) { chat.TypingTTL = ttl }(chat.TypingTTL)
	chat.TypingTTL = 300 * time.Millisecond
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	alice.m.Chat.Typing(bob.m.MyPeerID())
	waitFor(t, "Bob sees Alice typing", func() bool {
		_, ok := bob.log.find(func(e event.Event) bool {
			ty, ok := e.(event.TypingChanged)
			return ok && ty.PeerID == aID && ty.Typing
		})
		return ok
	})
	waitFor(t, "typing expires", func() bool {
		_, ok := bob.log.find(func(e event.Event) bool {
			ty, ok := e.(event.TypingChanged)
			return ok && ty.PeerID == aID && !ty.Typing
		})
		return ok && !bob.m.Chat.IsTyping(aID)
	})
	// Typing is never stored.
	if h, _ := bob.m.Chat.History(aID, 0); len(h) != 0 {
		t.Fatalf("typing left messages: %+v", h)
	}
}

func TestTypingEndsWithTheMessage(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	// Delivered as it would arrive, straight to Bob's handler.
	bob.m.Chat.OnUpdate(alice.m.node.Host.ID(), wire.ChatUpdate{Kind: wire.UpdateTyping})
	if !bob.m.Chat.IsTyping(aID) {
		t.Fatal("not typing")
	}
	sendDelivered(t, alice, bob, "done typing")
	if bob.m.Chat.IsTyping(aID) {
		t.Fatal("still typing after the message arrived")
	}
}

func TestMuteSurvivesRestart(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	bID := bob.m.MyPeerID()
	if err := alice.m.Chat.SetMuted(bID, true); err != nil {
		t.Fatal(err)
	}
	alice.stop(t)
	alice.restart(t)
	cs, err := alice.m.People.Contacts()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || !cs[0].Muted {
		t.Fatalf("after restart: %+v", cs)
	}
	if err := alice.m.Chat.SetMuted(bID, false); err != nil || alice.m.Chat.Muted(bID) {
		t.Fatalf("unmute: %v", err)
	}
}

func TestUnreadCountsInContacts(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	sendDelivered(t, alice, bob, "1")
	sendDelivered(t, alice, bob, "2")
	unread := func() int {
		cs, _ := bob.m.People.Contacts()
		for _, c := range cs {
			if c.PeerID == alice.m.MyPeerID() {
				return c.Unread
			}
		}
		return -1
	}
	if n := unread(); n != 2 {
		t.Fatalf("unread = %d", n)
	}
	bob.m.Chat.MarkRead(alice.m.MyPeerID())
	if n := unread(); n != 0 {
		t.Fatalf("unread after MarkRead = %d", n)
	}
}

// A read receipt would show an invisible person online: it waits until
// they are visible again.
func TestReceiptsHeldWhileInvisible(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	m1 := sendDelivered(t, alice, bob, "still up?")
	if err := bob.m.Presence.SetPresence(contacts.Invisible, ""); err != nil {
		t.Fatal(err)
	}
	if err := bob.m.Chat.MarkRead(aID); err != nil {
		t.Fatal(err)
	}
	bob.m.Chat.FlushUpdates(alice.m.node.Host.ID()) // returns after Alice took whatever it sent
	if s := msgStatus(alice.m, m1.ID); s != contacts.Delivered {
		t.Fatalf("an invisible reader sent a receipt: %v", s)
	}
	if err := bob.m.Presence.SetPresence(contacts.Online, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the held receipt", func() bool { return msgStatus(alice.m, m1.ID) == contacts.Read })
}
