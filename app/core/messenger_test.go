package core

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/app/core/people"
	"hearth/app/profile"
	"hearth/contacts"
)

// waitFor polls cond until it holds or the (generous) deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// eventLog reads a Messenger's events, as the UI would, and keeps them.
type eventLog struct {
	mu     sync.Mutex
	events []event.Event
}

func (l *eventLog) watch(m *Messenger) {
	go func() {
		for e := range m.Events() {
			l.mu.Lock()
			l.events = append(l.events, e)
			l.mu.Unlock()
		}
	}()
}

// find returns the first event for which match is true.
func (l *eventLog) find(match func(event.Event) bool) (event.Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.events {
		if match(e) {
			return e, true
		}
	}
	return nil, false
}

type peerT struct {
	id   string // peer ID, kept while stopped
	dir  string
	port int // kept across restarts, as the real app's default port is
	m    *Messenger
	log  *eventLog
}

func opts() Options {
	return Options{Loopback: true, NoMDNS: true, Port: -1, FakeMedia: true, RetryInterval: 200 * time.Millisecond}
}

func newPeer(t *testing.T, name string) *peerT {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	m, err := Opener{Dir: dir, Opts: opts()}.Create(name, "")
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	p := &peerT{dir: dir, m: m, log: &eventLog{}}
	p.log.watch(m)
	t.Cleanup(func() {
		if p.m != nil {
			p.m.Close()
		}
	})
	return p
}

func (p *peerT) stop(t *testing.T) {
	t.Helper()
	p.port = p.m.Port()
	p.id = p.m.MyPeerID()
	if err := p.m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	p.m = nil
}

func (p *peerT) restart(t *testing.T) {
	t.Helper()
	o := opts()
	o.Port = p.port
	m, err := Opener{Dir: p.dir, Opts: o}.Unlock("")
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	p.m = m
	p.log = &eventLog{}
	p.log.watch(m)
}

func state(m *Messenger, id string) contacts.State {
	cs, _ := m.People.Contacts()
	for _, c := range cs {
		if c.PeerID == id {
			return c.State
		}
	}
	return -1
}

func presenceOf(m *Messenger, id string) contacts.Presence {
	cs, _ := m.People.Contacts()
	for _, c := range cs {
		if c.PeerID == id {
			return c.Presence
		}
	}
	return contacts.Offline
}

// pair makes a and b mutual contacts through a's invite code.
func pair(t *testing.T, a, b *peerT) {
	t.Helper()
	code, err := a.m.People.InviteCode()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.m.People.AddByInvite(code, "hello from "+b.m.MyName()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both sides accepted", func() bool {
		return state(a.m, b.m.MyPeerID()) == contacts.Accepted && state(b.m, a.m.MyPeerID()) == contacts.Accepted
	})
	waitFor(t, "both sides online", func() bool {
		return presenceOf(a.m, b.m.MyPeerID()) == contacts.Online && presenceOf(b.m, a.m.MyPeerID()) == contacts.Online
	})
}

func bodies(t *testing.T, m *Messenger, conv string) []string {
	t.Helper()
	h, err := m.Chat.History(conv, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, msg := range h {
		out = append(out, msg.Body)
	}
	return out
}

func TestPairChatRestartDeliversOnceInOrder(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()

	// Chat both ways.
	if _, err := alice.m.Chat.Send(bID, "hi Bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.m.Chat.Send(aID, "hi Alice"); err != nil {
		t.Fatal(err)
	}
	want := []string{"hi Bob", "hi Alice"}
	waitFor(t, "both messages on both sides", func() bool {
		return len(bodies(t, bob.m, aID)) == 2 && len(bodies(t, alice.m, bID)) == 2
	})
	for _, m := range []*Messenger{alice.m, bob.m} {
		conv := aID
		if m == alice.m {
			conv = bID
		}
		got := bodies(t, m, conv)
		if !(slices.Equal(got, want) || slices.Equal(got, []string{want[1], want[0]})) {
			t.Fatalf("history %v", got)
		}
	}
	waitFor(t, "delivered receipts", func() bool {
		h, _ := alice.m.Chat.History(bID, 10)
		for _, msg := range h {
			if msg.Outgoing && msg.Status != contacts.Delivered {
				return false
			}
		}
		return true
	})

	// Bob quits; Alice sees him go offline and writes three messages.
	bob.stop(t)
	waitFor(t, "bob offline", func() bool { return presenceOf(alice.m, bID) == contacts.Offline })
	for i := 1; i <= 3; i++ {
		msg, err := alice.m.Chat.Send(bID, fmt.Sprintf("while you were away %d", i))
		if err != nil {
			t.Fatal(err)
		}
		if msg.Status != contacts.Pending {
			t.Fatalf("status %v, want pending", msg.Status)
		}
	}
	// Bob comes back: the three arrive once each, in order.
	bob.restart(t)
	waitFor(t, "outbox delivered", func() bool { return len(bodies(t, bob.m, aID)) == 5 })
	time.Sleep(300 * time.Millisecond) // a duplicate would show up by now
	got := bodies(t, bob.m, aID)
	wantTail := []string{"while you were away 1", "while you were away 2", "while you were away 3"}
	if len(got) != 5 || !slices.Equal(got[2:], wantTail) {
		t.Fatalf("after restart bob has %q", got)
	}
	// History survives restarts on both sides.
	alice.stop(t)
	alice.restart(t)
	if got := bodies(t, alice.m, bID); len(got) != 5 {
		t.Fatalf("alice history after restart: %q", got)
	}
	waitFor(t, "reconnected after alice restart", func() bool { return presenceOf(bob.m, aID) == contacts.Online })
}

func TestSenderRestartsBeforeDelivery(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	bob.stop(t)
	waitFor(t, "bob offline", func() bool { return presenceOf(alice.m, bID) == contacts.Offline })
	alice.m.Chat.Send(bID, "one")
	alice.m.Chat.Send(bID, "two")
	alice.stop(t) // the outbox must survive the sender's restart too
	bob.restart(t)
	alice.restart(t)
	waitFor(t, "delivered after both restarted", func() bool { return len(bodies(t, bob.m, aID)) == 2 })
	if got := bodies(t, bob.m, aID); !slices.Equal(got, []string{"one", "two"}) {
		t.Fatalf("got %q", got)
	}
}

func TestRequestWithoutSecretWaitsForAccept(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	// Bob learns Alice's address but not a valid secret: a code whose
	// secret was already spent.
	code, _ := alice.m.People.InviteCode()
	carol := newPeer(t, "Carol")
	if err := carol.m.People.AddByInvite(code, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "carol accepted", func() bool { return state(carol.m, aID) == contacts.Accepted })
	if err := bob.m.People.AddByInvite(code, "it's Bob"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "request waiting at alice", func() bool { return state(alice.m, bID) == contacts.Incoming })
	if state(bob.m, aID) != contacts.Outgoing {
		t.Fatal("bob should still be waiting")
	}
	if _, err := bob.m.Chat.Send(aID, "let me in"); err != book.ErrNotContact {
		t.Fatalf("sending before acceptance: %v", err)
	}
	if err := alice.m.People.Accept(bID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob accepted", func() bool { return state(bob.m, aID) == contacts.Accepted })
	waitFor(t, "online after accept", func() bool { return presenceOf(bob.m, aID) == contacts.Online })
}

func TestPresenceStates(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	alice.m.Presence.SetPresence(contacts.Busy, "in a meeting")
	waitFor(t, "busy", func() bool { return presenceOf(bob.m, aID) == contacts.Busy })
	cs, _ := bob.m.People.Contacts()
	if cs[0].StatusText != "in a meeting" {
		t.Fatalf("status text %q", cs[0].StatusText)
	}
	alice.m.Presence.SetPresence(contacts.Invisible, "")
	waitFor(t, "invisible shows offline", func() bool { return presenceOf(bob.m, aID) == contacts.Offline })
	// Invisible still chats.
	if _, err := alice.m.Chat.Send(bob.m.MyPeerID(), "psst"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "message from invisible", func() bool { return len(bodies(t, bob.m, aID)) == 1 })
	if presenceOf(bob.m, aID) != contacts.Offline {
		t.Fatal("invisible leaked presence")
	}
}

func TestBadInviteIsAClearError(t *testing.T) {
	alice := newPeer(t, "Alice")
	for _, code := range []string{"", "hello", "hearth:!!!!", "hearth:aaaaaaaaaaaaaaaaaaaa"} {
		if err := alice.m.People.AddByInvite(code, ""); err == nil {
			t.Fatalf("code %q accepted", code)
		}
	}
	own, _ := alice.m.People.InviteCode()
	if err := alice.m.People.AddByInvite(own, ""); err != people.ErrOwnInvite {
		t.Fatalf("own code: %v", err)
	}
}

func TestProfileLockedTwice(t *testing.T) {
	alice := newPeer(t, "Alice")
	if _, err := (Opener{Dir: alice.dir, Opts: opts()}).Unlock(""); err == nil {
		t.Fatal("second open of the same profile succeeded")
	} else if !errors.Is(err, profile.ErrLocked) {
		t.Fatalf("got %v, want ErrLocked", err)
	}
}

// TestUnresponsiveContactGoesOffline: a contact whose node goes silent (it
// takes pings and never answers, like a machine that vanished without a
// FIN or RST) is shown offline within a few liveness intervals, without
// waiting for the transports' idle timeouts.
func TestUnresponsiveContactGoesOffline(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	hold := make(chan struct{})
	defer close(hold)
	bob.m.node.Host.SetStreamHandler(ping.ID, func(s network.Stream) {
		<-hold
		s.Reset()
	})
	waitFor(t, "bob offline at alice", func() bool {
		return presenceOf(alice.m, bob.m.MyPeerID()) == contacts.Offline
	})
}

// TestRemovedContactCannotDeliver: once a contact is gone, messages on a
// chat stream it still holds open are refused, not stored.
func TestRemovedContactCannotDeliver(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	alice.m.Chat.Send(bID, "first")
	waitFor(t, "first delivered", func() bool { return len(bodies(t, bob.m, aID)) == 1 })
	id, _ := peer.Decode(aID)
	bob.m.book.Lock()
	bob.m.book.Delete(id)
	bob.m.book.Unlock()
	alice.m.Chat.Send(bID, "after removal")
	time.Sleep(time.Second)
	if got := bodies(t, bob.m, aID); len(got) != 1 {
		t.Fatalf("bob stored %q from a removed contact", got)
	}
	if waiting, _ := alice.m.Chat.HasUndelivered(bID); !waiting {
		t.Fatal("alice's message counts as delivered")
	}
}
