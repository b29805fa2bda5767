package files

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAtAnyAlignment writes pieces of awkward sizes one after the
// other (so offsets fall on, before and after block boundaries) and checks
// the file holds exactly the bytes written: the direct path takes the
// aligned middles, the page cache the ragged ends.
func TestWriteAtAnyAlignment(t *testing.T) {
	sizes := []int{1, 4095, 4096, 4097, 8191, 300_000, directBufSize, directBufSize + 4096, 3 * directAlign, 17, 2*directBufSize + 5}
	var want []byte
	r := rand.New(rand.NewPCG(1, 2))
	path := filepath.Join(t.TempDir(), "t.part")
	p, err := openPart(path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	direct := p.direct != nil
	if !direct {
		t.Log("no direct I/O here: every write goes through the page cache")
	}
	for _, n := range sizes {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if err := p.write(b); err != nil {
			t.Fatal(err)
		}
		p.hashed(b)
		want = append(want, b...)
	}
	if direct && p.direct == nil {
		t.Fatal("direct I/O was given up: a direct write was misaligned")
	}
	if err := p.checkpoint(); err != nil {
		t.Fatal(err)
	}
	p.close()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("file has %d bytes, want %d; first difference at %d", len(got), len(want), i)
	}
	if !p.verify(sha256.Sum256(want)) || VerifiedOffset(path) != int64(len(want)) {
		t.Fatal("hash or sidecar wrong")
	}
}

// TestBackgroundCheckpoint: a checkpoint started in the background while
// writing goes on vouches for exactly the bytes before it, and a download
// opened from it resumes there.
func TestBackgroundCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.part")
	p, err := openPart(path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("hearth"), 40_000)
	var all []byte
	add := func() {
		if err := p.write(chunk); err != nil {
			t.Fatal(err)
		}
		p.hashed(chunk)
		all = append(all, chunk...)
	}
	add()
	add()
	if err := p.checkpointEvery(int64(len(chunk))); err != nil {
		t.Fatal(err)
	}
	if p.syncing == nil {
		t.Fatal("no checkpoint started after more than every bytes")
	}
	at := p.syncOff
	add() // goes on while the checkpoint runs
	if err := p.checkpointEvery(1 << 40); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(); err != nil {
		t.Fatal(err)
	}
	if at != 2*int64(len(chunk)) || p.synced != at || VerifiedOffset(path) != at {
		t.Fatalf("checkpoint at %d, synced %d, sidecar %d", at, p.synced, VerifiedOffset(path))
	}
	p.close()
	// Reopened: cut to the checkpoint, and its hash matches those bytes.
	q, err := openPart(path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer q.close()
	if q.done != at || !q.hashIs(sha256Of(all[:at])) {
		t.Fatalf("resumed at %d (hash ok %v), want %d", q.done, q.hashIs(sha256Of(all[:at])), at)
	}
}

// TestBackgroundCheckpointFailureReported: a checkpoint that fails in the
// background fails the download at the next step, as ErrStorage.
func TestBackgroundCheckpointFailureReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.part")
	p, err := openPart(path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	// A non-empty folder where the sidecar goes: renaming onto it fails.
	if err := os.MkdirAll(filepath.Join(SidecarPath(path), "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8192)
	p.write(b)
	p.hashed(b)
	if err := p.checkpointEvery(1); err != nil {
		t.Fatalf("starting the checkpoint: %v", err)
	}
	err = p.wait()
	if !errors.Is(err, ErrStorage) {
		t.Fatalf("background failure reported as %v", err)
	}
	p.syncing = make(chan error, 1)
	p.syncing <- fmt.Errorf("disk gone")
	if err := p.checkpointEvery(1 << 40); !errors.Is(err, ErrStorage) {
		t.Fatalf("failure seen by the next step as %v", err)
	}
}

func sha256Of(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// TestHashAheadUndo: a block hashed while being written counts once its
// write is done; a block whose write failed is taken back out of the
// hash, so the hash is again that of the bytes counted.
func TestHashAheadUndo(t *testing.T) {
	p, err := openPart(filepath.Join(t.TempDir(), "t.part"), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	a, b := bytes.Repeat([]byte("a"), 5000), bytes.Repeat([]byte("b"), 7000)
	p.hashAhead(a)
	p.counted(len(a))
	p.hashAhead(b)
	p.unhash()
	if p.done != int64(len(a)) || !p.hashIs(sha256Of(a)) {
		t.Fatalf("after a failed block: done %d, hash of a: %v", p.done, p.hashIs(sha256Of(a)))
	}
	p.hashAhead(b)
	p.counted(len(b))
	if p.done != int64(len(a)+len(b)) || !p.hashIs(sha256Of(append(a, b...))) {
		t.Fatal("hash or count wrong after the block went through")
	}
}
