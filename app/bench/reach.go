package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// benchReach runs the network lab of issue 11 (app/reachlab: homes behind
// NAT routers in network namespaces, a public node; it needs root) once,
// with its figures printed, and reports them beside the same figure on a
// plain LAN in the same run: launch to contact online across NAT (direct
// after a hole punch, and relayed behind a symmetric NAT), the share of
// cells that end on a direct connection, and the time to find a contact
// again after its home was renumbered.
func benchReach() ([]result, error) {
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("the network lab needs root (ip netns)")
	}
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestLab$", "-v", "./app/reachlab")
	cmd.Env = append(os.Environ(), "HEARTH_LAB_VALUES=1")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("the lab failed: %v\n%s", err, tail(out, 40))
	}
	v := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "VALUE" {
			if x, err := strconv.ParseFloat(f[2], 64); err == nil {
				v[f[1]] = x
			}
		}
	}
	need := []string{"lan-only_launch_ms", "both-eim_launch_ms", "symmetric_launch_ms", "renumbered_found_ms"}
	for _, n := range need {
		if _, ok := v[n]; !ok {
			return nil, fmt.Errorf("the lab printed no %s", n)
		}
	}
	cells, direct := 0, 0.0
	for k, x := range v {
		if strings.HasSuffix(k, "_direct") {
			cells++
			direct += x
		}
	}
	lan := v["lan-only_launch_ms"]
	return []result{
		{name: "nat_launch_to_online_direct", value: v["both-eim_launch_ms"], unit: "ms",
			ref: "lan_launch_to_online", refVal: lan, refU: "ms", target: "≤ 3000 ms"},
		{name: "nat_launch_to_online_relayed", value: v["symmetric_launch_ms"], unit: "ms",
			ref: "lan_launch_to_online", refVal: lan, refU: "ms", target: "≤ 3000 ms"},
		{name: "nat_pair_to_online_direct", value: v["both-eim_pair_ms"], unit: "ms",
			ref: "lan_pair_to_online", refVal: v["lan-only_pair_ms"], refU: "ms"},
		{name: "nat_cells_direct_share", value: 100 * direct / float64(max(cells, 1)), unit: "%",
			ref: "cells", refVal: float64(cells), refU: "cells"},
		{name: "nat_renumbered_found_again", value: v["renumbered_found_ms"], unit: "ms",
			ref: "lan_launch_to_online", refVal: lan, refU: "ms", target: "≤ 30000 ms"},
	}, nil
}

// tail is the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
