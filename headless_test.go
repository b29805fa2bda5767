package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// noDisplayEnv is the environment of a box without a display: no X, no
// Wayland, no D-Bus session.
func noDisplayEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XAUTHORITY":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HEARTH_PASSPHRASE=")
}

// TestHeadlessDaemonNeedsNoDisplay builds the headless Hearth, runs
// `hearth daemon` with no display and checks that no graphics library is
// loaded in the process (/proc/PID/maps), then runs commands with their
// flags before the subcommand.
func TestHeadlessDaemonNeedsNoDisplay(t *testing.T) {
	t.Parallel() // no display needed by these builds: run beside each other
	bin := filepath.Join(t.TempDir(), "hearth-headless")
	build := exec.Command("go", "build", "-tags", "headless", "-ldflags", "-X main.version=9.9.9-test", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building the headless hearth: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "home-node")
	env := noDisplayEnv()
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if strings.Contains(string(out), "panic") || strings.Contains(string(out), "goroutine ") {
			t.Fatalf("%v panicked:\n%s", args, out)
		}
		return string(out), code
	}
	if out, code := run("--profile", dir, "create-profile", "--name", "Home node"); code != 0 {
		t.Fatalf("create-profile: %d %s", code, out)
	}
	if out, code := run("--version"); code != 0 || strings.TrimSpace(out) != "hearth 9.9.9-test" {
		t.Errorf("--version: %d %q", code, out)
	}
	if out, code := run("--profile", dir); code != 2 || !strings.Contains(out, "no window") {
		t.Errorf("the window in the headless build: %d %q, want an explanation and 2", code, out)
	}
	if out, code := run("--profile", dir, "frobnicate"); code != 2 || !strings.Contains(out, `unknown command "frobnicate"`) {
		t.Errorf("unknown word: %d %q", code, out)
	}
	if out, code := run("daemon", "--help"); code != 0 || !strings.HasPrefix(out, "usage: hearth [--profile DIR] daemon") {
		t.Errorf("daemon --help: %d %q", code, out)
	}

	d := exec.Command(bin, "--profile", dir, "daemon", "--loopback", "--port", "-1")
	d.Env = env
	stdout, err := d.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	d.Stderr = os.Stderr
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- d.Wait() }()
	t.Cleanup(func() {
		d.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			d.Process.Kill()
		}
	})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "control socket ") {
				close(ready)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-ready:
	case err := <-exited:
		t.Fatalf("the daemon exited: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the daemon did not come up")
	}
	maps, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(d.Process.Pid), "maps"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range []string{"libGL", "libEGL", "libX11", "libxcb", "libwayland", "libglfw"} {
		if strings.Contains(string(maps), "/"+lib) {
			t.Errorf("hearth daemon has %s loaded without a display", lib)
		}
	}
	// A command with its flags before the subcommand goes to the daemon.
	if out, code := run("--profile", dir, "id"); code != 0 || !strings.HasPrefix(out, "hearth:") && !strings.Contains(out, "/p2p/") {
		t.Errorf("id through the daemon: %d %q", code, out)
	}
}
