package node

import (
	"context"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// limitedHost opens every stream with permission to use a limited
// connection: between two homes behind NATs the first (and, behind a
// symmetric NAT, the only) connection runs through a relay, and chat,
// presence, requests and call signalling must work over it. A relay's own
// limits (duration, bytes) still end such a connection; what was cut off
// is retried on the next connection, direct after a hole punch.
type limitedHost struct{ host.Host }

// limitedReason names Hearth in the permission (libp2p logs it).
const limitedReason = "hearth"

func (h limitedHost) NewStream(ctx context.Context, p peer.ID, pids ...protocol.ID) (network.Stream, error) {
	return h.Host.NewStream(network.WithAllowLimitedConn(ctx, limitedReason), p, pids...)
}

// Connected reports whether any connection to p is up, a limited
// (relayed) one included.
func Connected(h host.Host, p peer.ID) bool {
	c := h.Network().Connectedness(p)
	return c == network.Connected || c == network.Limited
}

// Relayed reports whether every connection to p is relayed: no direct one
// is up (yet).
func Relayed(h host.Host, p peer.ID) bool {
	conns := h.Network().ConnsToPeer(p)
	for _, c := range conns {
		if !isRelayed(c.RemoteMultiaddr()) {
			return false
		}
	}
	return len(conns) > 0
}

// RelayOf returns the relay's peer ID of a relayed connection to p, or ""
// when a direct connection is up or none at all.
func RelayOf(h host.Host, p peer.ID) peer.ID {
	if !Relayed(h, p) {
		return ""
	}
	for _, c := range h.Network().ConnsToPeer(p) {
		if id, err := relayID(c.RemoteMultiaddr()); err == nil {
			return id
		}
	}
	return ""
}

// Connect counts a limited (relayed) connection as connected, and takes
// one when a relay is the only way: the hole punch that follows replaces
// it with a direct connection when the NATs allow.
func (h limitedHost) Connect(ctx context.Context, ai peer.AddrInfo) error {
	return h.Host.Connect(network.WithAllowLimitedConn(ctx, limitedReason), ai)
}
