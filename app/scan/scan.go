// Package scan checks received files with ClamAV's daemon, clamd.
//
// It speaks clamd's socket protocol directly (see clamd(8)): commands are
// prefixed with "z" and end with a NUL byte, and so do the replies.
//
//	zPING\0                → PONG\0
//	zINSTREAM\0, then chunks: a 4-byte big-endian length and that many
//	bytes, ended by a zero-length chunk
//	                       → stream: OK\0
//	                       | stream: Eicar-Signature FOUND\0
//	                       | INSTREAM size limit exceeded. ERROR\0
//
// The file is streamed, so clamd needs no access to it (it usually runs as
// its own user), and nothing is ever written to clamd's configuration.
package scan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// Timeouts, variables so that tests can shorten them. A context's deadline,
// when earlier, wins.
var (
	dialTimeout = 5 * time.Second
	// ioTimeout bounds each write of a chunk: a clamd that stops reading
	// for this long is given up on.
	ioTimeout = 30 * time.Second
	// replyTimeout bounds the wait for the verdict once the whole file has
	// been sent; clamd scans only then, and big archives take a while.
	replyTimeout = 2 * time.Minute
	// findTimeout bounds each PING in Find.
	findTimeout = time.Second
)

// chunkSize is how much of the file goes in one INSTREAM chunk. clamd
// refuses chunks above its StreamMaxLength, whose default is 25 MB.
const chunkSize = 64 << 10

// maxReply bounds what is read of clamd's answer.
const maxReply = 4 << 10

// DefaultSockets are where distributions put clamd's local socket (Debian
// and Ubuntu, older layouts, Fedora and RHEL). Find tries them in order.
var DefaultSockets = []string{
	"/run/clamav/clamd.ctl",
	"/var/run/clamav/clamd.ctl",
	"/var/run/clamd.scan/clamd.sock",
	"/run/clamd.scan/clamd.sock",
}

// Scanner is a client of one clamd. Its methods are safe for concurrent
// use; each call opens its own connection.
type Scanner struct {
	network, address string
}

// Result is clamd's verdict on a file.
type Result struct {
	Infected  bool
	Signature string // the signature that matched, when Infected
}

// New returns a client for clamd at addr: "unix:/path/clamd.ctl", a plain
// socket path ("/run/clamav/clamd.ctl"), or "tcp:127.0.0.1:3310" (a bare
// "host:port" is read as TCP too). It does not connect.
func New(addr string) *Scanner {
	switch {
	case strings.HasPrefix(addr, "unix:"):
		return &Scanner{"unix", strings.TrimPrefix(addr, "unix:")}
	case strings.HasPrefix(addr, "tcp:"):
		return &Scanner{"tcp", strings.TrimPrefix(addr, "tcp:")}
	case strings.Contains(addr, "/"):
		return &Scanner{"unix", addr}
	}
	return &Scanner{"tcp", addr}
}

// String returns the address in the form New accepts.
func (s *Scanner) String() string { return s.network + ":" + s.address }

// Find returns a scanner for configured when it is set (whether or not it
// answers: a configured scanner that is down should show up as errors, not
// as files quietly left unscanned), else for the first of DefaultSockets
// whose clamd answers PING, else nil.
func Find(configured string) *Scanner {
	if configured != "" {
		return New(configured)
	}
	for _, path := range DefaultSockets {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		s := New("unix:" + path)
		ctx, cancel := context.WithTimeout(context.Background(), findTimeout)
		err := s.Ping(ctx)
		cancel()
		if err == nil {
			return s
		}
	}
	return nil
}

// Ping checks that clamd answers.
func (s *Scanner) Ping(ctx context.Context) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := closeOnCancel(ctx, conn)
	defer stop()
	if err := s.send(ctx, conn, []byte("zPING\x00"), ioTimeout); err != nil {
		return err
	}
	reply, err := s.reply(ctx, conn, ioTimeout)
	if err != nil {
		return err
	}
	if reply != "PONG" {
		return fmt.Errorf("%w: PING answered with %q", ErrScanFailed, reply)
	}
	return nil
}

// ScanFile streams the file at path to clamd and returns its verdict.
// Errors wrap ErrUnavailable, ErrTimeout, ErrTooLarge or ErrScanFailed, or
// are the file's own (it cannot be opened or read).
func (s *Scanner) ScanFile(ctx context.Context, path string) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, fmt.Errorf("scanning: %w", err)
	}
	defer f.Close()
	return s.Scan(ctx, f)
}

// Scan streams r to clamd and returns its verdict; see ScanFile.
func (s *Scanner) Scan(ctx context.Context, r io.Reader) (Result, error) {
	conn, err := s.dial(ctx)
	if err != nil {
		return Result{}, err
	}
	defer conn.Close()
	stop := closeOnCancel(ctx, conn)
	defer stop()

	w := bufio.NewWriterSize(conn, 4+chunkSize)
	sendErr := s.stream(ctx, conn, w, r)
	var readErr *readError
	if errors.As(sendErr, &readErr) {
		return Result{}, sendErr
	}
	// clamd may have answered early (a size limit) and closed its end, in
	// which case the write failed: its answer says why.
	wait := replyTimeout
	if sendErr != nil {
		wait = time.Second
	}
	reply, err := s.reply(ctx, conn, wait)
	if err != nil {
		if sendErr != nil {
			return Result{}, sendErr
		}
		return Result{}, err
	}
	return parseScanReply(reply)
}

// readError is a failure to read the file being scanned, as opposed to a
// failure to talk to clamd.
type readError struct{ err error }

func (e *readError) Error() string { return "reading the file to scan: " + e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// stream sends the INSTREAM command, r in chunks, and the final empty chunk.
func (s *Scanner) stream(ctx context.Context, conn net.Conn, w *bufio.Writer, r io.Reader) error {
	if _, err := w.WriteString("zINSTREAM\x00"); err != nil {
		return s.connErr(ctx, "sending", err)
	}
	buf := make([]byte, chunkSize)
	var size [4]byte
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			conn.SetWriteDeadline(deadline(ctx, ioTimeout))
			binary.BigEndian.PutUint32(size[:], uint32(n))
			w.Write(size[:])
			w.Write(buf[:n])
			if err := w.Flush(); err != nil {
				return s.connErr(ctx, "sending", err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return &readError{rerr}
		}
	}
	conn.SetWriteDeadline(deadline(ctx, ioTimeout))
	w.Write([]byte{0, 0, 0, 0})
	if err := w.Flush(); err != nil {
		return s.connErr(ctx, "sending", err)
	}
	return nil
}

// parseScanReply reads clamd's verdict on a stream.
func parseScanReply(reply string) (Result, error) {
	body, ok := strings.CutPrefix(reply, "stream: ")
	switch {
	case ok && body == "OK":
		return Result{}, nil
	case ok && (body == "FOUND" || strings.HasSuffix(body, " FOUND")):
		sig := strings.TrimSpace(strings.TrimSuffix(body, "FOUND"))
		if sig == "" {
			sig = "unknown"
		}
		return Result{Infected: true, Signature: sig}, nil
	case strings.Contains(reply, "size limit exceeded"):
		return Result{}, fmt.Errorf("%w: clamd said %q", ErrTooLarge, reply)
	}
	return Result{}, fmt.Errorf("%w: clamd said %q", ErrScanFailed, reply)
}

func (s *Scanner) dial(ctx context.Context) (net.Conn, error) {
	d := net.Dialer{Timeout: dialTimeout}
	conn, err := d.DialContext(ctx, s.network, s.address)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("connecting to clamd at %s: %w (%w)", s, ErrTimeout, ctx.Err())
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("connecting to clamd at %s: %w", s, ctx.Err())
		}
		return nil, fmt.Errorf("connecting to clamd at %s: %w (%v)", s, ErrUnavailable, err)
	}
	return conn, nil
}

// send writes a whole command.
func (s *Scanner) send(ctx context.Context, conn net.Conn, cmd []byte, timeout time.Duration) error {
	conn.SetWriteDeadline(deadline(ctx, timeout))
	if _, err := conn.Write(cmd); err != nil {
		return s.connErr(ctx, "sending", err)
	}
	return nil
}

// reply reads one NUL-terminated answer (or one ended by clamd closing the
// connection), without the NUL and surrounding space.
func (s *Scanner) reply(ctx context.Context, conn net.Conn, timeout time.Duration) (string, error) {
	conn.SetReadDeadline(deadline(ctx, timeout))
	var buf bytes.Buffer
	b := make([]byte, 512)
	for buf.Len() < maxReply {
		n, err := conn.Read(b)
		buf.Write(b[:n])
		if i := bytes.IndexByte(buf.Bytes(), 0); i >= 0 {
			return strings.TrimSpace(string(buf.Bytes()[:i])), nil
		}
		if err == io.EOF && buf.Len() > 0 {
			return strings.TrimSpace(buf.String()), nil
		}
		if err != nil {
			return "", s.connErr(ctx, "reading the answer", err)
		}
	}
	return "", fmt.Errorf("%w: answer longer than %d bytes", ErrScanFailed, maxReply)
}

// connErr classifies a failure on an open connection.
func (s *Scanner) connErr(ctx context.Context, doing string, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s to clamd at %s: %w (%w)", doing, s, ErrTimeout, ctx.Err())
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s to clamd at %s: %w", doing, s, ctx.Err())
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			// The connection's deadline was the context's, which has
			// passed even if ctx has not noticed yet.
			return fmt.Errorf("%s to clamd at %s: %w (%w)", doing, s, ErrTimeout, context.DeadlineExceeded)
		}
		return fmt.Errorf("%s to clamd at %s: %w", doing, s, ErrTimeout)
	}
	return fmt.Errorf("%s to clamd at %s: %w (%v)", doing, s, ErrUnavailable, err)
}

// deadline is now+timeout, or the context's deadline when earlier.
func deadline(ctx context.Context, timeout time.Duration) time.Time {
	d := time.Now().Add(timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// closeOnCancel unblocks any read or write on conn when ctx is done (the
// deadlines above only cover a context's deadline, not its cancellation).
func closeOnCancel(ctx context.Context, conn net.Conn) (stop func() bool) {
	return context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
}
