package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/app/profile"
)

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startWith starts the window with extra environment and arguments, and
// returns its output so far and a channel that yields when it exits.
func startWith(t *testing.T, bin string, env []string, args ...string) (*syncBuffer, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	out := new(syncBuffer)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cancel()
		}
		if strings.Contains(out.String(), "panic:") {
			t.Errorf("hearth panicked:\n%s", out)
		}
	})
	return out, exited
}

// mapState is the X map state of the window with this title
// ("IsViewable", "IsUnMapped"), "" when there is none.
func mapState(title string) string {
	out, err := exec.Command("xwininfo", "-name", title).Output()
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "Map State: "); ok {
			return v
		}
	}
	return ""
}

func aliceProfile(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "alice")
	p, err := profile.Create(dir, "Alice", "")
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	return dir
}

// TestBackgroundAndSecondLaunch starts Hearth hidden (as at login), with
// no D-Bus at all (so no tray icon, and nothing may panic), then starts it
// a second time: the second start reaches the first through the profile's
// control socket, which brings its window forward, and exits. A command
// meanwhile runs in the open window's profile.
func TestBackgroundAndSecondLaunch(t *testing.T) {
	needDisplay(t)
	bin := buildBinary(t)
	dir := aliceProfile(t)
	noDBus := []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus"), "XDG_RUNTIME_DIR=" + t.TempDir()}
	const title = "Hearth — Alice"
	out, exited := startWith(t, bin, noDBus, "--profile", dir, "--no-mdns", "--port", "-1", "--background")
	// The control socket appears once the profile is open.
	deadline := time.Now().Add(60 * time.Second)
	for _, err := os.Stat(filepath.Join(dir, "control.sock")); err != nil || !profile.InUse(dir); _, err = os.Stat(filepath.Join(dir, "control.sock")) {
		select {
		case err := <-exited:
			t.Fatalf("hearth exited: %v\n%s", err, out)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("hearth --background did not open the profile\n%s", out)
		}
	}
	time.Sleep(time.Second)
	if s := mapState(title); s == "IsViewable" {
		t.Errorf("--background showed the window (%s)", s)
	}
	// A command goes to the running window's profile.
	id := exec.Command(bin, "--profile", dir, "id")
	id.Env = append(os.Environ(), noDBus...)
	if b, err := id.Output(); err != nil || !strings.HasPrefix(string(b), "hearth:") || strings.Contains(string(b), "# This code") {
		t.Errorf("hearth id while the window runs: %v %q", err, b)
	}
	// The second start brings the window forward.
	second := exec.Command(bin, "--profile", dir)
	second.Env = append(os.Environ(), noDBus...)
	b, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(b), "brought forward") {
		t.Fatalf("second start: %v %s", err, b)
	}
	deadline = time.Now().Add(20 * time.Second)
	for mapState(title) != "IsViewable" {
		if time.Now().After(deadline) {
			t.Fatalf("the window did not come forward (%s)\n%s", mapState(title), out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second)
	screenshot(t, "second-launch.png")
	select {
	case err := <-exited:
		t.Fatalf("hearth exited: %v\n%s", err, out)
	default:
	}
	if strings.Contains(out.String(), "panic") {
		t.Errorf("output mentions a panic:\n%s", out)
	}
}
