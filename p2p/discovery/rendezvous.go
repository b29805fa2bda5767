package discovery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"sync"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/zeroconf/v2"
	ma "github.com/multiformats/go-multiaddr"
)

// A rendezvous on the LAN: one node announces itself under a tag (a DNS-SD
// service name of its own, "_<tag>._udp"), others look the tag up. Unlike
// MDNS, announcing and looking are separate, so the side that looks says
// nothing, and the announcement lasts only as long as the caller wants.
// Pairing by short code uses it with a tag derived from the code.

const (
	mdnsDomain = "local"
	txtPrefix  = "dnsaddr="
	// maxTagLen is the longest DNS-SD service name (RFC 6763, 7.2).
	maxTagLen = 15
)

// ErrBadTag: a rendezvous tag must be 1–15 lower-case letters, digits or
// hyphens.
var ErrBadTag = errors.New("bad rendezvous tag")

func serviceFor(tag string) (string, error) {
	if tag == "" || len(tag) > maxTagLen || strings.Trim(tag, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return "", ErrBadTag
	}
	return "_" + tag + "._udp", nil
}

// Announcement is this node answering on the LAN under one tag.
type Announcement struct {
	server *zeroconf.Server
	once   sync.Once
}

// Announce answers mDNS queries for tag with h's peer ID and LAN
// addresses, until Close.
func Announce(h host.Host, tag string) (*Announcement, error) {
	svc, err := serviceFor(tag)
	if err != nil {
		return nil, err
	}
	addrs, err := h.Network().InterfaceListenAddresses()
	if err != nil {
		return nil, err
	}
	var txts, ips []string
	seenIP := map[string]bool{}
	for _, a := range addrs {
		ip, err := a.ValueForProtocol(ma.P_IP4)
		if err != nil {
			if ip, err = a.ValueForProtocol(ma.P_IP6); err != nil {
				continue // DNS names, relays: not for a LAN
			}
		}
		if !seenIP[ip] {
			seenIP[ip] = true
			ips = append(ips, ip)
		}
		txts = append(txts, txtPrefix+a.Encapsulate(ma.StringCast("/p2p/"+h.ID().String())).String())
	}
	if len(txts) == 0 {
		return nil, errors.New("no address to announce on the LAN")
	}
	// The instance name is random: it must not say who we are.
	var r [16]byte
	rand.Read(r[:])
	instance := hex.EncodeToString(r[:])
	srv, err := zeroconf.RegisterProxy(instance, svc, mdnsDomain, 4001, instance, ips, txts, nil)
	if err != nil {
		return nil, err
	}
	return &Announcement{server: srv}, nil
}

// Close stops answering. Calling it again does nothing.
func (a *Announcement) Close() error {
	a.once.Do(a.server.Shutdown)
	return nil
}

// Lookup asks the LAN for nodes announcing tag and sends each on the
// returned channel (the same node may come more than once), until ctx
// ends; then the channel is closed.
func Lookup(ctx context.Context, tag string) (<-chan peer.AddrInfo, error) {
	svc, err := serviceFor(tag)
	if err != nil {
		return nil, err
	}
	entries := make(chan *zeroconf.ServiceEntry, 16)
	out := make(chan peer.AddrInfo, 16)
	browseErr := make(chan error, 1)
	go func() { browseErr <- zeroconf.Browse(ctx, svc, mdnsDomain, entries) }()
	go func() {
		defer close(out)
		for {
			select {
			case e, ok := <-entries:
				if !ok {
					<-browseErr
					return
				}
				send(ctx, out, e)
			case <-browseErr:
				// Browse returned: it closed entries, or failed before
				// using them. Either way nothing more comes.
				for {
					select {
					case e, ok := <-entries:
						if ok {
							send(ctx, out, e)
							continue
						}
					default:
					}
					return
				}
			}
		}
	}()
	return out, nil
}

// send passes on the peers an mDNS entry's TXT records name.
func send(ctx context.Context, out chan<- peer.AddrInfo, e *zeroconf.ServiceEntry) {
	var addrs []ma.Multiaddr
	for _, t := range e.Text {
		if !strings.HasPrefix(t, txtPrefix) {
			continue
		}
		if a, err := ma.NewMultiaddr(t[len(txtPrefix):]); err == nil {
			addrs = append(addrs, a)
		}
	}
	infos, err := peer.AddrInfosFromP2pAddrs(addrs...)
	if err != nil {
		return
	}
	for _, pi := range infos {
		select {
		case out <- pi:
		case <-ctx.Done():
			return
		}
	}
}
