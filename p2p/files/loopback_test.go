package files

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hearth/p2p/internal/p2ptest"
)

// bigFileSize: 1 GiB takes about 4 s here, about 12 s under -race.
const bigFileSize = 1 << 30

// TestBigFileLoopback sends bigFileSize bytes between two real hosts on
// loopback (TCP, Noise, yamux) and checks the hash.
func TestBigFileLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("big transfer")
	}
	a, b := p2ptest.RealPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	path, sum := makeFile(t, dir, "big.bin", bigFileSize, 20)
	lib.add("big", path, bigFileSize)
	part := filepath.Join(dir, "big.part")
	var last int64
	start := time.Now()
	err := sa.Fetch(ctxT(t), b.ID(), offerFor("big", path, bigFileSize, sum), part, func(d int64) { last = d })
	el := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d MiB in %v: %.0f MB/s", bigFileSize>>20, el.Round(time.Millisecond), float64(bigFileSize)/el.Seconds()/1e6)
	if last != bigFileSize || VerifiedOffset(part) != bigFileSize {
		t.Fatalf("progress %d, verified %d", last, VerifiedOffset(part))
	}
	if fileHash(t, part) != sum {
		t.Fatal("wrong file")
	}
}

// TestPauseResume pauses a download by cancelling its context, checks the
// sender can refuse while paused, then resumes it from where it stopped.
func TestPauseResume(t *testing.T) {
	a, b := p2ptest.RealPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{Checkpoint: 4 << 20}, lib.config())
	dir := t.TempDir()
	const size = 96 << 20
	path, sum := makeFile(t, dir, "movie.mkv", size, 21)
	lib.add("t1", path, size)
	o := offerFor("t1", path, size, sum)
	part := filepath.Join(dir, "t1.part")

	ctx, cancel := context.WithCancel(ctxT(t))
	var once sync.Once
	err := sa.Fetch(ctx, b.ID(), o, part, func(d int64) {
		if d >= 8<<20 {
			once.Do(func() {
				lib.pause("t1", true) // what the sender does on our Pause control
				cancel()
			})
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	paused := VerifiedOffset(part)
	fi, _ := os.Stat(part)
	if paused < 8<<20 || paused >= size || fi.Size() != paused {
		t.Fatalf("paused with %d verified, file %d bytes", paused, fi.Size())
	}

	// While the sender says paused, a Fetch is refused with its reason.
	err = sa.Fetch(ctxT(t), b.ID(), o, part, nil)
	if r, _ := Reason(err); !errors.Is(err, ErrRefused) || r != "the transfer is paused" {
		t.Fatalf("err = %v, want refusal: the transfer is paused", err)
	}
	if VerifiedOffset(part) != paused {
		t.Fatal("a refused fetch changed the partial file")
	}

	lib.pause("t1", false)
	var first int64 = -1
	if err := sa.Fetch(ctxT(t), b.ID(), o, part, func(d int64) {
		if first < 0 {
			first = d
		}
	}); err != nil {
		t.Fatal(err)
	}
	if first != paused {
		t.Fatalf("resumed from %d, want %d", first, paused)
	}
	if fileHash(t, part) != sum {
		t.Fatal("wrong file")
	}
}
