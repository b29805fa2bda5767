package files

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
)

func ctxT(t testing.TB) context.Context { return p2ptest.Context(t, 60*time.Second) }

// makeFile writes size pseudo-random bytes to a new file in dir, every
// fourth MiB left as a hole, and returns its path and SHA-256. ChaCha8
// fills a buffer at memory speed, so a GiB takes about a second.
func makeFile(t testing.TB, dir, name string, size int64, seed uint64) (string, [32]byte) {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rng := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), 'h', 'e', 'a', 'r', 't', 'h'})
	h := sha256.New()
	buf := make([]byte, 1<<20)
	zero := make([]byte, 1<<20)
	for off, i := int64(0), 0; off < size; i++ {
		n := min(int64(len(buf)), size-off)
		if i%4 == 3 {
			h.Write(zero[:n])
		} else {
			rng.Read(buf[:n])
			h.Write(buf[:n])
			if _, err := f.WriteAt(buf[:n], off); err != nil {
				t.Fatal(err)
			}
		}
		off += n
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return path, sum
}

func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

var errPaused = errors.New("the transfer is paused")

// sender is a file library behind OnFetch and a log of what arrived.
type sender struct {
	mu       sync.Mutex
	files    map[string]served // by transfer ID
	paused   map[string]bool
	fetches  []string
	offers   []Offer
	controls []Control
	offerErr error
}

type served struct {
	path string
	size int64
}

func newSender() *sender {
	return &sender{files: make(map[string]served), paused: make(map[string]bool)}
}

func (s *sender) add(id, path string, size int64) {
	s.mu.Lock()
	s.files[id] = served{path, size}
	s.mu.Unlock()
}

func (s *sender) pause(id string, p bool) {
	s.mu.Lock()
	s.paused[id] = p
	s.mu.Unlock()
}

func (s *sender) onFetch(_ peer.ID, id string) (string, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fetches = append(s.fetches, id)
	f, ok := s.files[id]
	switch {
	case !ok:
		return "", 0, errors.New("unknown file transfer")
	case s.paused[id]:
		return "", 0, errPaused
	}
	return f.path, f.size, nil
}

func (s *sender) onOffer(_ peer.ID, o Offer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.offerErr != nil {
		return s.offerErr
	}
	s.offers = append(s.offers, o)
	return nil
}

func (s *sender) onControl(_ peer.ID, c Control) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.controls = append(s.controls, c)
}

func (s *sender) fetchCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.fetches)
}

func (s *sender) config() Config {
	return Config{OnFetch: s.onFetch, OnOffer: s.onOffer, OnControl: s.onControl}
}

// pair starts services on a (sending, with lib) and b (fetching).
func pair(t testing.TB, a, b host.Host, acfg, bcfg Config) (*Service, *Service) {
	sa, sb := New(a, acfg), New(b, bcfg)
	t.Cleanup(func() { sa.Close(); sb.Close() })
	return sa, sb
}

// offerFor describes a file on disk as an offer.
func offerFor(id, path string, size int64, sum [32]byte) Offer {
	return Offer{TransferID: id, Name: filepath.Base(path), Size: size, MIME: "application/octet-stream", SHA256: sum}
}
