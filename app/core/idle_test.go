package core

import (
	"sync"
	"testing"
	"time"

	"hearth/app/core/event"
	"hearth/app/core/presence"
	"hearth/contacts"
)

// fakeClock is the idle timer's clock in tests: it moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClockedPeer(t *testing.T, name string, clock *fakeClock) *peerT {
	t.Helper()
	return newPeerWith(t, name, func(o *Options) { o.Now = clock.now })
}

func myPresence(m *Messenger) contacts.Presence {
	p, _ := m.Presence.Presence()
	return p
}

// TestAutoAway: idle for the configured time turns Online into Away, at
// the contact too; activity brings it back; Busy, Invisible and a chosen
// Away are never touched.
func TestAutoAway(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	alice := newClockedPeer(t, "Alice", clock)
	bob := newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	if alice.m.Presence.AwayAfter() != presence.DefaultAwayAfter {
		t.Fatalf("default away after %v", alice.m.Presence.AwayAfter())
	}
	if err := alice.m.Presence.SetAwayAfter(2 * time.Minute); err != nil {
		t.Fatal(err)
	}

	clock.advance(2*time.Minute - time.Second)
	alice.m.Presence.CheckIdle()
	if myPresence(alice.m) != contacts.Online {
		t.Fatal("away before the idle time")
	}
	clock.advance(time.Second)
	alice.m.Presence.CheckIdle()
	if myPresence(alice.m) != contacts.Away {
		t.Fatal("not away after the idle time")
	}
	waitFor(t, "away at bob", func() bool { return presenceOf(bob.m, aID) == contacts.Away })
	waitFor(t, "event", func() bool {
		_, ok := alice.log.find(func(e event.Event) bool {
			p, ok := e.(event.PresenceChanged)
			return ok && p.Auto && p.Presence == contacts.Away
		})
		return ok
	})
	// The automatic Away is not saved as my choice.
	if b, err := alice.m.store.Setting("presence.state"); err == nil && len(b) == 1 && contacts.Presence(b[0]) != contacts.Online {
		t.Fatalf("auto-away persisted as %v", contacts.Presence(b[0]))
	}
	alice.m.Presence.Activity()
	if myPresence(alice.m) != contacts.Online {
		t.Fatal("activity did not bring me back")
	}
	waitFor(t, "online at bob", func() bool { return presenceOf(bob.m, aID) == contacts.Online })

	// Manual states are left alone, idle or not, and activity does not
	// turn a chosen Away into Online.
	for _, p := range []contacts.Presence{contacts.Busy, contacts.Invisible, contacts.Away} {
		alice.m.Presence.SetPresence(p, "")
		clock.advance(time.Hour)
		alice.m.Presence.CheckIdle()
		alice.m.Presence.Activity()
		if got := myPresence(alice.m); got != p {
			t.Fatalf("%v became %v", p, got)
		}
	}
	// Auto-away then a manual choice: activity keeps the choice.
	alice.m.Presence.SetPresence(contacts.Online, "")
	clock.advance(time.Hour)
	alice.m.Presence.CheckIdle()
	alice.m.Presence.SetPresence(contacts.Busy, "")
	alice.m.Presence.Activity()
	if myPresence(alice.m) != contacts.Busy {
		t.Fatal("activity undid a manual Busy set during auto-away")
	}

	// Choosing Online by hand while idle counts as activity: the timer
	// starts again instead of flipping straight back to Away.
	clock.advance(time.Hour)
	alice.m.Presence.SetPresence(contacts.Online, "")
	alice.m.Presence.CheckIdle()
	if myPresence(alice.m) != contacts.Online {
		t.Fatal("a hand-picked Online became Away at once")
	}

	// 0 means never, and the setting survives a restart.
	alice.m.Presence.SetPresence(contacts.Online, "")
	if err := alice.m.Presence.SetAwayAfter(0); err != nil {
		t.Fatal(err)
	}
	clock.advance(24 * time.Hour)
	alice.m.Presence.CheckIdle()
	if myPresence(alice.m) != contacts.Online {
		t.Fatal("away with auto-away off")
	}
	alice.m.Presence.SetAwayAfter(7 * time.Minute)
	alice.stop(t)
	o := opts()
	o.Now = clock.now
	m, err := Opener{Dir: alice.dir, Opts: o}.Unlock("")
	if err != nil {
		t.Fatal(err)
	}
	alice.m = m
	if m.Presence.AwayAfter() != 7*time.Minute {
		t.Fatalf("away after %v after restart", m.Presence.AwayAfter())
	}
}

// TestBusyDeclinesCalls: a Busy callee does not ring and the caller is
// told Busy.
func TestBusyDeclinesCalls(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	bob.m.Presence.SetPresence(contacts.Busy, "")
	waitFor(t, "busy at alice", func() bool { return presenceOf(alice.m, bob.m.MyPeerID()) == contacts.Busy })
	c, err := alice.m.Calls.StartCall(bob.m.MyPeerID())
	if err != nil {
		t.Fatal(err)
	}
	var ended event.CallEnded
	waitFor(t, "call ended at alice", func() bool {
		e, ok := alice.log.find(func(e event.Event) bool { c2, ok := e.(event.CallEnded); return ok && c2.CallID == c.ID() })
		if ok {
			ended = e.(event.CallEnded)
		}
		return ok
	})
	if ended.Reason != "Busy" {
		t.Fatalf("caller told %q", ended.Reason)
	}
	if _, rang := bob.log.find(func(e event.Event) bool { _, ok := e.(event.IncomingCall); return ok }); rang {
		t.Fatal("a busy callee rang")
	}
}
