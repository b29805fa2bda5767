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

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core"
	"hearth/contacts"
)

// benchDiscovery runs in a private network namespace (mDNS multicasts, and
// nothing may leave this machine): two paired nodes; one restarts on a new
// port; the time from its start until the other shows it online.
func benchDiscovery() ([]result, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	script := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
	cmd := exec.Command("unshare", "-n", "-r", "sh", "-c", script, "sh", self, "netns-discovery")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("discovery in a private network namespace: %w", err)
	}
	var rs []result
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "VALUE" {
			v, _ := strconv.ParseFloat(f[2], 64)
			rs = append(rs, result{name: f[1], value: v, unit: "ms"})
		}
	}
	if len(rs) != 2 {
		return nil, fmt.Errorf("discovery child printed %q", out)
	}
	r := rs[0]
	r.ref, r.refVal, r.refU, r.target = rs[1].name, rs[1].value, "ms", "<= 1000 ms"
	return []result{r}, nil
}

// childDiscovery runs inside the namespace.
func childDiscovery() error {
	opts := loopbackOpts()
	opts.NoMDNS = false
	root, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	a, err := newPeer(root, "alice", opts)
	if err != nil {
		return err
	}
	defer a.m.Close()
	b, err := newPeer(root, "bob", opts)
	if err != nil {
		return err
	}
	if err := pair(a, b); err != nil {
		return err
	}
	// Nearby visibility is off by default; the figure is about finding a
	// contact on the LAN, so both announce themselves.
	for _, m := range []*core.Messenger{a.m, b.m} {
		if err := m.SetNearbyVisibility(core.NearbyAlways); err != nil {
			return err
		}
	}
	bID := b.m.MyPeerID()
	var samples []time.Duration
	for i := 0; i < 5; i++ {
		b.m.Close()
		if err := waitFor("bob offline", 30*time.Second, func() bool { return presenceOf(a.m, bID) == contacts.Offline }); err != nil {
			return err
		}
		t0 := time.Now()
		m, err := core.Opener{Dir: b.dir, Opts: opts}.Unlock("")
		if err != nil {
			return err
		}
		b.m = m
		go func() {
			for range m.Events() {
			}
		}()
		if err := waitFor("bob online again", 30*time.Second, func() bool { return presenceOf(a.m, bID) == contacts.Online }); err != nil {
			return err
		}
		samples = append(samples, time.Since(t0))
	}
	b.m.Close()
	ref, err := libp2pConnectTime()
	if err != nil {
		return err
	}
	fmt.Printf("VALUE lan_start_to_contact_online %.3f\n", ms(percentile(samples, 0.5)))
	fmt.Printf("VALUE libp2p_host_start_and_connect %.3f\n", ms(ref))
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
