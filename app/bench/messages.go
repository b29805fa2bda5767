package main

import (
	"fmt"
	"io"
	"net"
	"time"

	"hearth/contacts"
)

// benchMessages: round trip (send → delivered ack, stored on both sides)
// and durable throughput to one contact, beside raw TCP on loopback.
func benchMessages() ([]result, error) {
	refRTT, refRate, err := tcpReference()
	if err != nil {
		return nil, err
	}
	a, b, cleanup, err := twoPeers(loopbackOpts())
	if err != nil {
		return nil, err
	}
	defer cleanup()
	to := b.m.MyPeerID()

	const rounds = 1000
	for i := 0; i < 50; i++ { // warm up streams and statements
		w, err := a.send(to, "warm-up")
		if err != nil {
			return nil, err
		}
		<-w
	}
	rtts := make([]time.Duration, 0, rounds)
	for i := 0; i < rounds; i++ {
		t0 := time.Now()
		w, err := a.send(to, fmt.Sprintf("round trip %d", i))
		if err != nil {
			return nil, err
		}
		select {
		case <-w:
		case <-time.After(10 * time.Second):
			return nil, fmt.Errorf("message %d not delivered", i)
		}
		rtts = append(rtts, time.Since(t0))
	}

	// Durable throughput: 20,000 messages wait in Alice's outbox while Bob
	// is offline; Bob comes back and every one is stored on his side
	// before it is acknowledged, and marked delivered on hers.
	const burst = 20000
	port := b.m.Port()
	b.m.Close()
	if err := waitFor("bob offline", 30*time.Second, func() bool { return presenceOf(a.m, to) == contacts.Offline }); err != nil {
		return nil, err
	}
	for i := 0; i < burst; i++ {
		if _, err := a.m.Chat.Send(to, fmt.Sprintf("burst %d", i)); err != nil {
			return nil, err
		}
	}
	opts := loopbackOpts()
	opts.Port = port
	t0 := time.Now()
	if err := b.restart(opts); err != nil {
		return nil, err
	}
	if err := waitFor("burst delivered", 300*time.Second, func() bool {
		time.Sleep(10 * time.Millisecond)
		waiting, err := a.m.Chat.HasUndelivered(to)
		return err == nil && !waiting
	}); err != nil {
		return nil, err
	}
	rate := burst / time.Since(t0).Seconds()

	return []result{
		{name: "msg_rtt_p50", value: ms(percentile(rtts, 0.5)), unit: "ms", ref: "tcp_rtt_p50", refVal: ms(percentile(refRTT, 0.5)), refU: "ms", target: "<= 1 ms"},
		{name: "msg_rtt_p99", value: ms(percentile(rtts, 0.99)), unit: "ms", ref: "tcp_rtt_p99", refVal: ms(percentile(refRTT, 0.99)), refU: "ms", target: "<= 5 ms"},
		{name: "msg_durable_throughput", value: rate, unit: "msg/s", ref: "tcp_64B_echo", refVal: refRate, refU: "msg/s", target: ">= 20000 msg/s"},
	}, nil
}

// tcpReference measures a 64-byte ping-pong round trip and a pipelined
// 64-byte echo rate over raw TCP on loopback.
func tcpReference() ([]time.Duration, float64, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, err
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, 0, err
	}
	defer c.Close()
	buf := make([]byte, 64)
	var rtts []time.Duration
	for i := 0; i < 2000; i++ {
		t0 := time.Now()
		if _, err := c.Write(buf); err != nil {
			return nil, 0, err
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			return nil, 0, err
		}
		rtts = append(rtts, time.Since(t0))
	}
	const n = 200000
	done := make(chan error, 1)
	go func() {
		rb := make([]byte, 64*1024)
		total := 0
		for total < n*64 {
			k, err := c.Read(rb)
			if err != nil {
				done <- err
				return
			}
			total += k
		}
		done <- nil
	}()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		if _, err := c.Write(buf); err != nil {
			return nil, 0, err
		}
	}
	if err := <-done; err != nil {
		return nil, 0, err
	}
	return rtts, n / time.Since(t0).Seconds(), nil
}
