package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"hearth/app/core"
)

// The LAN benchmarks (discovery, pairing, nearby) need mDNS, which
// multicasts. So each runs its nodes in a child process of this binary
// inside a private network namespace that has only loopback, with
// multicast on: the nodes find each other and nothing leaves the machine.
// The child reports its figures on stdout as lines "VALUE <name> <number>".

// inPrivateNetwork runs the child named child (see child in discovery.go)
// in a fresh network namespace and returns the values it printed. Each
// name in want must be among them.
func inPrivateNetwork(child string, want ...string) (map[string]float64, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	script := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
	cmd := exec.Command("unshare", "-n", "-r", "sh", "-c", script, "sh", self, child)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s in a private network namespace: %w", child, err)
	}
	vals := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "VALUE" {
			continue
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("%s printed %q: %w", child, sc.Text(), err)
		}
		vals[f[1]] = v
	}
	for _, w := range want {
		if _, ok := vals[w]; !ok {
			return nil, fmt.Errorf("%s printed no %s in %q", child, w, out)
		}
	}
	return vals, nil
}

// lanChild runs a child's work with a temporary folder for its profiles
// (removed afterwards) and node options with mDNS on.
func lanChild(run func(root string, opts core.Options) error) error {
	opts := loopbackOpts()
	opts.NoMDNS = false
	root, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	return run(root, opts)
}

// printMedian reports the median of ds in milliseconds to the parent.
func printMedian(name string, ds []time.Duration) {
	fmt.Printf("VALUE %s %.3f\n", name, ms(percentile(ds, 0.5)))
}
