package core

import (
	"slices"
	"strings"
	"testing"

	"hearth/contacts"
	"hearth/p2p/wire"
)

// TestFreshInviteFromContactUpdatesAddrs: a contact who moved sends a new
// invite code; adding it updates where I look for them instead of being
// refused as "already one of your contacts". Before the fix AddByInvite
// returned people.ErrAlreadyContact and kept the stale addresses.
func TestFreshInviteFromContactUpdatesAddrs(t *testing.T) {
	a, b := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, a, b)
	code, err := a.m.People.InviteCode()
	if err != nil {
		t.Fatal(err)
	}
	inv, err := wire.ParseInvite(code)
	if err != nil {
		t.Fatal(err)
	}
	// Where Alice says she is now (a made-up address she moved to).
	inv.Addrs = append([]string{"/ip4/127.0.0.1/tcp/1"}, inv.Addrs...)
	if err := b.m.People.AddByInvite(wire.EncodeInvite(inv), ""); err != nil {
		t.Fatalf("fresh invite from a contact: %v", err)
	}
	cs, _ := b.m.People.Contacts()
	for _, c := range cs {
		if c.PeerID == a.m.MyPeerID() {
			if c.State != contacts.Accepted {
				t.Fatalf("state %v after a fresh invite, want Accepted", c.State)
			}
			if !slices.Contains(c.Addrs, "/ip4/127.0.0.1/tcp/1") {
				t.Fatalf("addresses %v lack the invite's", c.Addrs)
			}
			return
		}
	}
	t.Fatal("Alice is gone from Bob's contacts")
}

// TestInviteCarriesNoLoopbackWhenOtherAddrsExist: the invite's addresses
// come from the node's choice (never loopback on a node that listens
// beyond it); on a loopback-only test node loopback is all there is, and
// there it must be TCP and QUIC both, TCP first.
func TestInviteAddrsOnLoopbackNode(t *testing.T) {
	a := newPeer(t, "Alice")
	code, err := a.m.People.InviteCode()
	if err != nil {
		t.Fatal(err)
	}
	inv, err := wire.ParseInvite(code)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Addrs) < 2 || !strings.Contains(inv.Addrs[0], "/tcp/") ||
		!slices.ContainsFunc(inv.Addrs, func(s string) bool { return strings.Contains(s, "/quic-v1") }) {
		t.Fatalf("invite addresses %v: want TCP first and a QUIC address too", inv.Addrs)
	}
}
