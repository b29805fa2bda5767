// Package discovery finds other Hearth nodes. MDNS announces this node on
// the LAN under Hearth's own service name and reports every Hearth peer it
// hears of on a channel; what to do with them (connect to a contact, list a
// stranger as "nearby") is the caller's business.
package discovery

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
)

// ServiceName is the mDNS service Hearth nodes announce. Announcements carry
// the peer ID and addresses only, never a display name.
const ServiceName = "_hearth._udp"

// MDNS announces this node on the LAN and reports peers found.
type MDNS struct {
	svc   mdns.Service
	found chan peer.AddrInfo
	self  peer.ID

	mu     sync.Mutex // guards closed
	closed bool
}

// NewMDNS starts announcing h and listening for other Hearth nodes.
func NewMDNS(h host.Host) (*MDNS, error) {
	m := &MDNS{found: make(chan peer.AddrInfo, 64), self: h.ID()}
	m.svc = mdns.NewMdnsService(h, ServiceName, m)
	if err := m.svc.Start(); err != nil {
		return nil, err
	}
	return m, nil
}

// Found delivers peers as they are heard of; the same peer repeats each
// time it announces itself. When the reader is slow, findings are dropped
// rather than blocking the resolver: the peer will announce again.
func (m *MDNS) Found() <-chan peer.AddrInfo { return m.found }

// HandlePeerFound implements mdns.Notifee.
func (m *MDNS) HandlePeerFound(pi peer.AddrInfo) {
	if pi.ID == m.self {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	select {
	case m.found <- pi:
	default:
	}
}

// Close stops announcing and listening and closes the Found channel.
func (m *MDNS) Close() error {
	err := m.svc.Close() // waits for the resolver, so no more HandlePeerFound
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		close(m.found)
	}
	m.mu.Unlock()
	return err
}
