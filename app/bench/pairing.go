package main

import (
	"context"
	"fmt"
	"time"

	"hearth/app/core"
	"hearth/contacts"
)

// benchPairing runs in a private network namespace, like benchDiscovery
// (the short code meets over mDNS): fresh pairs of nodes become mutual
// contacts by an invite code, and by a short code found on the LAN. Time
// runs from asking for the code until both sides list the other as an
// accepted contact.
func benchPairing() ([]result, error) {
	vals, err := inPrivateNetwork("netns-pairing", "pair_invite_lan_ms", "pair_shortcode_lan_ms")
	if err != nil {
		return nil, err
	}
	inv := vals["pair_invite_lan_ms"]
	return []result{
		{name: "pair_invite_lan_ms", value: inv, unit: "ms", target: "< 60000 ms, two people paired in under a minute (issue 3)"},
		{name: "pair_shortcode_lan_ms", value: vals["pair_shortcode_lan_ms"], unit: "ms", ref: "pair_invite_lan_ms", refVal: inv, refU: "ms",
			target: "< 60000 ms (issue 3)"},
	}, nil
}

// childPairing runs inside the namespace.
func childPairing() error {
	return lanChild(func(root string, opts core.Options) error {
		const rounds = 5
		var invite, short []time.Duration
		for i := range 2 * rounds {
			how, into := pairByInvite, &invite
			if i%2 == 1 {
				how, into = pairByShortCode, &short
			}
			d, err := timedPair(root, opts, fmt.Sprintf("alice%d", i), fmt.Sprintf("bob%d", i), how)
			if err != nil {
				return err
			}
			*into = append(*into, d)
		}
		printMedian("pair_invite_lan_ms", invite)
		printMedian("pair_shortcode_lan_ms", short)
		return nil
	})
}

func pairByInvite(a, b *benchPeer) (time.Duration, error) {
	t0 := time.Now()
	code, err := a.m.People.InviteCode()
	if err != nil {
		return 0, err
	}
	if err := b.m.People.AddByInvite(code, ""); err != nil {
		return 0, err
	}
	return mutual(a, b, t0)
}

func pairByShortCode(a, b *benchPeer) (time.Duration, error) {
	t0 := time.Now()
	code, err := a.m.Pairing.NewPairingCode()
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b.m.Pairing.PairWithCode(ctx, code); err != nil {
		return 0, err
	}
	return mutual(a, b, t0)
}

// mutual waits until each lists the other as an accepted contact.
func mutual(a, b *benchPeer, t0 time.Time) (time.Duration, error) {
	err := waitFor("mutual contacts", 30*time.Second, func() bool {
		return stateOf(a.m, b.m.MyPeerID()) == contacts.Accepted && stateOf(b.m, a.m.MyPeerID()) == contacts.Accepted
	})
	return time.Since(t0), err
}

func stateOf(m *core.Messenger, id string) contacts.State {
	cs, _ := m.People.Contacts()
	for _, c := range cs {
		if c.PeerID == id {
			return c.State
		}
	}
	return -1
}
