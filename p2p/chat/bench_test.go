package chat

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/p2ptest"
	"hearth/p2p/wire"
)

// The benchmarks run over real libp2p hosts on loopback (TCP, Noise,
// yamux) with an in-memory Deliver, beside the same exchange over a raw
// TCP socket for reference:
//
//	go test -run '^$' -bench . -benchtime 2s ./p2p/chat

const benchBody = 100 // bytes per message body

func benchMsg(i int) wire.ChatMessage {
	return wire.ChatMessage{ID: fmt.Sprintf("msg-%08d", i), Body: strings.Repeat("b", benchBody), SentAt: time.Now().UnixMilli()}
}

// memDeliver stands in for the store: it keeps messages in a map.
func memDeliver() func(peer.ID, wire.ChatMessage) error {
	stored := make(map[string]wire.ChatMessage)
	return func(_ peer.ID, m wire.ChatMessage) error {
		if len(stored) > 1<<16 {
			clear(stored)
		}
		stored[m.ID] = m
		return nil
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

func BenchmarkRoundTrip(b *testing.B) {
	x, y := p2ptest.RealPair(b)
	defer x.Close()
	defer y.Close()
	sender := New(x, Config{})
	defer sender.Close()
	receiver := New(y, Config{Deliver: memDeliver()})
	defer receiver.Close()
	ctx := context.Background()
	if _, err := sender.Send(ctx, y.ID(), []wire.ChatMessage{benchMsg(-1)}); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := sender.Send(ctx, y.ID(), []wire.ChatMessage{benchMsg(i)}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

func BenchmarkThroughput(b *testing.B) {
	for _, batch := range []int{64, 1024} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			x, y := p2ptest.RealPair(b)
			defer x.Close()
			defer y.Close()
			sender := New(x, Config{})
			defer sender.Close()
			receiver := New(y, Config{Deliver: memDeliver()})
			defer receiver.Close()
			ctx := context.Background()
			msgs := make([]wire.ChatMessage, batch)
			for i := range msgs {
				msgs[i] = benchMsg(i)
			}
			b.ResetTimer()
			start := time.Now()
			for sent := 0; sent < b.N; sent += batch {
				n := min(batch, b.N-sent)
				if acked, err := sender.Send(ctx, y.ID(), msgs[:n]); err != nil || len(acked) != n {
					b.Fatalf("%d acked: %v", len(acked), err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}

// rawServer answers every frame on a loopback TCP socket with an ack, the
// way the chat receiver does, without libp2p.
func rawServer(b *testing.B) (net.Conn, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r, w := bufio.NewReader(c), bufio.NewWriter(c)
		for {
			p, err := wire.ReadFrame(r, DefaultMaxFrame)
			if err != nil {
				return
			}
			var m wire.ChatMessage
			if m.Unmarshal(p) != nil {
				return
			}
			wire.WriteFrame(w, wire.ChatAck{ID: m.ID}.Marshal())
			if r.Buffered() == 0 && w.Flush() != nil {
				return
			}
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	return c, func() { c.Close(); ln.Close(); <-done }
}

func rawExchange(r *bufio.Reader, w *bufio.Writer, msgs []wire.ChatMessage) error {
	for _, m := range msgs {
		wire.WriteFrame(w, m.Marshal())
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for range msgs {
		p, err := wire.ReadFrame(r, maxAckFrame)
		if err != nil {
			return err
		}
		var a wire.ChatAck
		if err := a.Unmarshal(p); err != nil {
			return err
		}
	}
	return nil
}

func BenchmarkRawTCPRoundTrip(b *testing.B) {
	c, stop := rawServer(b)
	defer stop()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := rawExchange(r, w, []wire.ChatMessage{benchMsg(i)}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

func BenchmarkRawTCPThroughput(b *testing.B) {
	c, stop := rawServer(b)
	defer stop()
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	msgs := make([]wire.ChatMessage, 1024)
	for i := range msgs {
		msgs[i] = benchMsg(i)
	}
	b.ResetTimer()
	start := time.Now()
	for sent := 0; sent < b.N; sent += len(msgs) {
		n := min(len(msgs), b.N-sent)
		if err := rawExchange(r, w, msgs[:n]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}
