package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
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
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	script := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
	cmd := exec.Command("unshare", "-n", "-r", "sh", "-c", script, "sh", self, "netns-pairing")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("pairing in a private network namespace: %w", err)
	}
	vals := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "VALUE" {
			vals[f[1]], _ = strconv.ParseFloat(f[2], 64)
		}
	}
	inv, okInv := vals["pair_invite_lan_ms"]
	sc2, okSC := vals["pair_shortcode_lan_ms"]
	if !okInv || !okSC {
		return nil, fmt.Errorf("pairing child printed %q", out)
	}
	return []result{
		{name: "pair_invite_lan_ms", value: inv, unit: "ms", target: "< 60000 ms, two people paired in under a minute (issue 3)"},
		{name: "pair_shortcode_lan_ms", value: sc2, unit: "ms", ref: "pair_invite_lan_ms", refVal: inv, refU: "ms",
			target: "< 60000 ms (issue 3)"},
	}, nil
}

// childPairing runs inside the namespace.
func childPairing() error {
	opts := loopbackOpts()
	opts.NoMDNS = false
	root, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	const rounds = 5
	var invite, short []time.Duration
	for i := range 2 * rounds {
		a, err := newPeer(root, fmt.Sprintf("alice%d", i), opts)
		if err != nil {
			return err
		}
		b, err := newPeer(root, fmt.Sprintf("bob%d", i), opts)
		if err != nil {
			a.m.Close()
			return err
		}
		var d time.Duration
		if i%2 == 0 {
			d, err = pairByInvite(a, b)
			invite = append(invite, d)
		} else {
			d, err = pairByShortCode(a, b)
			short = append(short, d)
		}
		a.m.Close()
		b.m.Close()
		if err != nil {
			return err
		}
	}
	fmt.Printf("VALUE pair_invite_lan_ms %.3f\n", ms(percentile(invite, 0.5)))
	fmt.Printf("VALUE pair_shortcode_lan_ms %.3f\n", ms(percentile(short, 0.5)))
	return nil
}

func pairByInvite(a, b *benchPeer) (time.Duration, error) {
	t0 := time.Now()
	code, err := a.m.InviteCode()
	if err != nil {
		return 0, err
	}
	if err := b.m.AddByInvite(code, ""); err != nil {
		return 0, err
	}
	return mutual(a, b, t0)
}

func pairByShortCode(a, b *benchPeer) (time.Duration, error) {
	t0 := time.Now()
	code, err := a.m.NewPairingCode()
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.m.PairWithCode(ctx, code); err != nil {
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
	cs, _ := m.Contacts()
	for _, c := range cs {
		if c.PeerID == id {
			return c.State
		}
	}
	return -1
}
