// Package scantest starts a private ClamAV daemon for tests: its own
// socket, and a database holding one hash signature for the EICAR test
// file, written by the test itself. Tests anywhere in Hearth use it to
// check scanning against the real clamd.
package scantest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// eicar is the standard 68-byte anti-virus test file, built from parts so
// that this source file itself is never mistaken for it.
var eicar = []byte(`X5O!P%@AP[4\PZX54(P^)7CC)7}$` + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + `$H+H*`)

// Signature is the name of the one signature the private database holds
// (clamd reports it with ".UNOFFICIAL" appended).
const Signature = "Hearth.Test.EICAR"

// EICAR returns the standard anti-virus test file.
func EICAR() []byte { return append([]byte(nil), eicar...) }

// findClamd returns clamd's path. Without it, the test fails under CI
// (where skipping quietly would hide a broken setup) and is skipped
// elsewhere.
func findClamd(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("clamd"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/clamd", "/usr/local/sbin/clamd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	const hint = "clamd is not installed; install it with: sudo apt-get install -y clamav-daemon (or run make test)"
	if os.Getenv("CI") != "" {
		t.Fatal(hint)
	}
	t.Skip(hint)
	return ""
}

// Start runs a private clamd: its own socket, its own one-signature
// database, no logging outside dir. It never touches the system's clamd,
// its configuration or its signatures (there may be none: freshclam cannot
// download any without internet).
func Start(t testing.TB) (addr string) {
	t.Helper()
	clamd := findClamd(t)
	if len(eicar) != 68 {
		t.Fatalf("EICAR string is %d bytes, want 68", len(eicar))
	}
	// A short folder: unix socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "hearth-clamd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// clamd may drop privileges or run as another user; let it in.
	os.Chmod(dir, 0o755)

	sum := md5.Sum(eicar)
	hdb := fmt.Sprintf("%s:%d:%s\n", hex.EncodeToString(sum[:]), len(eicar), Signature)
	must(t, os.WriteFile(filepath.Join(dir, "hearth.hdb"), []byte(hdb), 0o644))
	tmp := filepath.Join(dir, "tmp")
	must(t, os.Mkdir(tmp, 0o755))
	sock := filepath.Join(dir, "clamd.sock")
	conf := strings.Join([]string{
		"LocalSocket " + sock,
		"LocalSocketMode 600",
		"DatabaseDirectory " + dir,
		"TemporaryDirectory " + tmp,
		"Foreground yes",
		"LogFile " + filepath.Join(dir, "clamd.log"),
		"LogSyslog no",
		"LogTime yes",
		"PidFile " + filepath.Join(dir, "clamd.pid"),
		"Bytecode no",
		"SelfCheck 0",
		"MaxThreads 2",
		"StreamMaxLength 10M",
		"",
	}, "\n")
	confPath := filepath.Join(dir, "clamd.conf")
	must(t, os.WriteFile(confPath, []byte(conf), 0o644))

	var out bytes.Buffer
	cmd := exec.Command(clamd, "-c", confPath)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting clamd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})

	deadline := time.Now().Add(60 * time.Second)
	for {
		err := ping(sock)
		if err == nil {
			break
		}
		select {
		case werr := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "clamd.log"))
			t.Fatalf("clamd exited (%v) before answering:\n%s\n%s", werr, out.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "clamd.log"))
			t.Fatalf("clamd did not answer PING within a minute: %v\n%s\n%s", err, out.String(), log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("clamd %s answered PING after %v", clamd, time.Since(start).Round(time.Millisecond))
	return "unix:" + sock
}

// ping asks clamd for PONG on its socket.
func ping(sock string) error {
	c, err := net.DialTimeout("unix", sock, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("zPING\x00")); err != nil {
		return err
	}
	b := make([]byte, 16)
	n, err := c.Read(b)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(string(b[:n]), "PONG") {
		return fmt.Errorf("clamd answered %q", b[:n])
	}
	return nil
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
