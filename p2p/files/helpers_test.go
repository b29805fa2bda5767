package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	yamux "github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	noise "github.com/libp2p/go-libp2p/p2p/security/noise"
	tcp "github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"hearth/p2p/wire"
)

// mockPair returns two connected hosts on a mocknet, closed with the test.
func mockPair(t testing.TB) (host.Host, host.Host) {
	t.Helper()
	mn, err := mocknet.FullMeshConnected(2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mn.Close() })
	hs := mn.Hosts()
	return hs[0], hs[1]
}

// realHost starts a libp2p host listening on loopback TCP only.
func realHost(t testing.TB) host.Host {
	t.Helper()
	h, err := libp2p.New(
		libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.DisableRelay(),
		libp2p.DisableMetrics(),
	)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// realPair starts two loopback hosts and connects them; they close with
// the test.
func realPair(t testing.TB) (host.Host, host.Host) {
	t.Helper()
	a, b := realHost(t), realHost(t)
	t.Cleanup(func() { a.Close(); b.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitGoroutines waits until no more than base+slack goroutines run.
func waitGoroutines(t testing.TB, base int) {
	t.Helper()
	const slack = 3
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base+slack {
		if time.Now().After(deadline) {
			var buf bytes.Buffer
			pprof.Lookup("goroutine").WriteTo(&buf, 1)
			t.Fatalf("%d goroutines left, started with %d:\n%s", runtime.NumGoroutine(), base, buf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

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

// rawFrame builds a frame from raw bytes.
func rawFrame(payload []byte) []byte {
	var sb strings.Builder
	wire.WriteFrame(&sb, payload)
	return []byte(sb.String())
}

// readReset reads st to its end and fails unless the peer reset it within
// 5 s. (mocknet streams ignore deadlines, hence the timer.)
func readReset(t *testing.T, st network.Stream) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(st)
		errc <- err
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, network.ErrReset) {
			t.Fatalf("read after hostile frame: %v, want stream reset", err)
		}
	case <-time.After(5 * time.Second):
		st.Reset()
		t.Fatal("peer neither reset nor closed the stream")
	}
}
