package main

import (
	"fmt"
	"image"
	"sync"
	"syscall"
	"time"

	"hearth/app/core/event"
)

// benchCall: call set-up on loopback (Call pressed → first remote video
// frame decoded at the caller) and the CPU one side of a running
// 640x480@30 call costs.
func benchCall() ([]result, error) {
	a, b, cleanup, err := twoPeers(loopbackOpts())
	if err != nil {
		return nil, err
	}
	defer cleanup()
	// Bob answers every call at once.
	b.mu.Lock()
	b.onEvent = func(e event.Event) {
		if ic, ok := e.(event.IncomingCall); ok {
			go func() {
				c, err := b.m.Calls.AcceptCall(ic.CallID)
				if err == nil {
					c.SetVideoSinks(func(image.Image) {}, nil)
				}
			}()
		}
	}
	b.mu.Unlock()

	var setups []time.Duration
	var cpu float64
	for i := 0; i < 5; i++ {
		var once sync.Once
		first := make(chan struct{})
		t0 := time.Now()
		c, err := a.m.Calls.StartCall(b.m.MyPeerID())
		if err != nil {
			return nil, err
		}
		c.SetVideoSinks(func(image.Image) { once.Do(func() { close(first) }) }, nil)
		select {
		case <-first:
			setups = append(setups, time.Since(t0))
		case <-time.After(30 * time.Second):
			c.Hangup()
			return nil, fmt.Errorf("no remote frame within 30 s")
		}
		if i == 0 {
			// Both sides run in this process: CPU per side is half.
			time.Sleep(2 * time.Second) // past the start-up transient
			u0, w0 := cpuTime(), time.Now()
			time.Sleep(10 * time.Second)
			cpu = 100 * (cpuTime() - u0).Seconds() / time.Since(w0).Seconds() / 2
		}
		c.Hangup()
		if err := waitFor("call torn down", 10*time.Second, func() bool { return !a.m.Calls.InCall() && !b.m.Calls.InCall() }); err != nil {
			return nil, err
		}
	}
	return []result{
		{name: "call_setup_to_first_frame", value: ms(percentile(setups, 0.5)), unit: "ms", target: "<= 300 ms"},
		{name: "call_640x480_cpu_per_side", value: cpu, unit: "%core", target: "<= 35 %core"},
	}, nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
