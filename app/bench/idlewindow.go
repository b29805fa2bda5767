package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"hearth/app/profile"
)

// benchIdleWindow: the main window of a fresh profile at rest, shown and
// hidden in the background (as after closing it, or starting at login),
// beside the smallest Fyne window measured in the same run under the same
// X server: resident memory, and CPU wake-ups per second (context
// switches of all threads) while nothing happens.
func benchIdleWindow() ([]result, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, fmt.Errorf("no DISPLAY: run through make bench")
	}
	root, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	bin := filepath.Join(root, "hearth")
	floorBin := filepath.Join(root, "fynefloor")
	for out, pkg := range map[string]string{bin: ".", floorBin: "./app/bench/fynefloor"} {
		build := exec.Command("go", "build", "-o", out, pkg)
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("building %s: %w", pkg, err)
		}
	}
	floor, err := atRest(exec.Command(floorBin), windowShown("Fyne floor"))
	if err != nil {
		return nil, fmt.Errorf("Fyne floor: %w", err)
	}
	fresh := func(name string) (string, error) {
		dir := filepath.Join(root, name)
		p, err := profile.Create(dir, name, "")
		if err != nil {
			return "", err
		}
		return dir, p.Close()
	}
	dir, err := fresh("fresh")
	if err != nil {
		return nil, err
	}
	shown, err := atRest(exec.Command(bin, "--profile", dir, "--no-mdns", "--no-dht", "--port", "-1"), windowShown("Hearth — fresh"))
	if err != nil {
		return nil, fmt.Errorf("main window: %w", err)
	}
	dir, err = fresh("hidden")
	if err != nil {
		return nil, err
	}
	hidden, err := atRest(exec.Command(bin, "--profile", dir, "--no-mdns", "--no-dht", "--port", "-1", "--background"), func() bool {
		_, err := os.Stat(filepath.Join(dir, "control.sock"))
		return err == nil
	})
	if err != nil {
		return nil, fmt.Errorf("hidden: %w", err)
	}
	return []result{
		{name: "idle_rss_window_fresh", value: shown.rss, unit: "MB", ref: "fyne_hello_window", refVal: floor.rss, refU: "MB", target: "<= qTox's 143 MB (issue 13)"},
		{name: "idle_rss_hidden_fresh", value: hidden.rss, unit: "MB", ref: "fyne_hello_window", refVal: floor.rss, refU: "MB"},
		{name: "idle_wakeups_hidden_fresh", value: hidden.wakeups, unit: "/s", ref: "fyne_hello_window", refVal: floor.wakeups, refU: "/s", target: "none while hidden (Fyne's own loop ticks)"},
		{name: "idle_wakeups_window_fresh", value: shown.wakeups, unit: "/s", ref: "fyne_hello_window", refVal: floor.wakeups, refU: "/s"},
	}, nil
}

func windowShown(title string) func() bool {
	return func() bool {
		out, _ := exec.Command("xwininfo", "-root", "-tree").Output()
		return strings.Contains(string(out), `"`+title+`"`)
	}
}

// rest is a process at rest: resident MB and context switches a second.
type rest struct{ rss, wakeups float64 }

// atRest starts cmd, waits until ready, lets it settle, then reads its
// resident memory and counts its threads' context switches over 10 s.
func atRest(cmd *exec.Cmd, ready func() bool) (rest, error) {
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		return rest{}, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
	}()
	if err := waitFor("ready", 60*time.Second, ready); err != nil {
		return rest{}, err
	}
	time.Sleep(10 * time.Second)
	pid := cmd.Process.Pid
	before := switches(pid)
	const span = 10 * time.Second
	time.Sleep(span)
	after := switches(pid)
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return rest{}, err
	}
	var r rest
	r.wakeups = float64(after-before) / span.Seconds()
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			r.rss = kb / 1024
			return r, nil
		}
	}
	return r, fmt.Errorf("no VmRSS")
}

// switches sums the voluntary and involuntary context switches of every
// thread of pid.
func switches(pid int) int64 {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	var n int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "voluntary_ctxt_switches:") || strings.HasPrefix(line, "nonvoluntary_ctxt_switches:") {
				v, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
				n += v
			}
		}
	}
	return n
}
