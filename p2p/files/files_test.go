package files

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

func TestOfferStored(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	o := Offer{TransferID: "0123abcd", Name: "Grüße.txt", Size: 42, MIME: "text/plain", SHA256: [32]byte{1, 2, 3}, VoiceNote: true}
	for range 2 { // offers are idempotent; the receiver sees both
		if err := sa.Offer(ctxT(t), b.ID(), o); err != nil {
			t.Fatal(err)
		}
	}
	if len(lib.offers) != 2 || lib.offers[0] != o {
		t.Fatalf("stored %#v", lib.offers)
	}
}

func TestOfferRefusedWithReason(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	lib.offerErr = errors.New("your team does not allow files over 10 MB")
	sa, _ := pair(t, a, b, Config{}, lib.config())
	err := sa.Offer(ctxT(t), b.ID(), Offer{TransferID: "t1", Name: "big.iso", Size: 11 << 20})
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("err = %v, want ErrRefused", err)
	}
	if r, ok := Reason(err); !ok || r != lib.offerErr.Error() {
		t.Fatalf("reason %q %v", r, ok)
	}
	// app/core shows the text after the first ": ".
	if err.Error() != "refused: "+lib.offerErr.Error() {
		t.Fatalf("error text %q", err)
	}
}

func TestOfferWithoutOnOffer(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	sa, _ := pair(t, a, b, Config{}, Config{})
	err := sa.Offer(ctxT(t), b.ID(), Offer{TransferID: "t1", Name: "x"})
	if r, _ := Reason(err); !errors.Is(err, ErrRefused) || r != "not accepting files" {
		t.Fatalf("err = %v", err)
	}
}

func TestOfferInvalidNotSent(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	for _, o := range []Offer{
		{TransferID: "t", Name: "../../.bashrc"},
		{TransferID: "t", Name: "a\x00b"},
		{TransferID: "t", Name: strings.Repeat("n", 256)},
		{TransferID: "t", Name: "x", Size: -1},
		{TransferID: "t", Name: "x", Size: MaxSize + 1},
		{TransferID: "../t", Name: "x"},
		{Name: "x"},
	} {
		if err := sa.Offer(ctxT(t), b.ID(), o); !errors.Is(err, ErrInvalid) {
			t.Errorf("%#v: err = %v, want ErrInvalid", o, err)
		}
	}
	if len(lib.offers) != 0 {
		t.Fatalf("stored %v", lib.offers)
	}
}

func TestAllowFalseResets(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	var asked []peer.ID
	var mu sync.Mutex
	cfg := lib.config()
	cfg.Allow = func(p peer.ID) bool {
		mu.Lock()
		asked = append(asked, p)
		mu.Unlock()
		return false
	}
	sa, _ := pair(t, a, b, Config{}, cfg)
	dir := t.TempDir()
	path, sum := makeFile(t, dir, "f", 1000, 1)
	lib.add("t1", path, 1000)
	ctx := ctxT(t)
	errs := []error{
		sa.Offer(ctx, b.ID(), Offer{TransferID: "t1", Name: "x"}),
		sa.Control(ctx, b.ID(), Control{TransferID: "t1", Kind: Cancel}),
		sa.Fetch(ctx, b.ID(), offerFor("t1", path, 1000, sum), filepath.Join(dir, "p"), nil),
	}
	for i, err := range errs {
		if err == nil || errors.Is(err, ErrRefused) {
			t.Errorf("request %d: err = %v, want a reset (not a refusal)", i, err)
		}
	}
	if len(lib.offers)+len(lib.controls)+lib.fetchCount() != 0 {
		t.Fatal("a callback ran for a peer Allow refused")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 3 || asked[0] != a.ID() {
		t.Fatalf("Allow asked about %v", asked)
	}
}

func TestControlDelivered(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	want := []Control{
		{TransferID: "t1", Kind: Pause},
		{TransferID: "t1", Kind: Resume},
		{TransferID: "t1", Kind: Cancel, Reason: "Ann cancelled"},
		{TransferID: "t2", Kind: Decline, Reason: "not allowed by policy"},
		{TransferID: "t3", Kind: Received},
	}
	for _, c := range want {
		if err := sa.Control(ctxT(t), b.ID(), c); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(lib.controls, want) {
		t.Fatalf("got %v", lib.controls)
	}
	// A long reason with broken UTF-8 is cut and cleaned, not refused.
	long := strings.Repeat("é", 600) + "\xff"
	if err := sa.Control(ctxT(t), b.ID(), Control{TransferID: "t1", Kind: Cancel, Reason: long}); err != nil {
		t.Fatal(err)
	}
	got := lib.controls[len(lib.controls)-1].Reason
	if len(got) > wire.MaxReasonLen || !strings.HasPrefix(long, got) {
		t.Fatalf("reason of %d bytes", len(got))
	}
	if err := sa.Control(ctxT(t), b.ID(), Control{TransferID: "t1", Kind: 9}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown kind: %v", err)
	}
}

func TestFetchSmall(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	cfg := lib.config()
	cfg.ChunkSize = MinChunkSize // many chunks
	var served []int64           // the sender's progress
	var servedMu sync.Mutex
	cfg.OnServed = func(to peer.ID, id string, sent int64) {
		servedMu.Lock()
		defer servedMu.Unlock()
		if to == a.ID() && id == "t1" {
			served = append(served, sent)
		}
	}
	sa, _ := pair(t, a, b, Config{Checkpoint: 64 << 10}, cfg)
	dir := t.TempDir()
	const size = 1<<20 + 12345
	path, sum := makeFile(t, dir, "photo.jpg", size, 2)
	lib.add("t1", path, size)
	part := filepath.Join(dir, "t1.part")
	var prog []int64
	if err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, size, sum), part, func(d int64) { prog = append(prog, d) }); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, part) != sum {
		t.Fatal("the partial file is not the file")
	}
	if VerifiedOffset(part) != size {
		t.Fatalf("sidecar says %d", VerifiedOffset(part))
	}
	if len(prog) < 2 || prog[0] != 0 || prog[len(prog)-1] != size || !slices.IsSorted(prog) {
		t.Fatalf("progress %v", prog)
	}
	// The sender reports its last chunk after writing it, which may be
	// after the recipient has read it.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		servedMu.Lock()
		got := slices.Clone(served)
		servedMu.Unlock()
		if len(got) > 0 && got[len(got)-1] == size {
			if !slices.IsSorted(got) {
				t.Errorf("the sender's progress %v", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sender's progress %v never reached %d", got, size)
		}
	}
	// Fetching a complete part again costs no transfer: it verifies.
	n := lib.fetchCount()
	if err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, size, sum), part, nil); err != nil || lib.fetchCount() != n {
		t.Fatalf("refetch: %v, %d fetches", err, lib.fetchCount()-n)
	}
}

func TestFetchEmptyFile(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	path, sum := makeFile(t, dir, "empty", 0, 3)
	lib.add("t1", path, 0)
	part := filepath.Join(dir, "t1.part")
	if err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, 0, sum), part, nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(part); err != nil || fi.Size() != 0 {
		t.Fatalf("%v %v", fi, err)
	}
}

func TestFetchRefused(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	path, sum := makeFile(t, dir, "f", 5000, 4)
	lib.add("t1", path, 5000)
	lib.pause("t1", true)
	part := filepath.Join(dir, "t1.part")
	err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, 5000, sum), part, nil)
	if r, _ := Reason(err); !errors.Is(err, ErrRefused) || r != errPaused.Error() {
		t.Fatalf("paused: err = %v", err)
	}
	if err.Error() != "refused: the transfer is paused" {
		t.Fatalf("error text %q", err)
	}
	err = sa.Fetch(ctxT(t), b.ID(), offerFor("unknown", path, 5000, sum), part, nil)
	if r, _ := Reason(err); !errors.Is(err, ErrRefused) || r != "unknown file transfer" {
		t.Fatalf("unknown: err = %v", err)
	}
	// Without OnFetch everything is unknown.
	sc, _ := pair(t, b, a, Config{}, Config{})
	err = sc.Fetch(ctxT(t), a.ID(), offerFor("t1", path, 5000, sum), part, nil)
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("no OnFetch: err = %v", err)
	}
}

func TestFetchHashMismatch(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	path, sum := makeFile(t, dir, "f", 100000, 5)
	lib.add("t1", path, 100000)
	sum[0] ^= 1
	part := filepath.Join(dir, "t1.part")
	err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, 100000, sum), part, nil)
	if !errors.Is(err, ErrHashMismatch) {
		t.Fatalf("err = %v, want ErrHashMismatch", err)
	}
	if fi, _ := os.Stat(part); fi.Size() != 0 || VerifiedOffset(part) != 0 {
		t.Fatal("a damaged download was kept")
	}
}

func TestFetchSizeMismatch(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	path, sum := makeFile(t, dir, "f", 100000, 6)
	lib.add("t1", path, 90000)
	err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, 100000, sum), filepath.Join(dir, "p"), nil)
	if !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("err = %v, want ErrSizeMismatch", err)
	}
	// A file that shrank since it was offered is refused by the sender.
	lib.add("t1", path, 200000)
	err = sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, 200000, sum), filepath.Join(dir, "p"), nil)
	if r, _ := Reason(err); !errors.Is(err, ErrRefused) || !strings.Contains(r, "changed") {
		t.Fatalf("err = %v, want refusal", err)
	}
}

func TestFetchOffsetBeyondEndRefused(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	_, _ = pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	path, _ := makeFile(t, dir, "f", 1000, 7)
	lib.add("t1", path, 1000)
	rep := rawAsk(t, a, b.ID(), wire.FileRequest{Fetch: &wire.FileFetch{TransferID: "t1", Offset: 1001}})
	if rep.Status != wire.FileRefused || !strings.Contains(rep.Reason, "beyond the end") {
		t.Fatalf("reply %#v", rep)
	}
	// The end itself is fine: OK and no chunks.
	rep = rawAsk(t, a, b.ID(), wire.FileRequest{Fetch: &wire.FileFetch{TransferID: "t1", Offset: 1000}})
	if rep.Status != wire.FileOK || rep.Size != 1000 {
		t.Fatalf("reply %#v", rep)
	}
}

// rawAsk sends one request by hand and reads the reply.
func rawAsk(t *testing.T, a host.Host, p peer.ID, req wire.FileRequest) wire.FileReply {
	t.Helper()
	st, err := a.NewStream(ctxT(t), p, ID)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Reset()
	st.Write(p2ptest.RawFrame(req.Marshal()))
	st.CloseWrite()
	b, err := wire.ReadFrame(bufio.NewReader(st), wire.MaxFileRequestFrame)
	if err != nil {
		t.Fatal(err)
	}
	var rep wire.FileReply
	if err := rep.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestHostileFrames(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	_, _ = pair(t, a, b, Config{}, lib.config())
	bad := func(r wire.FileRequest) []byte { return p2ptest.RawFrame(r.Marshal()) }
	cases := map[string][]byte{
		"oversized announced": {0x80, 0x80, 0x40}, // 1 MiB
		"oversized frame":     p2ptest.RawFrame(make([]byte, wire.MaxFileRequestFrame+1)),
		"garbage":             p2ptest.RawFrame([]byte{0xff, 0xff, 0xff, 0x01, 0x02}),
		"wrong wire type":     p2ptest.RawFrame([]byte{0x08, 0x01}),
		"empty request":       p2ptest.RawFrame(nil),
		"two requests": bad(wire.FileRequest{Fetch: &wire.FileFetch{TransferID: "t"},
			Control: &wire.FileControl{TransferID: "t", Kind: wire.FilePause}}),
		"path in name":       bad(wire.FileRequest{Offer: &wire.FileOffer{TransferID: "t", Name: "../../x"}}),
		"nul in name":        bad(wire.FileRequest{Offer: &wire.FileOffer{TransferID: "t", Name: "a\x00"}}),
		"negative size":      bad(wire.FileRequest{Offer: &wire.FileOffer{TransferID: "t", Name: "a", Size: -1}}),
		"huge size":          bad(wire.FileRequest{Offer: &wire.FileOffer{TransferID: "t", Name: "a", Size: 1 << 40}}),
		"negative offset":    bad(wire.FileRequest{Fetch: &wire.FileFetch{TransferID: "t", Offset: -1}}),
		"traversal id":       bad(wire.FileRequest{Fetch: &wire.FileFetch{TransferID: "../t"}}),
		"unknown control":    bad(wire.FileRequest{Control: &wire.FileControl{TransferID: "t", Kind: 77}}),
		"short hash":         p2ptest.RawFrame([]byte("\x0a\x0b\x0a\x01t\x12\x01a\x2a\x03abc")),
		"truncated frame":    {0x10, 0x01},
		"nothing then close": nil,
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			st, err := a.NewStream(ctxT(t), b.ID(), ID)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Reset()
			st.Write(data)
			st.CloseWrite()
			p2ptest.ReadReset(t, st)
		})
	}
	if len(lib.offers)+len(lib.controls)+lib.fetchCount() != 0 {
		t.Fatal("a callback ran for a hostile request")
	}
	// And the service still works.
	sa := New(a, Config{})
	defer sa.Close()
	if err := sa.Offer(ctxT(t), b.ID(), Offer{TransferID: "ok", Name: "fine.txt"}); err != nil {
		t.Fatal(err)
	}
}

// hostileServer answers every fetch with a reply of the offered size and
// then whatever frames send writes.
func hostileServer(t *testing.T, size int64, send func(st network.Stream)) (*Service, peer.ID) {
	a, b := p2ptest.MockPair(t)
	b.SetStreamHandler(ID, func(st network.Stream) {
		defer st.Reset()
		if _, err := wire.ReadFrame(bufio.NewReader(st), wire.MaxFileRequestFrame); err != nil {
			return
		}
		st.Write(p2ptest.RawFrame(wire.FileReply{Status: wire.FileOK, Size: size}.Marshal()))
		send(st)
		time.Sleep(50 * time.Millisecond)
	})
	sa := New(a, Config{})
	t.Cleanup(func() { sa.Close() })
	return sa, b.ID()
}

func TestHostileSender(t *testing.T) {
	const size = 10000
	data := make([]byte, size)
	chunk := func(off int64, d []byte) []byte {
		return p2ptest.RawFrame(wire.FileChunk{Offset: off, Data: d, CRC: crc32.Checksum(d, castagnoli)}.Marshal())
	}
	cases := map[string]func(st network.Stream){
		"wrong offset":       func(st network.Stream) { st.Write(chunk(5, data[:100])) },
		"gap":                func(st network.Stream) { st.Write(chunk(0, data[:100])); st.Write(chunk(200, data[:100])) },
		"past the end":       func(st network.Stream) { st.Write(chunk(0, make([]byte, size+1))) },
		"oversized frame":    func(st network.Stream) { st.Write([]byte{0x80, 0x80, 0x80, 0x01}) },
		"garbage":            func(st network.Stream) { st.Write(p2ptest.RawFrame([]byte{0xff, 0xff, 0xff})) },
		"empty chunk":        func(st network.Stream) { st.Write(chunk(0, nil)) },
		"short stream":       func(st network.Stream) { st.Write(chunk(0, data[:100])); st.CloseWrite() },
		"chunk above limit":  func(st network.Stream) { st.Write(chunk(0, make([]byte, wire.MaxFileChunk+1))) },
		"truncated in chunk": func(st network.Stream) { st.Write(chunk(0, data[:100])[:50]); st.CloseWrite() },
	}
	for name, send := range cases {
		t.Run(name, func(t *testing.T) {
			sa, p := hostileServer(t, size, send)
			err := sa.Fetch(ctxT(t), p, Offer{TransferID: "t", Name: "x", Size: size}, filepath.Join(t.TempDir(), "p"), nil)
			if err == nil {
				t.Fatal("Fetch accepted a hostile stream")
			}
		})
	}
	// Bad replies.
	for name, rep := range map[string][]byte{
		"bad status":   p2ptest.RawFrame(wire.FileReply{Status: 9}.Marshal()),
		"garbage":      p2ptest.RawFrame([]byte{0xff}),
		"oversized":    {0x80, 0x80, 0x40},
		"no reply":     nil,
		"size differs": p2ptest.RawFrame(wire.FileReply{Status: wire.FileOK, Size: size + 1}.Marshal()),
	} {
		t.Run("reply "+name, func(t *testing.T) {
			a, b := p2ptest.MockPair(t)
			b.SetStreamHandler(ID, func(st network.Stream) {
				st.Write(rep)
				st.Close()
			})
			sa := New(a, Config{})
			defer sa.Close()
			err := sa.Fetch(ctxT(t), b.ID(), Offer{TransferID: "t", Name: "x", Size: size}, filepath.Join(t.TempDir(), "p"), nil)
			if err == nil || errors.Is(err, ErrRefused) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestCorruptChunkRefetched(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	cfg := lib.config()
	cfg.ChunkSize = 64 << 10
	sa, sb := pair(t, a, b, Config{}, cfg)
	dir := t.TempDir()
	const size = 1 << 20
	path, sum := makeFile(t, dir, "f", size, 8)
	lib.add("t1", path, size)
	var mu sync.Mutex
	damaged := 0
	sb.testChunk = func(off int64, d []byte) {
		mu.Lock()
		defer mu.Unlock()
		if off == 5*64<<10 && damaged < 3 { // the sixth chunk, three times
			d[100] ^= 0x40
			damaged++
		}
	}
	part := filepath.Join(dir, "t1.part")
	if err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, size, sum), part, nil); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, part) != sum {
		t.Fatal("wrong file")
	}
	if damaged != 3 || lib.fetchCount() != 4 {
		t.Fatalf("damaged %d chunks, %d fetches; want 3 and 4", damaged, lib.fetchCount())
	}
	// The source file itself is untouched (the hook damages the copy sent).
	if fileHash(t, path) != sum {
		t.Fatal("source changed")
	}
}

func TestCorruptForeverGivesUp(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, sb := pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	const size = 3 << 20
	path, sum := makeFile(t, dir, "f", size, 9)
	lib.add("t1", path, size)
	sb.testChunk = func(off int64, d []byte) {
		if off >= 2<<20 {
			d[0] ^= 1
		}
	}
	part := filepath.Join(dir, "t1.part")
	err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, size, sum), part, nil)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	if n := lib.fetchCount(); n != MaxCorruptRetries {
		t.Fatalf("%d fetches, want %d", n, MaxCorruptRetries)
	}
	// What was verified is kept.
	if off := VerifiedOffset(part); off != 2<<20 {
		t.Fatalf("verified %d, want %d", off, 2<<20)
	}
}

func TestResumeFromSidecar(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	sa, _ := pair(t, a, b, Config{}, lib.config())
	dir := t.TempDir()
	const size = 4<<20 + 7
	path, sum := makeFile(t, dir, "f", size, 10)
	lib.add("t1", path, size)
	src, _ := os.ReadFile(path)
	o := offerFor("t1", path, size, sum)
	cases := []struct {
		name    string
		prepare func(part string)
		from    int64 // the offset Fetch should resume from
	}{
		{"no sidecar: stale data is dropped", func(part string) {
			os.WriteFile(part, src[:3<<20], 0o600)
		}, 0},
		{"sidecar with hash, junk after it", func(part string) {
			writePart(t, part, src[:1<<20], 1<<20, true)
			f, _ := os.OpenFile(part, os.O_WRONLY|os.O_APPEND, 0)
			f.Write([]byte("junk written after the checkpoint"))
			f.Close()
		}, 1 << 20},
		{"sidecar without hash", func(part string) {
			writePart(t, part, src[:2<<20], 2<<20, false)
		}, 2 << 20},
		{"sidecar claims more than the file", func(part string) {
			writePart(t, part, src[:1<<20], 3<<20, false)
		}, 0},
		{"sidecar claims more than the offer", func(part string) {
			writePart(t, part, src[:1<<20], size+1, false)
		}, 0},
		{"damaged sidecar", func(part string) {
			os.WriteFile(part, src[:1<<20], 0o600)
			os.WriteFile(SidecarPath(part), []byte("hearth-part 1 x\n"), 0o600)
		}, 0},
		{"data changed since the checkpoint", func(part string) {
			bad := slices.Clone(src[:1<<20])
			writePart(t, part, bad, 1<<20, true)
			bad[7] ^= 1 // the data changed on disk after the checkpoint
			os.WriteFile(part, bad, 0o600)
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			part := filepath.Join(t.TempDir(), "t1.part")
			c.prepare(part)
			var first int64 = -1
			err := sa.Fetch(ctxT(t), b.ID(), o, part, func(d int64) {
				if first < 0 {
					first = d
				}
			})
			if first != c.from {
				t.Fatalf("resumed from %d, want %d", first, c.from)
			}
			if err != nil {
				t.Fatal(err)
			}
			if fileHash(t, part) != sum {
				t.Fatal("wrong file")
			}
		})
	}
}

// writePart writes a partial file and a sidecar claiming off bytes, with
// the hash state of data when withState.
func writePart(t *testing.T, part string, data []byte, off int64, withState bool) {
	t.Helper()
	if err := os.WriteFile(part, data, 0o600); err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("%s %d\n", sidecarMagic, off)
	if withState {
		line = fmt.Sprintf("%s %d %x\n", sidecarMagic, off, sha256.Sum256(data))
	}
	if err := os.WriteFile(SidecarPath(part), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFetchBusy(t *testing.T) {
	a, b := p2ptest.MockPair(t)
	lib := newSender()
	cfg := lib.config()
	cfg.ChunkSize = MinChunkSize
	sa, _ := pair(t, a, b, Config{}, cfg)
	dir := t.TempDir()
	const size = 8 << 20
	path, sum := makeFile(t, dir, "f", size, 11)
	lib.add("t1", path, size)
	part := filepath.Join(dir, "t1.part")
	started, release := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		once := sync.Once{}
		errc <- sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, size, sum), part, func(int64) {
			once.Do(func() { close(started); <-release })
		})
	}()
	<-started
	err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, size, sum), filepath.Join(dir, ".", "t1.part"), nil)
	close(release)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second Fetch: %v, want ErrBusy", err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestCloseDuringFetch(t *testing.T) {
	base := runtime.NumGoroutine()
	a, b := p2ptest.RealPair(t)
	lib := newSender()
	sb := New(b, lib.config())
	sa := New(a, Config{})
	dir := t.TempDir()
	const size = 128 << 20
	path, sum := makeFile(t, dir, "f", size, 12)
	lib.add("t1", path, size)
	part := filepath.Join(dir, "t1.part")
	errc := make(chan error, 1)
	once := sync.Once{}
	go func() {
		errc <- sa.Fetch(context.Background(), b.ID(), offerFor("t1", path, size, sum), part, func(d int64) {
			if d > 0 {
				once.Do(func() {
					go sa.Close()
					for !sa.isClosed() {
						time.Sleep(time.Millisecond)
					}
				})
			}
		})
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("err = %v, want ErrClosed", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Fetch did not return after Close")
	}
	if err := sa.Fetch(ctxT(t), b.ID(), offerFor("t1", path, size, sum), part, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Fetch after Close: %v", err)
	}
	if off := VerifiedOffset(part); off <= 0 || off > size {
		t.Fatalf("verified %d after Close", off)
	}
	sb.Close()
	a.Close()
	b.Close()
	p2ptest.WaitGoroutines(t, base)
}
