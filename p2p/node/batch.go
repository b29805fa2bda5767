package node

import (
	"context"
	"net"
	"sync"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/core/sec"
	"github.com/libp2p/go-libp2p/p2p/net/upgrader"
	tls "github.com/libp2p/go-libp2p/p2p/security/tls"
)

// TLS sends a record (at most 16 KiB) per write to the TCP connection and
// reads one per read, so a file streamed through yamux's 64 KiB messages
// costs four or five system calls on each side for every 64 KiB, and each
// wakes the other side. batchedTLS is libp2p's TLS transport with the
// records of one write gathered into one system call, and the connection
// read through a buffer that takes what the kernel has in one go. The
// bytes on the wire are the same.

const (
	// batchReadBuf is the read buffer under TLS: sixteen full records
	// (measured: a quarter faster than 64 KiB on a 1 GiB transfer).
	batchReadBuf = 256 << 10
	// maxBatch is the most a write gathers before it goes out.
	maxBatch = 256 << 10
)

// The buffers are lent by pools while a connection reads or writes in
// bulk and given back when empty: a hundred idle connections hold none.
var (
	readBufs  = sync.Pool{New: func() any { return new([batchReadBuf]byte) }}
	writeBufs = sync.Pool{New: func() any { b := make([]byte, 0, maxBatch); return &b }}
)

// batchedTLS wraps libp2p's TLS transport.
type batchedTLS struct{ *tls.Transport }

var _ sec.SecureTransport = (*batchedTLS)(nil)

// newBatchedTLS has the signature libp2p.Security wants.
func newBatchedTLS(id protocol.ID, key crypto.PrivKey, muxers []upgrader.StreamMuxer) (*batchedTLS, error) {
	t, err := tls.New(id, key, muxers)
	if err != nil {
		return nil, err
	}
	return &batchedTLS{t}, nil
}

func (t *batchedTLS) SecureInbound(ctx context.Context, insecure net.Conn, p peer.ID) (sec.SecureConn, error) {
	bc := newBatchConn(insecure)
	sc, err := t.Transport.SecureInbound(ctx, bc, p)
	if err != nil {
		return nil, err
	}
	return &batchedConn{SecureConn: sc, bc: bc}, nil
}

func (t *batchedTLS) SecureOutbound(ctx context.Context, insecure net.Conn, p peer.ID) (sec.SecureConn, error) {
	bc := newBatchConn(insecure)
	sc, err := t.Transport.SecureOutbound(ctx, bc, p)
	if err != nil {
		return nil, err
	}
	return &batchedConn{SecureConn: sc, bc: bc}, nil
}

// batchedConn is a TLS connection whose every Write leaves in as few
// system calls as possible.
type batchedConn struct {
	sec.SecureConn
	bc *batchConn
}

func (c *batchedConn) Write(b []byte) (int, error) {
	c.bc.begin()
	n, err := c.SecureConn.Write(b)
	if ferr := c.bc.end(); err == nil && ferr != nil {
		return 0, ferr
	}
	return n, err
}

// batchConn is the TCP connection under TLS: between begin and end it
// gathers what TLS writes and sends it at the end (or when maxBatch
// bytes are waiting); otherwise (the handshake, alerts, close) it writes
// at once. Reads go through a buffer that takes what the kernel has.
type batchConn struct {
	net.Conn

	// Read fields; TLS reads from one goroutine at a time.
	rbuf    *[batchReadBuf]byte // lent by readBufs while it holds data
	r, w    int                 // rbuf[r:w] is not read yet
	readErr error               // returned once the buffer is empty

	mu    sync.Mutex // guards the fields below and orders the writes
	depth int        // Writes under way; gathering while above zero
	buf   *[]byte    // gathered, not yet sent; lent by writeBufs
	err   error      // the first failed send, returned by end
}

func newBatchConn(c net.Conn) *batchConn { return &batchConn{Conn: c} }

func (c *batchConn) Read(b []byte) (int, error) {
	if c.r == c.w {
		if c.readErr != nil {
			err := c.readErr
			c.readErr = nil
			return 0, err
		}
		if len(b) >= batchReadBuf {
			return c.Conn.Read(b)
		}
		if c.rbuf == nil {
			c.rbuf = readBufs.Get().(*[batchReadBuf]byte)
		}
		n, err := c.Conn.Read(c.rbuf[:])
		c.r, c.w, c.readErr = 0, n, err
		if n == 0 {
			c.release()
			c.readErr = nil
			return 0, err
		}
	}
	n := copy(b, c.rbuf[c.r:c.w])
	c.r += n
	if c.r == c.w {
		c.release()
	}
	return n, nil
}

// release gives the empty read buffer back.
func (c *batchConn) release() {
	if c.rbuf != nil {
		readBufs.Put(c.rbuf)
		c.rbuf = nil
	}
	c.r, c.w = 0, 0
}

func (c *batchConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.depth == 0 {
		return c.Conn.Write(b)
	}
	if c.buf != nil && len(*c.buf)+len(b) > maxBatch {
		c.flushLocked()
	}
	if c.err != nil {
		return 0, c.err
	}
	if c.buf == nil {
		c.buf = writeBufs.Get().(*[]byte)
	}
	*c.buf = append(*c.buf, b...)
	return len(b), nil
}

func (c *batchConn) begin() {
	c.mu.Lock()
	c.depth++
	c.mu.Unlock()
}

// end sends what was gathered once the last Write under way is done, and
// reports a send that failed.
func (c *batchConn) end() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.depth--
	if c.depth == 0 {
		c.flushLocked()
	}
	err := c.err
	if c.depth == 0 {
		c.err = nil
	}
	return err
}

// flushLocked sends what was gathered and gives the buffer back.
func (c *batchConn) flushLocked() {
	if c.buf == nil {
		return
	}
	if len(*c.buf) > 0 && c.err == nil {
		_, c.err = c.Conn.Write(*c.buf)
	}
	if cap(*c.buf) <= maxBatch {
		*c.buf = (*c.buf)[:0]
		writeBufs.Put(c.buf)
	}
	c.buf = nil
}
