// Package nearby is Hearth on the local network: mDNS listens always (to
// find contacts again and to list Hearth users nearby) but announces this
// device, with my display name, only as the privacy setting allows: for a
// few minutes while I pair, always, or never.
package nearby

import (
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"hearth/app/core/base"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/discovery"
)

const (
	settingNearbyVisibility = "nearby.visibility"
	// maxNearby bounds the Nearby list, whatever the LAN announces.
	maxNearby = 256
	// nearbyTTL: someone not heard of for this long is no longer nearby
	// (mDNS announcements repeat every few seconds to a minute).
	nearbyTTL = 3 * time.Minute
)

// Peer is a Hearth user found on the LAN who is not yet a contact.
type Peer struct {
	PeerID string
	Name   string // empty when they did not tell

	seen time.Time // last announcement heard
}

// Nearby owns mDNS, the list of people found nearby and my visibility.
// mu guards the fields below it.
type Nearby struct {
	d    *base.Deps
	mdns *discovery.MDNS // nil when LAN discovery is off or failed

	mu    sync.Mutex
	found map[peer.ID]Peer
	vis   Visibility
	until time.Time     // end of the pairing window; zero when closed
	stop  chan struct{} // closes the running window early
}

// New starts mDNS unless off, loads the visibility setting and announces
// at once when it is Always.
func New(d *base.Deps, off bool) *Nearby {
	n := &Nearby{d: d, found: map[peer.ID]Peer{}}
	if b, err := d.Store.Setting(settingNearbyVisibility); err == nil && len(b) == 1 && b[0] <= byte(Always) {
		n.vis = Visibility(b[0])
	}
	if !off {
		md, err := discovery.NewMDNS(d.Host)
		if err != nil {
			d.Notice("Finding people on this network is not available: " + err.Error())
		} else {
			n.mdns = md
			d.Go(n.loop)
		}
	}
	if n.vis == Always && n.mdns != nil {
		if err := n.mdns.Announce(d.Name()); err != nil {
			d.Notice("Could not make this device visible nearby: " + err.Error())
		}
	}
	return n
}

// Close stops mDNS.
func (n *Nearby) Close() {
	if n.mdns != nil {
		n.mdns.Close()
	}
}

// Forget takes someone off the Nearby list (they became a contact).
func (n *Nearby) Forget(id peer.ID) {
	n.mu.Lock()
	delete(n.found, id)
	n.mu.Unlock()
}

// Name is the display name a peer announced on the LAN.
func (n *Nearby) Name(id peer.ID) string {
	if n.mdns == nil {
		return ""
	}
	return n.mdns.Name(id)
}

// Renamed announces my new name while I am visible.
func (n *Nearby) Renamed() {
	if vis, until := n.NearbyVisibility(); n.mdns != nil && (vis == Always || time.Now().Before(until)) {
		n.mdns.Announce(n.d.Name())
	}
}

// Nearby lists Hearth users heard of on the LAN who are not contacts.
func (n *Nearby) Nearby() []Peer {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Peer, 0, len(n.found))
	for _, p := range n.found {
		out = append(out, p)
	}
	return out
}

// loop takes what mDNS finds: a contact (or someone I asked) who is not
// connected gets dialled; anyone else is listed as nearby.
func (n *Nearby) loop() {
	prune := time.NewTicker(time.Minute)
	defer prune.Stop()
	for {
		select {
		case <-n.d.Ctx().Done():
			return
		case pi, ok := <-n.mdns.Found():
			if !ok {
				return
			}
			n.d.Host.Peerstore().AddAddrs(pi.ID, pi.Addrs, peerstore.TempAddrTTL)
			if c, known := n.d.Book.Get(pi.ID); known {
				if c.State == contacts.Accepted || c.State == contacts.Outgoing {
					if !n.d.Connected(pi.ID) {
						n.d.Wake()
					}
				}
				continue
			}
			name := n.Name(pi.ID)
			n.mu.Lock()
			old, seen := n.found[pi.ID]
			if seen || len(n.found) < maxNearby {
				n.found[pi.ID] = Peer{PeerID: pi.ID.String(), Name: name, seen: time.Now()}
			}
			n.mu.Unlock()
			if !seen || old.Name != name {
				n.d.Publish(event.NearbyChanged{})
			}
		case <-prune.C:
			n.mu.Lock()
			changed := false
			for id, p := range n.found {
				if time.Since(p.seen) > nearbyTTL {
					delete(n.found, id)
					changed = true
				}
			}
			n.mu.Unlock()
			if changed {
				n.d.Publish(event.NearbyChanged{})
			}
		}
	}
}

// Announcing reports whether this device is announced on the LAN now.
func (n *Nearby) Announcing() bool { return n.mdns != nil && n.mdns.Announcing() }
