package scan

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClamd serves clamd's protocol on a unix socket in a temp folder.
type fakeClamd struct {
	addr string
	ln   net.Listener
	wg   sync.WaitGroup

	mu     sync.Mutex // guards the fields below
	chunks []int      // sizes of the chunks of the last INSTREAM
	got    []byte     // the bytes of the last INSTREAM
}

// newFakeClamd starts a fake clamd; handle answers one INSTREAM given the
// bytes received (streamLimit > 0 makes it stop reading and answer with
// clamd's size error once that much has arrived).
func newFakeClamd(t *testing.T, handle func(data []byte) string, streamLimit int) *fakeClamd {
	t.Helper()
	// Socket paths are limited to about 100 bytes: keep it short.
	dir, err := os.MkdirTemp("", "clamd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "c.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeClamd{addr: "unix:" + sock, ln: ln}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			f.wg.Add(1)
			go func() {
				defer f.wg.Done()
				defer conn.Close()
				f.serve(conn, handle, streamLimit)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); f.wg.Wait() })
	return f
}

func (f *fakeClamd) serve(conn net.Conn, handle func([]byte) string, streamLimit int) {
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	cmd, err := readUntilNUL(conn)
	if err != nil {
		return
	}
	switch cmd {
	case "zPING":
		conn.Write([]byte("PONG\x00"))
	case "zINSTREAM":
		var data []byte
		var chunks []int
		for {
			var size [4]byte
			if _, err := io.ReadFull(conn, size[:]); err != nil {
				return
			}
			n := int(binary.BigEndian.Uint32(size[:]))
			if n == 0 {
				break
			}
			chunks = append(chunks, n)
			if streamLimit > 0 && len(data)+n > streamLimit {
				conn.Write([]byte("INSTREAM size limit exceeded. ERROR\x00"))
				return // and close, as clamd does
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(conn, buf); err != nil {
				return
			}
			data = append(data, buf...)
		}
		f.mu.Lock()
		f.chunks, f.got = chunks, data
		f.mu.Unlock()
		if reply := handle(data); reply != "" {
			conn.Write([]byte(reply + "\x00"))
		} else {
			// Never answer: wait until the client gives up.
			io.Copy(io.Discard, conn)
		}
	default:
		conn.Write([]byte("UNKNOWN COMMAND\x00"))
	}
}

func readUntilNUL(r io.Reader) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for len(b) < 64 {
		if _, err := r.Read(one); err != nil {
			return "", err
		}
		if one[0] == 0 {
			return string(b), nil
		}
		b = append(b, one[0])
	}
	return "", errors.New("command too long")
}

// verdict answers like clamd with one signature: files containing "VIRUS"
// are infected.
func verdict(data []byte) string {
	if bytes.Contains(data, []byte("VIRUS")) {
		return "stream: Test.Virus-1 FOUND"
	}
	return "stream: OK"
}

func writeFile(t *testing.T, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file.bin")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNew(t *testing.T) {
	cases := map[string]string{
		"unix:/run/clamav/clamd.ctl": "unix:/run/clamav/clamd.ctl",
		"/run/clamav/clamd.ctl":      "unix:/run/clamav/clamd.ctl",
		"relative/clamd.sock":        "unix:relative/clamd.sock",
		"tcp:127.0.0.1:3310":         "tcp:127.0.0.1:3310",
		"127.0.0.1:3310":             "tcp:127.0.0.1:3310",
		"tcp:[::1]:3310":             "tcp:[::1]:3310",
	}
	for in, want := range cases {
		if got := New(in).String(); got != want {
			t.Errorf("New(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPing(t *testing.T) {
	f := newFakeClamd(t, verdict, 0)
	if err := New(f.addr).Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "none.sock")
	if err := New(missing).Ping(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Ping(missing socket) = %v, want ErrUnavailable", err)
	}
}

func TestScanFile(t *testing.T) {
	f := newFakeClamd(t, verdict, 0)
	s := New(f.addr)
	ctx := context.Background()

	res, err := s.ScanFile(ctx, writeFile(t, []byte("a perfectly nice file")))
	if err != nil || res.Infected || res.Signature != "" {
		t.Errorf("clean file: %+v, %v", res, err)
	}
	if got := string(f.got); got != "a perfectly nice file" {
		t.Errorf("clamd received %q", got)
	}
	res, err = s.ScanFile(ctx, writeFile(t, []byte("here is a VIRUS")))
	if err != nil || !res.Infected || res.Signature != "Test.Virus-1" {
		t.Errorf("infected file: %+v, %v", res, err)
	}
	res, err = s.ScanFile(ctx, writeFile(t, nil))
	if err != nil || res.Infected {
		t.Errorf("empty file: %+v, %v", res, err)
	}
	if len(f.chunks) != 0 {
		t.Errorf("empty file sent chunks %v", f.chunks)
	}
	_, err = s.ScanFile(ctx, filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, ErrUnavailable) {
		t.Errorf("missing file: %v", err)
	}
}

func TestScanReplies(t *testing.T) {
	cases := []struct {
		reply     string
		infected  bool
		signature string
		err       error
	}{
		{"stream: OK", false, "", nil},
		{"stream: Win.Test.EICAR_HDB-1 FOUND", true, "Win.Test.EICAR_HDB-1", nil},
		{"stream: Heuristics.Phishing.Email.SpoofedDomain FOUND", true, "Heuristics.Phishing.Email.SpoofedDomain", nil},
		{"INSTREAM size limit exceeded. ERROR", false, "", ErrTooLarge},
		{"stream: Can't allocate memory ERROR", false, "", ErrScanFailed},
		{"COMMAND READ TIMED OUT", false, "", ErrScanFailed},
		{"stream: FOUND", true, "unknown", nil},
		{"something else entirely", false, "", ErrScanFailed},
	}
	for _, c := range cases {
		f := newFakeClamd(t, func([]byte) string { return c.reply }, 0)
		res, err := New(f.addr).ScanFile(context.Background(), writeFile(t, []byte("x")))
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("reply %q: err = %v, want %v", c.reply, err, c.err)
			} else if !strings.Contains(err.Error(), c.reply) {
				t.Errorf("reply %q: error %q does not quote clamd", c.reply, err)
			}
			continue
		}
		if err != nil || res.Infected != c.infected || res.Signature != c.signature {
			t.Errorf("reply %q: %+v, %v", c.reply, res, err)
		}
	}
}

// TestScanLargeFile streams a file far bigger than one chunk, and checks
// that it arrives whole, in chunks no bigger than chunkSize.
func TestScanLargeFile(t *testing.T) {
	f := newFakeClamd(t, verdict, 0)
	size := 10<<20 + 12345
	content := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
	copy(content[size-5:], "VIRUS") // only at the very end
	res, err := New(f.addr).ScanFile(context.Background(), writeFile(t, content))
	if err != nil || !res.Infected {
		t.Fatalf("large file: %+v, %v", res, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !bytes.Equal(f.got, content) {
		t.Errorf("clamd received %d bytes, want the %d of the file", len(f.got), size)
	}
	if len(f.chunks) < size/chunkSize {
		t.Errorf("%d chunks for %d bytes", len(f.chunks), size)
	}
	for _, n := range f.chunks {
		if n > chunkSize || n <= 0 {
			t.Fatalf("chunk of %d bytes", n)
		}
	}
}

// TestScanSizeLimit: clamd stops reading at its StreamMaxLength, answers
// with an error and closes; the client reports that, not a broken pipe.
func TestScanSizeLimit(t *testing.T) {
	f := newFakeClamd(t, verdict, 1<<20)
	_, err := New(f.addr).ScanFile(context.Background(), writeFile(t, make([]byte, 8<<20)))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over the stream limit: %v, want ErrTooLarge", err)
	}
}

func TestScanTimeout(t *testing.T) {
	// A clamd that takes the file and never answers.
	f := newFakeClamd(t, func([]byte) string { return "" }, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := New(f.addr).ScanFile(ctx, writeFile(t, []byte("x")))
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("silent clamd: %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v", d)
	}

	// Without a context deadline, replyTimeout applies.
	old := replyTimeout
	replyTimeout = 200 * time.Millisecond
	defer func() { replyTimeout = old }()
	if _, err := New(f.addr).ScanFile(context.Background(), writeFile(t, []byte("x"))); !errors.Is(err, ErrTimeout) {
		t.Errorf("silent clamd, no deadline: %v, want ErrTimeout", err)
	}

	// Cancelling stops a scan at once.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	replyTimeout = time.Minute
	if _, err := New(f.addr).ScanFile(ctx, writeFile(t, []byte("x"))); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scan: %v", err)
	}
}

// TestScanStalledReader: a clamd that accepts but never reads; the write
// side times out rather than hanging.
func TestScanStalledReader(t *testing.T) {
	dir, err := os.MkdirTemp("", "clamd")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "c.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	held := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			held <- c
		}
	}()
	defer func() {
		select {
		case c := <-held:
			c.Close()
		default:
		}
	}()
	old := ioTimeout
	ioTimeout = 300 * time.Millisecond
	defer func() { ioTimeout = old }()
	_, err = New(sock).ScanFile(context.Background(), writeFile(t, make([]byte, 32<<20)))
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("stalled clamd: %v, want ErrTimeout", err)
	}
}

func TestScanUnavailable(t *testing.T) {
	// A socket file nobody listens on, and a TCP port that refuses.
	dir := t.TempDir()
	sock := filepath.Join(dir, "dead.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := tl.Addr().String()
	tl.Close()
	for _, addr := range []string{sock, "tcp:" + port} {
		_, err := New(addr).ScanFile(context.Background(), writeFile(t, []byte("x")))
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s: %v, want ErrUnavailable", addr, err)
		}
	}
	// A clamd that hangs up without answering.
	f := newFakeClamd(t, func([]byte) string { return "" }, 0)
	f.ln.Close()
	f.wg.Wait()
	if _, err := New(f.addr).ScanFile(context.Background(), writeFile(t, []byte("x"))); !errors.Is(err, ErrUnavailable) {
		t.Errorf("closed listener: %v, want ErrUnavailable", err)
	}
}

func TestScanConcurrent(t *testing.T) {
	f := newFakeClamd(t, verdict, 0)
	s := New(f.addr)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf("file %d", i)
			if i%2 == 0 {
				body += " VIRUS"
			}
			res, err := s.ScanFile(context.Background(), writeFile(t, []byte(body)))
			if err != nil || res.Infected != (i%2 == 0) {
				t.Errorf("scan %d: %+v, %v", i, res, err)
			}
		}()
	}
	wg.Wait()
}

func TestFind(t *testing.T) {
	f := newFakeClamd(t, verdict, 0)
	live := strings.TrimPrefix(f.addr, "unix:")
	dir := t.TempDir()
	// A socket file left behind by a clamd that died.
	dead := filepath.Join(dir, "dead.sock")
	ln, err := net.Listen("unix", dead)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()

	old := DefaultSockets
	defer func() { DefaultSockets = old }()

	DefaultSockets = []string{filepath.Join(dir, "missing.sock"), dead, live}
	if s := Find(""); s == nil || s.String() != f.addr {
		t.Errorf("Find = %v, want %s", s, f.addr)
	}
	DefaultSockets = []string{filepath.Join(dir, "missing.sock"), dead}
	if s := Find(""); s != nil {
		t.Errorf("Find with no live clamd = %v, want nil", s)
	}
	// A configured address is used as it is, answering or not.
	if s := Find("tcp:127.0.0.1:1"); s == nil || s.String() != "tcp:127.0.0.1:1" {
		t.Errorf("Find(configured) = %v", s)
	}
}

func TestQuarantine(t *testing.T) {
	dir := t.TempDir()
	qdir := filepath.Join(dir, "quarantine")
	var paths []string
	for i := range 3 {
		src := filepath.Join(dir, "invoice.pdf")
		if err := os.WriteFile(src, []byte(fmt.Sprintf("bad %d", i)), 0o755); err != nil {
			t.Fatal(err)
		}
		q, err := Quarantine(src, qdir)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, q)
		if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("original still there: %v", err)
		}
		fi, err := os.Stat(q)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o400 {
			t.Errorf("%s: mode %v, want 0400", q, fi.Mode().Perm())
		}
		if b, _ := os.ReadFile(q); string(b) != fmt.Sprintf("bad %d", i) {
			t.Errorf("%s holds %q", q, b)
		}
	}
	want := []string{"invoice.pdf.quarantine", "invoice.pdf-2.quarantine", "invoice.pdf-3.quarantine"}
	for i, p := range paths {
		if filepath.Dir(p) != qdir || filepath.Base(p) != want[i] {
			t.Errorf("quarantined as %s, want %s", p, filepath.Join(qdir, want[i]))
		}
	}
	fi, err := os.Stat(qdir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("quarantine folder: %v, %v", fi.Mode(), err)
	}

	// An existing folder with loose permissions is tightened.
	loose := filepath.Join(dir, "loose")
	os.Mkdir(loose, 0o777)
	os.Chmod(loose, 0o777)
	src := filepath.Join(dir, "x")
	os.WriteFile(src, []byte("x"), 0o600)
	if _, err := Quarantine(src, loose); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(loose); fi.Mode().Perm() != 0o700 {
		t.Errorf("existing folder left at %v", fi.Mode().Perm())
	}

	if _, err := Quarantine(filepath.Join(dir, "missing"), qdir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Quarantine(qdir, qdir); err == nil {
		t.Error("quarantined a folder")
	}
}
