package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/app/profile"
)

// needDisplay fails in CI without a display (tests there must not be
// skipped silently) and skips elsewhere.
func needDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") != "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no DISPLAY in CI: run the tests through packaging/with-display.sh (make test)")
	}
	t.Skip("no DISPLAY: run under Xvfb (make test does)")
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hearth")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("building hearth: %v", err)
	}
	return bin
}

// waitWindow waits until an X window with this title is mapped.
func waitWindow(t *testing.T, title string, exited <-chan error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("hearth exited early: %v", err)
		default:
		}
		out, _ := exec.Command("xwininfo", "-root", "-tree").Output()
		if strings.Contains(string(out), `"`+title+`"`) {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("no window titled %q appeared", title)
}

func screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("HEARTH_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if out, err := exec.Command("import", "-window", "root", path).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v: %s", err, out)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("screenshot %s is empty: %v", path, err)
	}
	t.Logf("screenshot: %s", path)
}

// startApp starts hearth and returns a channel that yields when it exits.
func startApp(t *testing.T, bin, dir string) <-chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--profile", dir, "--fake-media", "--no-mdns", "--port", "-1")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
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
	})
	return exited
}

// TestSmokeFirstRun starts the real binary on a fresh profile under Xvfb and
// waits for its first-run window.
func TestSmokeFirstRun(t *testing.T) {
	needDisplay(t)
	bin := buildBinary(t)
	exited := startApp(t, bin, filepath.Join(t.TempDir(), "fresh"))
	waitWindow(t, "Hearth", exited)
	time.Sleep(time.Second) // let it paint
	screenshot(t, "first-run.png")
}

// TestSmokeMainWindow opens an existing profile without passphrase straight
// into the main window.
func TestSmokeMainWindow(t *testing.T) {
	needDisplay(t)
	dir := filepath.Join(t.TempDir(), "alice")
	p, err := profile.Create(dir, "Alice", "")
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	bin := buildBinary(t)
	exited := startApp(t, bin, dir)
	waitWindow(t, "Hearth — Alice", exited)
	time.Sleep(time.Second)
	screenshot(t, "main-window.png")
}
