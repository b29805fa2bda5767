package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

var (
	cpuProfile   = flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	blockProfile = flag.String("blockprofile", "", "write a block (and mutex) profile of the run to this file")
)

// startProfiles starts the profiles the flags ask for; the function it
// returns writes them out.
func startProfiles() (stop func(), err error) {
	var stops []func()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if *blockProfile != "" {
		runtime.SetBlockProfileRate(10_000) // one sample per 10 µs blocked
		runtime.SetMutexProfileFraction(10)
		path := *blockProfile
		stops = append(stops, func() {
			for _, name := range []string{"block", "mutex"} {
				f, err := os.Create(path + "." + name)
				if err != nil {
					fmt.Fprintln(os.Stderr, "bench:", err)
					continue
				}
				pprof.Lookup(name).WriteTo(f, 0)
				f.Close()
			}
		})
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}, nil
}
