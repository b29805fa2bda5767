// Package discovery finds other Hearth nodes on the LAN with mDNS.
//
// Listening and announcing are separate. MDNS always listens (the queries
// it sends name only Hearth's service, nothing about this node) and
// reports every Hearth peer it hears of on a channel, with the display
// name the peer announced; what to do with them (connect to a contact,
// list a stranger as "nearby") is the caller's business. It announces
// this node, with its peer ID, addresses and display name, only between
// Announce and StopAnnouncing: app/core opens that window for a few
// minutes when the user asks to pair with someone nearby. Outside it the
// node sends nothing that identifies it, and contacts find each other
// through the addresses they already know.
package discovery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/zeroconf/v2"
	ma "github.com/multiformats/go-multiaddr"
)

const (
	// ServiceName is the mDNS service Hearth nodes announce.
	ServiceName = "_hearth._udp"
	txtAddr     = "dnsaddr=" // mdnsDomain is in rendezvous.go
	txtName     = "name="
	// MaxName bounds an announced display name, in bytes (a TXT string
	// holds at most 255 bytes, with its "name=" prefix).
	MaxName = 200
	// maxAddrs bounds the addresses read from one announcement.
	maxAddrs = 16
)

// ErrClosed is returned by Announce after Close.
var ErrClosed = errors.New("mdns closed")

// MDNS listens for Hearth nodes on the LAN and, when asked, announces
// this one.
type MDNS struct {
	h      host.Host
	found  chan peer.AddrInfo
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex // guards the fields below
	closed bool
	names  map[peer.ID]string // the name each peer last announced
	server *zeroconf.Server   // non-nil while announcing
}

// NewMDNS starts listening for other Hearth nodes. It announces nothing
// until Announce.
func NewMDNS(h host.Host) (*MDNS, error) {
	m := &MDNS{h: h, found: make(chan peer.AddrInfo, 64), names: map[peer.ID]string{}}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	entries := make(chan *zeroconf.ServiceEntry, 64)
	browsed := make(chan struct{})
	m.wg.Add(2)
	go func() {
		defer m.wg.Done()
		defer close(browsed)
		zeroconf.Browse(m.ctx, ServiceName, mdnsDomain, entries)
	}()
	go func() {
		defer m.wg.Done()
		// Browse closes entries when it stops normally, but not when it
		// fails to start (no multicast interface): then browsed ends this.
		// Either way nothing sends once Browse has returned.
		for {
			select {
			case e, ok := <-entries:
				if !ok {
					return
				}
				m.handle(e.Text)
			case <-browsed:
				return
			}
		}
	}()
	return m, nil
}

// Found delivers peers as they are heard of; the same peer repeats each
// time it announces itself. When the reader is slow, findings are dropped
// rather than blocking the resolver: the peer will announce again.
func (m *MDNS) Found() <-chan peer.AddrInfo { return m.found }

// Name is the display name id announced, or "" when it announced none.
func (m *MDNS) Name(id peer.ID) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.names[id]
}

func (m *MDNS) handle(txt []string) {
	pi, name, ok := parseAnnouncement(txt)
	if !ok || pi.ID == m.h.ID() {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	if name != "" {
		m.names[pi.ID] = name
	} else {
		delete(m.names, pi.ID)
	}
	select {
	case m.found <- pi:
	default:
	}
}

// parseAnnouncement reads a peer's TXT records: its addresses (each
// ending in the same /p2p/ID) and an optional display name. Anything
// malformed is skipped; an announcement without one usable address, or
// naming more than one peer, is refused.
func parseAnnouncement(txt []string) (peer.AddrInfo, string, bool) {
	var addrs []ma.Multiaddr
	var name string
	for _, s := range txt {
		s = unescapeTXT(s)
		switch {
		case strings.HasPrefix(s, txtAddr) && len(addrs) < maxAddrs:
			a, err := ma.NewMultiaddr(s[len(txtAddr):])
			if err == nil {
				addrs = append(addrs, a)
			}
		case strings.HasPrefix(s, txtName):
			name = cleanName(s[len(txtName):])
		}
	}
	if len(addrs) == 0 {
		return peer.AddrInfo{}, "", false
	}
	infos, err := peer.AddrInfosFromP2pAddrs(addrs...)
	if err != nil || len(infos) != 1 || len(infos[0].Addrs) == 0 {
		return peer.AddrInfo{}, "", false
	}
	return infos[0], name, true
}

// unescapeTXT undoes the presentation format the DNS library hands TXT
// strings in: \DDD is a byte in decimal, \c is c.
func unescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b = append(b, c)
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			if v := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0'); v < 256 {
				b = append(b, byte(v))
				i += 3
				continue
			}
		}
		b = append(b, s[i+1])
		i++
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// cleanName keeps an announced name only when it is short, valid UTF-8
// text without control characters; otherwise the peer counts as unnamed.
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > MaxName || !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return ""
		}
	}
	return s
}

// truncateName cuts name to MaxName bytes without splitting a character.
func truncateName(name string) string {
	if len(name) <= MaxName {
		return name
	}
	n := MaxName
	for n > 0 && !utf8.RuneStart(name[n]) {
		n--
	}
	return name[:n]
}

// Announce starts announcing this node (peer ID, addresses and name) on
// the LAN, or changes the name while it is announcing.
func (m *MDNS) Announce(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	if m.server != nil {
		m.server.Shutdown()
		m.server = nil
	}
	ips, txt, err := m.records(truncateName(name))
	if err != nil {
		return err
	}
	// A fresh random instance name each time: nothing stable to follow
	// from one window to the next but what is in the records.
	var r [12]byte
	rand.Read(r[:])
	inst := hex.EncodeToString(r[:])
	srv, err := zeroconf.RegisterProxy(inst, ServiceName, mdnsDomain, 4001, inst, ips, txt, nil)
	if err != nil {
		return fmt.Errorf("announcing on the LAN: %w", err)
	}
	m.server = srv
	return nil
}

// records are the IPs and TXT strings of an announcement.
func (m *MDNS) records(name string) (ips, txt []string, err error) {
	addrs, err := m.h.Network().InterfaceListenAddresses()
	if err != nil {
		return nil, nil, fmt.Errorf("listing addresses: %w", err)
	}
	p2p, err := ma.NewMultiaddr("/p2p/" + m.h.ID().String())
	if err != nil {
		return nil, nil, err
	}
	var ip4, ip6 string
	for _, a := range addrs {
		first, _ := ma.SplitFirst(a)
		if first == nil || !suitable(a) {
			continue
		}
		switch first.Protocol().Code {
		case ma.P_IP4:
			if ip4 == "" {
				ip4 = first.Value()
			}
		case ma.P_IP6:
			if ip6 == "" {
				ip6 = first.Value()
			}
		}
		txt = append(txt, txtAddr+a.Encapsulate(p2p).String())
	}
	for _, ip := range []string{ip4, ip6} {
		if ip != "" {
			ips = append(ips, ip)
		}
	}
	if len(ips) == 0 {
		return nil, nil, errors.New("announcing on the LAN: no IP address to announce")
	}
	if name != "" {
		txt = append(txt, txtName+name)
	}
	return ips, txt, nil
}

// suitable: plain IP transports only (no relays, browsers' transports).
func suitable(a ma.Multiaddr) bool {
	ok := true
	ma.ForEach(a, func(c ma.Component) bool {
		switch c.Protocol().Code {
		case ma.P_CIRCUIT, ma.P_WEBTRANSPORT, ma.P_WEBRTC, ma.P_WEBRTC_DIRECT, ma.P_WS, ma.P_WSS:
			ok = false
		}
		return ok
	})
	return ok
}

// StopAnnouncing withdraws the announcement (a goodbye packet) and stops
// answering queries about this node.
func (m *MDNS) StopAnnouncing() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.server != nil {
		m.server.Shutdown()
		m.server = nil
	}
}

// Announcing reports whether this node is being announced now.
func (m *MDNS) Announcing() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.server != nil
}

// Close stops announcing and listening and closes the Found channel.
func (m *MDNS) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true // handle sends nothing more, Announce refuses
	if m.server != nil {
		m.server.Shutdown()
		m.server = nil
	}
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait() // Browse returned and the reader drained
	close(m.found)
	return nil
}
