// Package p2ptest holds the helpers the p2p protocol packages' tests
// share: host pairs on a mocknet or on loopback, a test context, a
// goroutine-leak check and ways to throw raw bytes at a protocol handler.
// It is imported by tests only.
package p2ptest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	yamux "github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	noise "github.com/libp2p/go-libp2p/p2p/security/noise"
	tcp "github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"hearth/p2p/wire"
)

// MockPair returns two connected hosts on a mocknet, closed with the test.
func MockPair(t testing.TB) (host.Host, host.Host) {
	t.Helper()
	mn, err := mocknet.FullMeshConnected(2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mn.Close() })
	hs := mn.Hosts()
	return hs[0], hs[1]
}

// RealHost starts a libp2p host listening on loopback TCP only. The
// caller closes it.
func RealHost(t testing.TB) host.Host {
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

// RealPair starts two loopback hosts and connects them. They are closed
// with the test; a test of goroutine hygiene may close them earlier
// (closing a host twice is harmless).
func RealPair(t testing.TB) (host.Host, host.Host) {
	t.Helper()
	a, b := RealHost(t), RealHost(t)
	t.Cleanup(func() { a.Close(); b.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// Context returns a context that ends after d or with the test.
func Context(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// WaitGoroutines waits until no more than base+slack goroutines run, and
// fails the test with a dump of them if that takes more than 10 s.
func WaitGoroutines(t testing.TB, base int) {
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

// RawFrame builds a frame from raw bytes.
func RawFrame(payload []byte) []byte {
	var sb strings.Builder
	wire.WriteFrame(&sb, payload)
	return []byte(sb.String())
}

// ReadReset reads st to its end and fails unless the peer reset it within
// 5 s. (mocknet streams ignore deadlines, hence the timer.)
func ReadReset(t testing.TB, st network.Stream) {
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

// SendRaw opens a stream from a to p on protocol id, writes data, closes
// its writing side and fails unless p resets the stream.
func SendRaw(t testing.TB, a host.Host, p peer.ID, id protocol.ID, data []byte) {
	t.Helper()
	st, err := a.NewStream(Context(t, 10*time.Second), p, id)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Reset()
	st.Write(data)
	st.CloseWrite()
	ReadReset(t, st)
}

// ExpectIdleReset opens a stream from a to p on protocol id, sends
// nothing, and fails unless p resets it within 3 s (the service under test
// runs with a short timeout). a and p must be real hosts: mocknet streams
// ignore deadlines.
func ExpectIdleReset(t testing.TB, a host.Host, p peer.ID, id protocol.ID) {
	t.Helper()
	st, err := a.NewStream(Context(t, 10*time.Second), p, id)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.ReadAll(st)
	if !errors.Is(err, network.ErrReset) || time.Since(start) > 3*time.Second {
		t.Fatalf("silent stream: %v after %v, want reset after ~200ms", err, time.Since(start))
	}
}
