package main

import (
	"fmt"
	"time"

	"hearth/app/core"
	"hearth/contacts"
)

// benchNearby runs in a private network namespace, like benchDiscovery:
// two fresh profiles; one presses "Pair nearby", the other finds it under
// Nearby and sends a request, which is accepted; the time from the press
// to both being online contacts. Beside it, the same end state reached
// through an invite code, in the same run.
func benchNearby() ([]result, error) {
	const ref = "lan_pair_invite_to_contact"
	vals, err := inPrivateNetwork("netns-nearby", "lan_pair_nearby_to_contact", ref)
	if err != nil {
		return nil, err
	}
	return []result{
		{name: "lan_pair_nearby_to_contact", value: vals["lan_pair_nearby_to_contact"], unit: "ms", ref: ref, refVal: vals[ref], refU: "ms"},
	}, nil
}

// childNearby runs inside the namespace.
func childNearby() error {
	return lanChild(func(root string, opts core.Options) error {
		var nearby, invite []time.Duration
		for i := range 5 {
			d, err := timedPair(root, opts, fmt.Sprintf("a%d", i), fmt.Sprintf("b%d", i), pairNearby)
			if err != nil {
				return err
			}
			nearby = append(nearby, d)
			d, err = timedPair(root, loopbackOpts(), fmt.Sprintf("c%d", i), fmt.Sprintf("d%d", i), func(a, b *benchPeer) (time.Duration, error) {
				t0 := time.Now()
				err := pair(a, b)
				return time.Since(t0), err
			})
			if err != nil {
				return err
			}
			invite = append(invite, d)
		}
		printMedian("lan_pair_nearby_to_contact", nearby)
		printMedian("lan_pair_invite_to_contact", invite)
		return nil
	})
}

// pairNearby: b makes itself visible, a finds it, asks, b accepts.
func pairNearby(a, b *benchPeer) (time.Duration, error) {
	bID, aID := b.m.MyPeerID(), a.m.MyPeerID()
	t0 := time.Now()
	if _, err := b.m.Nearby.PairNearby(); err != nil {
		return 0, err
	}
	err := waitFor("nearby", 30*time.Second, func() bool {
		for _, n := range a.m.Nearby.Nearby() {
			if n.PeerID == bID {
				return true
			}
		}
		return false
	})
	if err != nil {
		return 0, err
	}
	if err := a.m.People.RequestNearby(bID, ""); err != nil {
		return 0, err
	}
	if err := waitFor("request", 30*time.Second, func() bool { return stateOf(b.m, aID) == contacts.Incoming }); err != nil {
		return 0, err
	}
	if err := b.m.People.Accept(aID); err != nil {
		return 0, err
	}
	err = waitFor("contacts", 30*time.Second, func() bool {
		return presenceOf(a.m, bID) == contacts.Online && presenceOf(b.m, aID) == contacts.Online
	})
	return time.Since(t0), err
}
