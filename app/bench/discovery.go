package main

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core"
	"hearth/app/core/nearby"
	"hearth/contacts"
)

// benchDiscovery runs in a private network namespace (mDNS multicasts, and
// nothing may leave this machine): two paired nodes; one restarts on a new
// port; the time from its start until the other shows it online.
func benchDiscovery() ([]result, error) {
	vals, err := inPrivateNetwork("netns-discovery", "lan_start_to_contact_online", "libp2p_host_start_and_connect")
	if err != nil {
		return nil, err
	}
	return []result{{
		name: "lan_start_to_contact_online", value: vals["lan_start_to_contact_online"], unit: "ms",
		ref: "libp2p_host_start_and_connect", refVal: vals["libp2p_host_start_and_connect"], refU: "ms", target: "<= 1000 ms",
	}}, nil
}

// childDiscovery runs inside the namespace.
func childDiscovery() error {
	return lanChild(restartUntilOnline)
}

// restartUntilOnline: alice and bob are paired; bob restarts, and alice
// waits to see him online.
func restartUntilOnline(root string, opts core.Options) error {
	ps, err := newPeers(root, opts, "alice", "bob")
	if err != nil {
		return err
	}
	defer closePeers(ps...)
	a, b := ps[0], ps[1]
	if err := pair(a, b); err != nil {
		return err
	}
	// Nearby visibility is off by default; the figure is about finding a
	// contact on the LAN, so both announce themselves.
	for _, m := range []*core.Messenger{a.m, b.m} {
		if err := m.Nearby.SetNearbyVisibility(nearby.Always); err != nil {
			return err
		}
	}
	bID := b.m.MyPeerID()
	var samples []time.Duration
	for i := 0; i < 5; i++ {
		b.m.Close()
		b.m = nil
		if err := waitFor("bob offline", 30*time.Second, func() bool { return presenceOf(a.m, bID) == contacts.Offline }); err != nil {
			return err
		}
		t0 := time.Now()
		if err := b.restart(opts); err != nil {
			return err
		}
		if err := waitFor("bob online again", 30*time.Second, func() bool { return presenceOf(a.m, bID) == contacts.Online }); err != nil {
			return err
		}
		samples = append(samples, time.Since(t0))
	}
	b.m.Close()
	b.m = nil
	ref, err := libp2pConnectTime()
	if err != nil {
		return err
	}
	printMedian("lan_start_to_contact_online", samples)
	printMedian("libp2p_host_start_and_connect", []time.Duration{ref})
	return nil
}

// libp2pConnectTime: start a bare libp2p host and connect it to another one
// whose address is known: the floor under "start to online".
func libp2pConnectTime() (time.Duration, error) {
	a, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		return 0, err
	}
	defer a.Close()
	t0 := time.Now()
	b, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		return 0, err
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Connect(ctx, peer.AddrInfo{ID: a.ID(), Addrs: a.Addrs()}); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

func child(args []string) error {
	switch args[0] {
	case "netns-discovery":
		return childDiscovery()
	case "netns-pairing":
		return childPairing()
	case "netns-nearby":
		return childNearby()
	case "idle-node":
		if len(args) != 2 {
			return fmt.Errorf("usage: idle-node DIR")
		}
		return childIdleNode(args[1])
	}
	return fmt.Errorf("unknown child %q", args[0])
}
