package node

import (
	"slices"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Reach says how others can reach this node, for Settings → Network.
type Reach struct {
	// Public are addresses AutoNAT confirmed others can dial.
	Public []ma.Multiaddr
	// Mapped are addresses a router mapped for us (UPnP-IGD, NAT-PMP).
	Mapped []ma.Multiaddr
	// Observed are public addresses peers saw our connections come from.
	Observed []ma.Multiaddr
	// IPv6 is set when the node has a global IPv6 address.
	IPv6 bool
	// Relays are the peers holding a relay slot for us.
	Relays []peer.ID
	// Relaying: this node offers a relay service to its contacts.
	Relaying bool
}

// Reach reports how this node can be reached now.
func (n *Node) Reach() Reach {
	var r Reach
	if c, ok := n.Host.(limitedHost).Host.(interface {
		ConfirmedAddrs() (reachable, unreachable, unknown []ma.Multiaddr)
	}); ok {
		r.Public, _, _ = c.ConfirmedAddrs()
	}
	for _, a := range n.Host.Addrs() {
		if manet.IsPublicAddr(a) && !isRelayed(a) {
			if ip, err := manet.ToIP(a); err == nil && ip.To4() == nil {
				r.IPv6 = true
			}
		}
	}
	r.Mapped = n.mapped()
	r.Observed = n.observed.list()
	r.Relays = n.reserve.relays()
	r.Relaying = n.relay != nil
	return r
}

// mapped are the addresses the NAT manager got from the router: public
// addresses of ours whose port is our own listening port and that no
// interface has (they came from UPnP/NAT-PMP, not from a peer).
func (n *Node) mapped() []ma.Multiaddr {
	ifaces, _ := manet.InterfaceMultiaddrs()
	var out []ma.Multiaddr
	for _, a := range n.Host.Addrs() {
		if !manet.IsPublicAddr(a) || isRelayed(a) {
			continue
		}
		ip, err := manet.ToIP(a)
		if err != nil {
			continue
		}
		local := slices.ContainsFunc(ifaces, func(i ma.Multiaddr) bool {
			iip, err := manet.ToIP(i)
			return err == nil && iip.Equal(ip)
		})
		if !local && !slices.ContainsFunc(n.observed.list(), a.Equal) {
			out = append(out, a)
		}
	}
	return out
}

// maxShared bounds the addresses ShareableAddrs returns.
const maxShared = 6

// ShareableAddrs are the addresses worth giving to someone who is not on
// this machine (an invite code): public ones first (confirmed, mapped,
// observed), then relay circuits, then LAN ones; TCP before QUIC within
// each kind. Never loopback or link-local, unless this node listens on
// loopback only (tests), when loopback is all there is.
func (n *Node) ShareableAddrs() []string {
	var public, relayed, lan, loop []ma.Multiaddr
	for _, a := range slices.Concat(n.Host.Addrs(), n.observed.list()) {
		switch {
		case isRelayed(a):
			relayed = append(relayed, a)
		case manet.IsIPLoopback(a):
			loop = append(loop, a)
		case manet.IsIP6LinkLocal(a), manet.IsIPUnspecified(a):
		case manet.IsPublicAddr(a):
			public = append(public, a)
		default:
			lan = append(lan, a)
		}
	}
	tcpFirst := func(as []ma.Multiaddr) []ma.Multiaddr {
		as = ma.Unique(as)
		slices.SortStableFunc(as, func(a, b ma.Multiaddr) int {
			return boolRank(isPlainTCP(b)) - boolRank(isPlainTCP(a))
		})
		return as
	}
	// Relay circuits before LAN addresses: a LAN address helps only on
	// the same LAN, where mDNS finds us anyway; but keep one LAN address
	// for a LAN without mDNS.
	all := slices.Concat(tcpFirst(public), firstOf(tcpFirst(lan), 1), tcpFirst(relayed), tcpFirst(lan))
	if len(all) == 0 && n.cfg.Loopback {
		all = tcpFirst(loop)
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range all {
		s := a.String()
		if seen[s] || strings.Contains(s, "/ip6/fe80") {
			continue
		}
		seen[s] = true
		out = append(out, s)
		if len(out) == maxShared {
			break
		}
	}
	return out
}

func firstOf(as []ma.Multiaddr, n int) []ma.Multiaddr { return as[:min(n, len(as))] }

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RelayCandidate reports whether p offers a circuit relay (identify told
// us it speaks the hop protocol).
func (n *Node) RelayCandidate(p peer.ID) bool {
	ps, err := n.Host.Peerstore().SupportsProtocols(p, hopProto)
	return err == nil && len(ps) > 0
}

// KickReservations asks the reservation loop for a pass now.
func (n *Node) KickReservations() { n.reserve.Kick() }
