package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hearth/app/profile"
)

// With profile.json missing, the error says how to recover, and following
// it (create-profile) never deletes the database: only --force does.
// Guards finding 4 of issue 14.
func TestMissingProfileJSONKeepsDatabase(t *testing.T) {
	t.Setenv("HEARTH_PASSPHRASE", "")
	dir := filepath.Join(t.TempDir(), "p")
	if code, _, errOut := runCLI(t, "", "create-profile", "--name", "Ann", "--profile", dir); code != 0 {
		t.Fatal(errOut)
	}
	if err := os.Remove(filepath.Join(dir, "profile.json")); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "hearth.db")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "", "contacts", "--profile", dir)
	if code != 1 || !strings.Contains(errOut, "restore profile.json") || !strings.Contains(errOut, "--force") {
		t.Errorf("contacts without profile.json: %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "create-profile", "--name", "Ann", "--profile", dir)
	if code != 1 || !strings.Contains(errOut, "restore profile.json") {
		t.Errorf("create-profile over a database: %d %q", code, errOut)
	}
	if after, err := os.ReadFile(db); err != nil || !bytes.Equal(before, after) {
		t.Fatalf("create-profile without --force changed or deleted the database (%v)", err)
	}
	if code, out, errOut := runCLI(t, "", "create-profile", "--name", "Ann", "--force", "--profile", dir); code != 0 || !strings.Contains(out, "Created profile") {
		t.Fatalf("create-profile --force: %d %q %q", code, out, errOut)
	}
}

// The daemon started while a one-shot command holds the profile waits for
// it rather than exiting 1. Guards finding 6 of issue 14.
func TestDaemonWaitsForOneShotCommand(t *testing.T) {
	t.Setenv("HEARTH_PASSPHRASE", "")
	dir := filepath.Join(t.TempDir(), "p")
	if code, _, errOut := runCLI(t, "", "create-profile", "--name", "Ann", "--profile", dir); code != 0 {
		t.Fatal(errOut)
	}
	held, err := profile.Open(dir, "") // what a one-shot command does
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut lockedBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- Main([]string{"daemon", "--profile", dir, "--loopback", "--port", "-1", "--no-mdns"}, Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut})
	}()
	time.Sleep(500 * time.Millisecond) // the command is still running
	select {
	case code := <-exit:
		t.Fatalf("daemon gave up while a command held the profile: exit %d, %q", code, errOut.String())
	default:
	}
	held.Close() // the command ends
	waitCLI(t, "the daemon to start", func() bool { return strings.Contains(out.String(), "Hearth daemon:") })
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	if code := <-exit; code != 0 {
		t.Fatalf("daemon exit %d: %q", code, errOut.String())
	}
}
