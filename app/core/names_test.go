package core

import (
	"errors"
	"testing"

	"hearth/app/profile"
)

// A new name reaches a connected contact at once, survives a restart, and
// does not override the name a contact gave me.
func TestSetMyNameReachesContacts(t *testing.T) {
	alice, bob, carol := newPeer(t, "Alice"), newPeer(t, "Bob"), newPeer(t, "Carol")
	pair(t, alice, bob)
	pair(t, alice, carol)
	aID := alice.m.MyPeerID()
	nameAt := func(p *peerT) string {
		cs, _ := p.m.People.Contacts()
		for _, c := range cs {
			if c.PeerID == aID {
				return c.Name
			}
		}
		return ""
	}
	if err := carol.m.People.Rename(aID, "Mum"); err != nil {
		t.Fatal(err)
	}
	if err := alice.m.SetMyName("  Alice Smith "); err != nil {
		t.Fatal(err)
	}
	if got := alice.m.MyName(); got != "Alice Smith" {
		t.Fatalf("MyName = %q", got)
	}
	waitFor(t, "bob sees the new name", func() bool { return nameAt(bob) == "Alice Smith" })
	if got := nameAt(carol); got != "Mum" {
		t.Fatalf("carol's name for alice became %q", got)
	}
	if err := alice.m.SetMyName(""); !errors.Is(err, profile.ErrBadName) {
		t.Fatalf("empty name: %v", err)
	}
	alice.stop(t)
	alice.restart(t)
	if got := alice.m.MyName(); got != "Alice Smith" {
		t.Fatalf("after a restart MyName = %q", got)
	}
}
