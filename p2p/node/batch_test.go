package node

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	tls "github.com/libp2p/go-libp2p/p2p/security/tls"
	ma "github.com/multiformats/go-multiaddr"
)

// recordConn is a net.Conn that records every write it is asked for.
type recordConn struct {
	net.Conn
	writes [][]byte
	fail   error
}

func (c *recordConn) Write(b []byte) (int, error) {
	if c.fail != nil {
		return 0, c.fail
	}
	c.writes = append(c.writes, append([]byte(nil), b...))
	return len(b), nil
}

// TestBatchConnGathers: writes between begin and end leave as one write at
// the end (nested Writes: at the last end), in order; writes outside go
// at once; a batch over maxBatch goes out in pieces of at most that, and
// a failed send is reported by end.
func TestBatchConnGathers(t *testing.T) {
	rc := &recordConn{}
	c := newBatchConn(rc)
	c.Write([]byte("alert"))
	if len(rc.writes) != 1 {
		t.Fatalf("a write outside a batch waited: %d writes", len(rc.writes))
	}
	c.begin()
	c.Write([]byte("one "))
	c.begin()
	c.Write([]byte("two "))
	if err := c.end(); err != nil || len(rc.writes) != 1 {
		t.Fatalf("inner end sent (%d writes) or failed: %v", len(rc.writes), err)
	}
	c.Write([]byte("three"))
	if err := c.end(); err != nil {
		t.Fatal(err)
	}
	if len(rc.writes) != 2 || string(rc.writes[1]) != "one two three" {
		t.Fatalf("writes %q", rc.writes)
	}

	rc.writes = nil
	big := make([]byte, 16<<10)
	var want []byte
	c.begin()
	for i := range 40 {
		big[0] = byte(i)
		c.Write(big)
		want = append(want, big...)
	}
	c.end()
	got := bytes.Join(rc.writes, nil)
	if !bytes.Equal(got, want) {
		t.Fatal("gathered bytes differ from the written ones")
	}
	for _, w := range rc.writes {
		if len(w) > maxBatch {
			t.Fatalf("a send of %d bytes, limit %d", len(w), maxBatch)
		}
	}
	if len(rc.writes) != (len(want)+maxBatch-1)/maxBatch {
		t.Fatalf("%d sends for %d bytes", len(rc.writes), len(want))
	}

	rc.fail = errors.New("connection reset")
	c.begin()
	c.Write([]byte("lost"))
	if err := c.end(); err == nil {
		t.Fatal("a failed send was not reported")
	}
}

// TestBatchedTLSCarriesStreams: two nodes over TCP and TLS (the batched
// transport) carry several streams both ways at once, byte for byte.
func TestBatchedTLSCarriesStreams(t *testing.T) {
	a := start(t, Config{Port: -1})
	b := start(t, Config{Port: -1})
	const proto = "/hearth/test-echo/1"
	b.Host.SetStreamHandler(proto, func(s network.Stream) {
		defer s.Close()
		io.Copy(s, s)
	})
	var tcp []ma.Multiaddr
	for _, addr := range b.Host.Addrs() {
		if _, err := addr.ValueForProtocol(ma.P_TCP); err == nil {
			tcp = append(tcp, addr)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Host.Connect(ctx, peer.AddrInfo{ID: b.Host.ID(), Addrs: tcp}); err != nil {
		t.Fatal(err)
	}
	conns := a.Host.Network().ConnsToPeer(b.Host.ID())
	if len(conns) != 1 || conns[0].ConnState().Security != tls.ID {
		t.Fatalf("connections %v, want one over TLS", conns)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 9))
			data := make([]byte, 3<<20+i*777)
			for j := range data {
				data[j] = byte(r.Uint32())
			}
			s, err := a.Host.NewStream(ctx, b.Host.ID(), proto)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			go func() {
				// Odd write sizes: some below a record, some many records.
				for rest := data; len(rest) > 0; {
					n := min(len(rest), 1+r.IntN(200_000))
					if _, err := s.Write(rest[:n]); err != nil {
						return
					}
					rest = rest[n:]
				}
				s.CloseWrite()
			}()
			got, err := io.ReadAll(s)
			if err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(got, data) {
				errs <- errors.New("echoed bytes differ")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestBatchConnReads: reads through the buffer return the bytes in order
// in any read sizes, then the connection's EOF; the buffer is given back
// whenever it is empty, so an idle connection holds none.
func TestBatchConnReads(t *testing.T) {
	a, b := net.Pipe()
	want := make([]byte, 3*batchReadBuf+123)
	for i := range want {
		want[i] = byte(i * 13)
	}
	go func() {
		for rest := want; len(rest) > 0; {
			n := min(len(rest), 70_000)
			a.Write(rest[:n])
			rest = rest[n:]
		}
		a.Close()
	}()
	c := newBatchConn(b)
	var got []byte
	sizes := []int{1, 12, 16 << 10, batchReadBuf, 5}
	for i := 0; ; i++ {
		p := make([]byte, sizes[i%len(sizes)])
		n, err := c.Read(p)
		got = append(got, p[:n]...)
		if c.r == c.w && c.rbuf != nil {
			t.Fatal("an empty read buffer was kept")
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want %d (or different bytes)", len(got), len(want))
	}
}
