package node

import (
	"context"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	tls "github.com/libp2p/go-libp2p/p2p/security/tls"
	ma "github.com/multiformats/go-multiaddr"
)

func TestRankDials(t *testing.T) {
	addrs := func(ss ...string) []ma.Multiaddr {
		var out []ma.Multiaddr
		for _, s := range ss {
			out = append(out, ma.StringCast(s))
		}
		return out
	}
	first := func(ds []network.AddrDelay) ma.Multiaddr {
		best := ds[0]
		for _, d := range ds[1:] {
			if d.Delay < best.Delay {
				best = d
			}
		}
		return best.Addr
	}
	cases := []struct {
		name  string
		addrs []ma.Multiaddr
		first string
	}{
		{"LAN: TCP first", addrs("/ip4/192.168.1.5/udp/47470/quic-v1", "/ip4/192.168.1.5/tcp/47470"), "/ip4/192.168.1.5/tcp/47470"},
		{"loopback: TCP first", addrs("/ip4/127.0.0.1/udp/1/quic-v1", "/ip4/127.0.0.1/tcp/2"), "/ip4/127.0.0.1/tcp/2"},
		{"internet: QUIC first", addrs("/ip4/203.0.113.9/tcp/47470", "/ip4/203.0.113.9/udp/47470/quic-v1"), "/ip4/203.0.113.9/udp/47470/quic-v1"},
		{"LAN QUIC only", addrs("/ip4/10.0.0.2/udp/47470/quic-v1"), "/ip4/10.0.0.2/udp/47470/quic-v1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := rankDials(c.addrs)
			if len(ds) != len(c.addrs) {
				t.Fatalf("%d dials for %d addresses", len(ds), len(c.addrs))
			}
			if got := first(ds).String(); got != c.first {
				t.Fatalf("dials %s first, want %s", got, c.first)
			}
		})
	}
}

// TestLoopbackConnectionIsTCPWithTLS: two nodes that both listen on TCP
// and QUIC end up on TCP, secured by TLS.
func TestLoopbackConnectionIsTCPWithTLS(t *testing.T) {
	a := start(t, Config{Port: -1})
	b := start(t, Config{Port: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Host.Connect(ctx, info(b)); err != nil {
		t.Fatalf("connect: %v", err)
	}
	conns := a.Host.Network().ConnsToPeer(b.Host.ID())
	if len(conns) == 0 {
		t.Fatal("not connected")
	}
	for _, c := range conns {
		if st := c.ConnState(); st.Transport != "tcp" || st.Security != tls.ID {
			t.Fatalf("connected over %s with %s, want tcp with %s", st.Transport, st.Security, tls.ID)
		}
	}
}
