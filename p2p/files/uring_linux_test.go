package files

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestURingWrites: writes through the ring land where pwrite's would, a
// write the kernel refuses comes back as its errno (not as a broken
// ring), and the ring goes on working after it; fsync works, and fails
// like fsync(2).
func TestURingWrites(t *testing.T) {
	u := newURing()
	if u == nil {
		t.Skip("no io_uring here (old kernel or a sandbox): writes use pwrite")
	}
	defer u.close()
	path := filepath.Join(t.TempDir(), "f")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := make([]byte, 3<<20)
	for i := range want {
		want[i] = byte(i % 251)
	}
	// Out of order and in pieces of odd sizes, more than the ring's
	// entries in all.
	for _, r := range [][2]int{{1 << 20, 3 << 20}, {0, 5}, {5, 70_000}, {70_000, 1 << 20}} {
		n, err := u.pwrite(f, want[r[0]:r[1]], int64(r[0]))
		if err != nil || n != r[1]-r[0] {
			t.Fatalf("write [%d,%d): %d, %v", r[0], r[1], n, err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("file differs (%d bytes, %v)", len(got), err)
	}
	ro, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := u.pwrite(ro, want[:10], 0); !errors.Is(err, syscall.EBADF) {
		t.Fatalf("write to a read-only file: %v, want EBADF", err)
	}
	if n, err := u.pwrite(f, []byte("after"), 0); err != nil || n != 5 {
		t.Fatalf("ring broken after a refused write: %d, %v", n, err)
	}
	if err := u.fsync(f); err != nil {
		t.Fatalf("fsync: %v", err)
	}
	p, err := os.CreateTemp(t.TempDir(), "p")
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if err := u.fsync(p); !errors.Is(err, syscall.EBADF) {
		t.Fatalf("fsync of a closed file: %v, want EBADF", err)
	}
}
