package scan

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/app/scan/scantest"
)

func TestRealClamd(t *testing.T) {
	began := time.Now()
	s := New(scantest.Start(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()

	infected := filepath.Join(dir, "eicar.com")
	must(t, os.WriteFile(infected, scantest.EICAR(), 0o600))
	res, err := s.ScanFile(ctx, infected)
	if err != nil {
		t.Fatalf("scanning EICAR: %v", err)
	}
	if !res.Infected || !strings.HasPrefix(res.Signature, scantest.Signature) {
		t.Errorf("EICAR: %+v, want infected with %s", res, scantest.Signature)
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
