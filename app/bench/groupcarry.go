package main

import (
	"fmt"
	"os"
	"time"

	"hearth/contacts"
)

// benchGroupCarry: group messages to an offline member through a carrier
// on loopback. A, B and C are in a group; C carries; B is offline. A sends
// a burst to the group: C gets it directly (the reference, same run) and
// holds a sealed copy for B; A leaves, B returns and takes the burst from
// C, stored and acked.
func benchGroupCarry() ([]result, error) {
	const n = 500
	root, err := os.MkdirTemp("", "hearth-bench-groupcarry-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	opts := loopbackOpts()
	opts.Carry.MaxPerSender = 10 * n
	var peers []*benchPeer
	defer func() {
		for _, p := range peers {
			if p.m != nil {
				p.m.Close()
			}
		}
	}()
	for _, name := range []string{"author", "away", "carrier"} {
		p, err := newPeer(root, name, opts)
		if err != nil {
			return nil, err
		}
		peers = append(peers, p)
	}
	a, b, c := peers[0], peers[1], peers[2]
	for _, pr := range [][2]*benchPeer{{a, c}, {b, c}, {a, b}} {
		if err := pair(pr[0], pr[1]); err != nil {
			return nil, err
		}
	}
	if err := c.m.Carry.SetCarryMessages(true); err != nil {
		return nil, err
	}
	bID := b.m.MyPeerID()
	g, err := a.m.Groups.CreateGroup("carried", []string{bID, c.m.MyPeerID()})
	if err != nil {
		return nil, err
	}
	if err := waitFor("members hold the group", 60*time.Second, func() bool {
		_, eb := b.m.Groups.Group(g.ID)
		_, ec := c.m.Groups.Group(g.ID)
		return eb == nil && ec == nil
	}); err != nil {
		return nil, err
	}
	bPort := b.m.Port()
	b.m.Close()
	b.m = nil
	if err := waitFor("member offline", 30*time.Second, func() bool { return presenceOf(a.m, bID) == contacts.Offline }); err != nil {
		return nil, err
	}

	t0 := time.Now()
	for i := 0; i < n; i++ {
		if _, err := a.m.Groups.SendGroup(g.ID, fmt.Sprintf("group %d", i)); err != nil {
			return nil, err
		}
	}
	var direct time.Duration
	if err := waitFor("burst deposited", 120*time.Second, func() bool {
		time.Sleep(5 * time.Millisecond)
		if direct == 0 {
			if h, err := c.m.Groups.GroupHistory(g.ID, n+1); err == nil && len(h) == n {
				direct = time.Since(t0)
			}
		}
		k, _, err := c.m.Carry.Carrying()
		return err == nil && k >= n
	}); err != nil {
		return nil, err
	}
	deposit := n / time.Since(t0).Seconds()
	if direct == 0 {
		direct = time.Since(t0)
	}

	a.m.Close()
	a.m = nil
	bopts := opts
	bopts.Port = bPort
	t0 = time.Now()
	if err := b.restart(bopts); err != nil {
		return nil, err
	}
	if err := waitFor("burst handed over", 120*time.Second, func() bool {
		time.Sleep(5 * time.Millisecond)
		h, err := b.m.Groups.GroupHistory(g.ID, n+1)
		return err == nil && len(h) == n
	}); err != nil {
		return nil, err
	}
	handover := n / time.Since(t0).Seconds()
	ref := n / direct.Seconds()
	return []result{
		{name: "group_carry_deposit_throughput", value: deposit, unit: "msg/s", ref: "group_direct_throughput", refVal: ref, refU: "msg/s"},
		{name: "group_carry_handover_throughput", value: handover, unit: "msg/s", ref: "group_direct_throughput", refVal: ref, refU: "msg/s"},
	}, nil
}
