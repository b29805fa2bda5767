// Package node builds Hearth's libp2p host: an Ed25519 identity, TCP and
// QUIC transports listed explicitly (TCP dialled first on a LAN), TLS and
// Noise, yamux, the resource manager with limits, a connection manager and
// a connection gater that keeps blocked peers out; and what reaches across
// NATs: reuseport (outgoing connections leave from the listening port, so
// a NAT maps them like the listener), UPnP/NAT-PMP port mapping, AutoNAT
// v2, the circuit relay v2 client with reservations on relays the caller
// names (reserve.go), a relay service with Hearth's limits for peers the
// caller allows (relay.go), hole punching (DCUtR), and streams allowed on
// limited (relayed) connections (limited.go). It knows nothing about
// contacts or protocols: callers pass in what to block, whom to relay for
// and whom to ask for a relay, and register their own protocols.
package node

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	tls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
)

// DefaultPort is tried first so that contacts find us at the address they
// saw last time; when it is busy (a second instance on the same machine)
// the node falls back to a port the system picks.
const DefaultPort = 47470

// UserAgent is what identify tells other peers. It carries no name.
const UserAgent = "hearth/0.1"

// Config says how to build a node.
type Config struct {
	Key crypto.PrivKey
	// Port is the preferred TCP and UDP port; 0 means DefaultPort, and -1
	// means any free port.
	Port int
	// Loopback listens on 127.0.0.1 only (tests and benchmarks).
	Loopback bool
	// Blocked reports peers that must not connect at all. May be nil.
	Blocked func(peer.ID) bool
	// MayRelay reports peers this node keeps a relay slot for (contacts,
	// members of my groups); nil: no relay service.
	MayRelay func(peer.ID) bool
	// RelayCandidates lists peers that may relay for this node (contacts'
	// home nodes, public relays unless turned off); it is asked on every
	// pass of the reservation loop. nil: no reservations.
	RelayCandidates func() []peer.AddrInfo
}

// Node is a running libp2p host.
type Node struct {
	Host host.Host
	// Port is the port the node ended up on (it may differ from Config.Port
	// when that was busy).
	Port int

	cfg      Config
	relay    *relayService // nil without MayRelay
	observed *observed
	reserve  *reserver
}

// New starts a host listening on TCP and QUIC.
func New(cfg Config) (*Node, error) {
	if cfg.Key == nil {
		return nil, ErrNoKey
	}
	port := cfg.Port
	if port == 0 {
		port = DefaultPort
	}
	if port < 0 {
		port = 0
	}
	n, err := listen(cfg, port)
	if err != nil && port != 0 {
		// The preferred port is busy: any port will do.
		n, err = listen(cfg, 0)
	}
	if err != nil {
		return nil, fmt.Errorf("starting network: %w", err)
	}
	return n, nil
}

// listen starts a host and checks that it got its TCP port: libp2p
// tolerates a listener that fails as long as another one works, and a half
// listening node (QUIC only, say) would confuse contacts.
func listen(cfg Config, port int) (*Node, error) {
	// With reuseport on, a second instance would share a busy port
	// silently (the kernel splitting connections between them): take the
	// port alone for a moment first, to see that it is free.
	if port != 0 && portBusy(cfg.Loopback, port) {
		return nil, ErrPortBusy
	}
	h, err := newHost(cfg, port)
	if err != nil {
		return nil, err
	}
	n := &Node{Host: limitedHost{h}, cfg: cfg}
	for _, a := range h.Network().ListenAddresses() {
		if p, err := a.ValueForProtocol(ma.P_TCP); err == nil {
			n.Port, _ = strconv.Atoi(p)
			break
		}
	}
	if n.Port == 0 {
		h.Close()
		return nil, ErrPortBusy
	}
	if err := n.start(); err != nil {
		h.Close()
		return nil, err
	}
	return n, nil
}

// start runs what sits beside the host: the relay service, the record of
// observed addresses and the reservation loop.
func (n *Node) start() error {
	if n.cfg.MayRelay != nil {
		// Only a node others can dial is any use as a relay.
		allow := func(p peer.ID) bool { return n.cfg.MayRelay(p) && publicNow(n.Host) }
		if n.cfg.Loopback {
			allow = n.cfg.MayRelay // tests: loopback is as public as it gets
		}
		r, err := newRelayService(n.Host, allow)
		if err != nil {
			return fmt.Errorf("relay service: %w", err)
		}
		n.relay = r
	}
	o, err := newObserved(n.Host)
	if err != nil {
		return err
	}
	n.observed = o
	n.reserve = newReserver(n.Host, n.cfg.RelayCandidates)
	return nil
}

func listenAddrs(loopback bool, port int) []string {
	ips := []string{"/ip4/0.0.0.0", "/ip6/::"}
	if loopback {
		ips = []string{"/ip4/127.0.0.1"}
	}
	var out []string
	for _, ip := range ips {
		out = append(out,
			fmt.Sprintf("%s/tcp/%d", ip, port),
			fmt.Sprintf("%s/udp/%d/quic-v1", ip, port))
	}
	return out
}

func newHost(cfg Config, port int) (host.Host, error) {
	limits := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&limits)
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()))
	if err != nil {
		return nil, fmt.Errorf("resource manager: %w", err)
	}
	cm, err := connmgr.NewConnManager(64, 256)
	if err != nil {
		return nil, fmt.Errorf("connection manager: %w", err)
	}
	opts := []libp2p.Option{
		libp2p.Identity(cfg.Key),
		libp2p.ListenAddrStrings(listenAddrs(cfg.Loopback, port)...),
		// Reuseport stays on: outgoing connections leave from the port we
		// listen on, so a NAT that maps by endpoint gives them the same
		// public port as the listener, and a hole punch can meet it
		// (portBusy keeps a second instance off a busy port instead).
		// (libp2p's own QUIC socket manager: it shares one UDP socket per
		// port, ties QUIC connections to the resource manager and closes
		// its sockets when the host closes.)
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		// TLS 1.3 first, as libp2p's own default: with AES-GCM in hardware
		// it costs a quarter less CPU per byte than Noise's
		// ChaCha20-Poly1305 (measured on a 1 GiB file transfer). Noise
		// stays offered. The records of each write leave in one system
		// call (batch.go).
		libp2p.Security(tls.ID, newBatchedTLS),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.ResourceManager(rm),
		libp2p.ConnectionManager(cm),
		libp2p.ConnectionGater(gater{blocked: cfg.Blocked}),
		// TCP before QUIC on a LAN: see rankDials.
		libp2p.SwarmOpts(swarm.WithDialRanker(rankDials)),
		libp2p.UserAgent(UserAgent),
		libp2p.DisableMetrics(),
	}
	// AutoNAT v2: learn which of our addresses others can dial (and
	// answer others). It also decides when relay addresses are announced.
	opts = append(opts, libp2p.EnableAutoNATv2())
	if !cfg.Loopback {
		opts = append(opts,
			// AutoNAT v1's service, for peers that still ask it.
			libp2p.EnableNATService(),
			// DCUtR: a relayed connection becomes a direct one when
			// both NATs allow it.
			libp2p.EnableHolePunching(),
			// UPnP-IGD / NAT-PMP: a router that offers it maps our port.
			libp2p.NATPortMap(),
		)
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		rm.Close()
		cm.Close()
		return nil, err
	}
	return h, nil
}

// Close stops the reservation loop, the relay service and the host.
func (n *Node) Close() error {
	n.reserve.close()
	n.observed.close()
	if n.relay != nil {
		n.relay.close()
	}
	return n.Host.Close()
}

var (
	// ErrNoKey is returned by New without an identity key.
	ErrNoKey = errors.New("node needs an identity key")
	// ErrPortBusy: the node could not listen on TCP.
	ErrPortBusy = errors.New("network port is busy")
)

// gater refuses blocked peers at every stage where the peer is known.
type gater struct{ blocked func(peer.ID) bool }

func (g gater) isBlocked(p peer.ID) bool { return g.blocked != nil && g.blocked(p) }

func (g gater) InterceptPeerDial(p peer.ID) bool                                { return !g.isBlocked(p) }
func (g gater) InterceptAddrDial(peer.ID, ma.Multiaddr) bool                    { return true }
func (g gater) InterceptAccept(network.ConnMultiaddrs) bool                     { return true }
func (g gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }
func (g gater) InterceptSecured(_ network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return !g.isBlocked(p)
}

// ErrNotRelayed: the address is not a circuit address.
var ErrNotRelayed = errors.New("not a relayed address")

// hopProto is the circuit relay v2 protocol a relay serves.
const hopProto = "/libp2p/circuit/relay/0.2.0/hop"
