// Command bench measures the figures in docs/TARGETS.md and prints each as
//
//	BENCH <name> <value> <unit>  ref=<reference name> <value> <unit>  target <target>
//
// with its reference measured in the same run on the same machine. Run it
// with `make bench`. Timing lives here, never in pass/fail tests.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"time"
)

type result struct {
	name   string
	value  float64
	unit   string
	ref    string
	refVal float64
	refU   string
	target string
}

func (r result) String() string {
	s := fmt.Sprintf("BENCH %s %.3f %s", r.name, r.value, r.unit)
	if r.ref != "" {
		s += fmt.Sprintf("  ref=%s %.3f %s", r.ref, r.refVal, r.refU)
	}
	if r.target != "" {
		s += "  target " + r.target
	}
	return s
}

func main() {
	only := flag.String("only", "", "run only benchmarks whose name starts with this")
	flag.Parse()
	if len(flag.Args()) > 0 {
		// Child processes of the benchmarks (an idle node, a private network).
		if err := child(flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			os.Exit(1)
		}
		return
	}
	stopProfiles, err := startProfiles()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	benches := []struct {
		name string
		run  func() ([]result, error)
	}{
		{"messages", benchMessages},
		{"discovery", benchDiscovery},
		{"pairing", benchPairing},
		{"nearby", benchNearby}, // pairing with someone nearby
		{"files", benchFiles},
		{"call", benchCall},
		{"impair", benchImpair}, // a call on impaired links (impair.go)
		{"idle", benchIdle},
		{"idlewindow", benchIdleWindow}, // idlewindow.go: a fresh profile, shown and hidden
		{"groups", benchGroups},         // group conversations (groups.go)
		{"search", benchSearch},         // search.go: 1M-message archive
		{"carry", benchCarry},
		{"groupfiles", benchGroupFiles}, // files in a group (groupfiles.go)
		{"groupcarry", benchGroupCarry}, // group messages through a carrier (groupcarry.go)
		{"carryfiles", benchCarryFiles}, // small files through a carrier (carryfiles.go)
		{"reach", benchReach},           // across NAT routers in the network lab (reach.go)
	}
	failed := false
	for _, b := range benches {
		if *only != "" && !hasPrefix(b.name, *only) {
			continue
		}
		start := time.Now()
		rs, err := b.run()
		for _, r := range rs {
			fmt.Println(r)
		}
		if err != nil {
			fmt.Printf("BENCH-ERROR %s %v\n", b.name, err)
			failed = true
		}
		fmt.Fprintf(os.Stderr, "(%s took %v)\n", b.name, time.Since(start).Round(time.Millisecond))
	}
	stopProfiles()
	if failed {
		os.Exit(1)
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// percentile of durations, p in [0,1].
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p * float64(len(s)-1))
	return s[i]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
