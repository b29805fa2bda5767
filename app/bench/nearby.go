package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"hearth/contacts"
)

// benchNearby runs in a private network namespace, like benchDiscovery:
// two fresh profiles; one presses "Pair nearby", the other finds it under
// Nearby and sends a request, which is accepted; the time from the press
// to both being online contacts. Beside it, the same end state reached
// through an invite code, in the same run.
func benchNearby() ([]result, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	script := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
	cmd := exec.Command("unshare", "-n", "-r", "sh", "-c", script, "sh", self, "netns-nearby")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("nearby pairing in a private network namespace: %w", err)
	}
	vals := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "VALUE" {
			vals[f[1]], _ = strconv.ParseFloat(f[2], 64)
		}
	}
	nearby, ok1 := vals["lan_pair_nearby_to_contact"]
	invite, ok2 := vals["lan_pair_invite_to_contact"]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("nearby child printed %q", out)
	}
	return []result{
		{name: "lan_pair_nearby_to_contact", value: nearby, unit: "ms", ref: "lan_pair_invite_to_contact", refVal: invite, refU: "ms"},
	}, nil
}

// childNearby runs inside the namespace.
func childNearby() error {
	opts := loopbackOpts()
	opts.NoMDNS = false
	root, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	var nearby, invite []time.Duration
	for i := range 5 {
		a, err := newPeer(root, fmt.Sprintf("a%d", i), opts)
		if err != nil {
			return err
		}
		b, err := newPeer(root, fmt.Sprintf("b%d", i), opts)
		if err != nil {
			a.m.Close()
			return err
		}
		d, err := pairNearby(a, b)
		if err == nil {
			nearby = append(nearby, d)
			a.m.Close()
			b.m.Close()
			a, err = newPeer(root, fmt.Sprintf("c%d", i), loopbackOpts())
		}
		if err == nil {
			b, err = newPeer(root, fmt.Sprintf("d%d", i), loopbackOpts())
		}
		if err == nil {
			t0 := time.Now()
			if err = pair(a, b); err == nil {
				invite = append(invite, time.Since(t0))
			}
		}
		a.m.Close()
		b.m.Close()
		if err != nil {
			return err
		}
	}
	fmt.Printf("VALUE lan_pair_nearby_to_contact %.3f\n", ms(percentile(nearby, 0.5)))
	fmt.Printf("VALUE lan_pair_invite_to_contact %.3f\n", ms(percentile(invite, 0.5)))
	return nil
}

// pairNearby: b makes itself visible, a finds it, asks, b accepts.
func pairNearby(a, b *benchPeer) (time.Duration, error) {
	bID, aID := b.m.MyPeerID(), a.m.MyPeerID()
	t0 := time.Now()
	if _, err := b.m.PairNearby(); err != nil {
		return 0, err
	}
	err := waitFor("nearby", 30*time.Second, func() bool {
		for _, n := range a.m.Nearby() {
			if n.PeerID == bID {
				return true
			}
		}
		return false
	})
	if err != nil {
		return 0, err
	}
	if err := a.m.RequestNearby(bID, ""); err != nil {
		return 0, err
	}
	if err := waitFor("request", 30*time.Second, func() bool { return stateOf(b.m, aID) == contacts.Incoming }); err != nil {
		return 0, err
	}
	if err := b.m.Accept(aID); err != nil {
		return 0, err
	}
	err = waitFor("contacts", 30*time.Second, func() bool {
		return presenceOf(a.m, bID) == contacts.Online && presenceOf(b.m, aID) == contacts.Online
	})
	return time.Since(t0), err
}
