package scan

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
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

// testSignature is the name of the one signature the test database holds.
const testSignature = "Hearth.Test.EICAR"

// findClamd returns clamd's path. Without it, the test fails under CI
// (where skipping quietly would hide a broken setup) and is skipped
// elsewhere.
func findClamd(t *testing.T) string {
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

// startClamd runs a private clamd: its own socket, its own one-signature
// database, no logging outside dir. It never touches the system's clamd,
// its configuration or its signatures (there may be none: freshclam cannot
// download any without internet).
func startClamd(t *testing.T) *Scanner {
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
	hdb := fmt.Sprintf("%s:%d:%s\n", hex.EncodeToString(sum[:]), len(eicar), testSignature)
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

	s := New("unix:" + sock)
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := s.Ping(ctx)
		cancel()
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
	return s
}

func TestRealClamd(t *testing.T) {
	began := time.Now()
	s := startClamd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()

	infected := filepath.Join(dir, "eicar.com")
	must(t, os.WriteFile(infected, eicar, 0o600))
	res, err := s.ScanFile(ctx, infected)
	if err != nil {
		t.Fatalf("scanning EICAR: %v", err)
	}
	if !res.Infected || !strings.HasPrefix(res.Signature, testSignature) {
		t.Errorf("EICAR: %+v, want infected with %s", res, testSignature)
	}
	t.Logf("EICAR: %+v", res)

	clean := filepath.Join(dir, "notes.txt")
	must(t, os.WriteFile(clean, []byte("Minutes of Tuesday's meeting: budget approved.\n"), 0o600))
	res, err = s.ScanFile(ctx, clean)
	if err != nil || res.Infected {
		t.Errorf("clean file: %+v, %v", res, err)
	}

	// A file of several chunks, and one above StreamMaxLength.
	big := filepath.Join(dir, "big.bin")
	must(t, os.WriteFile(big, bytes.Repeat([]byte("hearth "), 1<<20), 0o600))
	res, err = s.ScanFile(ctx, big)
	if err != nil || res.Infected {
		t.Errorf("7 MB clean file: %+v, %v", res, err)
	}
	huge := filepath.Join(dir, "huge.bin")
	must(t, os.WriteFile(huge, make([]byte, 12<<20), 0o600))
	if res, err := s.ScanFile(ctx, huge); !errors.Is(err, ErrTooLarge) {
		t.Errorf("12 MB file above StreamMaxLength: %+v, %v; want ErrTooLarge", res, err)
	}

	q, err := Quarantine(infected, filepath.Join(dir, "quarantine"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(q); err != nil || fi.Mode().Perm() != 0o400 {
		t.Errorf("quarantined file: %v, %v", fi, err)
	}
	t.Logf("real clamd test took %v", time.Since(began).Round(time.Millisecond))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
