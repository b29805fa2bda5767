package main

import (
	"fmt"
	"os"
	"time"

	"hearth/app/core"
	"hearth/contacts"
)

// benchCarry: store-and-forward through a carrier on loopback. A sender
// seals and deposits a burst for a recipient who is offline (durable at
// the carrier); the sender leaves; the recipient comes back and takes the
// burst from the carrier (durable at the recipient, each acked). The
// reference is the same burst sent directly to an online contact in the
// same run.
func benchCarry() ([]result, error) {
	const n = 1000
	root, err := os.MkdirTemp("", "hearth-bench-carry-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	opts := loopbackOpts()
	opts.Carry.MaxPerSender = 10 * n
	s, r, c, err := carrierPeers(root, opts)
	if err != nil {
		return nil, err
	}
	defer closePeers(s, r, c) // those still running
	sID, rID, cID := s.m.MyPeerID(), r.m.MyPeerID(), c.m.MyPeerID()

	// Reference: the burst straight to an online contact.
	t0 := time.Now()
	for i := 0; i < n; i++ {
		if _, err := s.m.Chat.Send(cID, fmt.Sprintf("direct %d", i)); err != nil {
			return nil, err
		}
	}
	if err := waitFor("direct burst delivered", 120*time.Second, func() bool {
		time.Sleep(5 * time.Millisecond)
		w, err := s.m.Chat.HasUndelivered(cID)
		return err == nil && !w
	}); err != nil {
		return nil, err
	}
	direct := n / time.Since(t0).Seconds()

	send := func() error {
		for i := 0; i < n; i++ {
			if _, err := s.m.Chat.Send(rID, fmt.Sprintf("carried %d", i)); err != nil {
				return err
			}
		}
		return nil
	}
	arrived := func() bool {
		h, err := r.m.Chat.History(sID, n+1)
		return err == nil && len(h) == n
	}
	deposit, handover, held, err := carryRun(s, r, c, opts, n, send, arrived)
	if err != nil {
		return nil, err
	}

	return []result{
		{name: "carry_deposit_throughput", value: deposit, unit: "msg/s", ref: "direct_throughput", refVal: direct, refU: "msg/s"},
		{name: "carry_handover_throughput", value: handover, unit: "msg/s", ref: "direct_throughput", refVal: direct, refU: "msg/s"},
		{name: "carry_bytes_per_message", value: float64(held) / n, unit: "B", ref: "body", refVal: float64(len("carried 999")), refU: "B"},
	}, nil
}

// carryRun measures store-and-forward through carrier c on loopback: r
// goes offline; send gives s n items for r, timed until c holds them all;
// s leaves; r comes back, timed (its start included) until arrived. It
// returns both rates in items/s and the bytes c held.
func carryRun(s, r, c *benchPeer, opts core.Options, n int, send func() error, arrived func() bool) (deposit, handover float64, held int64, err error) {
	rID := r.m.MyPeerID()
	rPort := r.m.Port()
	r.m.Close()
	r.m = nil
	if err := waitFor("recipient offline", 30*time.Second, func() bool { return presenceOf(s.m, rID) == contacts.Offline }); err != nil {
		return 0, 0, 0, err
	}
	t0 := time.Now()
	if err := send(); err != nil {
		return 0, 0, 0, err
	}
	if err := waitFor("deposited", 120*time.Second, func() bool {
		time.Sleep(5 * time.Millisecond)
		k, _, err := c.m.Carry.Carrying()
		return err == nil && k >= n
	}); err != nil {
		return 0, 0, 0, err
	}
	deposit = float64(n) / time.Since(t0).Seconds()
	_, held, _ = c.m.Carry.Carrying()

	s.m.Close()
	s.m = nil
	ropts := opts
	ropts.Port = rPort
	t0 = time.Now()
	if err := r.restart(ropts); err != nil {
		return 0, 0, 0, err
	}
	if err := waitFor("handed over", 120*time.Second, func() bool {
		time.Sleep(5 * time.Millisecond)
		return arrived()
	}); err != nil {
		return 0, 0, 0, err
	}
	return deposit, float64(n) / time.Since(t0).Seconds(), held, nil
}

// carrierPeers starts a sender, a recipient and a carrier, mutual
// contacts, the carrier carrying.
func carrierPeers(root string, opts core.Options) (s, r, c *benchPeer, err error) {
	peers, err := newPeers(root, opts, "sender", "recipient", "carrier")
	if err != nil {
		return nil, nil, nil, err
	}
	s, r, c = peers[0], peers[1], peers[2]
	for _, pr := range [][2]*benchPeer{{s, c}, {r, c}, {s, r}} {
		if err = pair(pr[0], pr[1]); err != nil {
			break
		}
	}
	if err == nil {
		err = c.m.Carry.SetCarryMessages(true)
	}
	if err != nil {
		closePeers(peers...)
		return nil, nil, nil, err
	}
	return s, r, c, nil
}
