package core

import (
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	manet "github.com/multiformats/go-multiaddr/net"

	"hearth/p2p/node"
)

// settingPublicRelays is "off" when the user (or a team) does not want
// public libp2p relays used; anything else, or nothing, means on.
const settingPublicRelays = "net.publicRelays"

// PublicRelays reports whether public relays may carry my connections
// when no contact's home node can.
func (m *Messenger) PublicRelays() bool {
	b, err := m.store.Setting(settingPublicRelays)
	return err != nil || string(b) != "off"
}

// SetPublicRelays turns the use of public relays on or off.
func (m *Messenger) SetPublicRelays(on bool) error {
	v := "on"
	if !on {
		v = "off"
	}
	if err := m.store.SetSetting(settingPublicRelays, []byte(v)); err != nil {
		return err
	}
	m.node.KickReservations()
	return nil
}

// mayRelay: my relay service keeps slots for my contacts and the members
// of my groups, nobody else.
func (m *Messenger) mayRelay(id peer.ID) bool {
	if m.book.IsAccepted(id) {
		return true
	}
	return m.built.Load() && m.Groups.AllowPeer(id)
}

// relayCandidates are the connected peers offering a relay: contacts
// first (their home nodes), then, unless turned off, public relays.
func (m *Messenger) relayCandidates() []peer.AddrInfo {
	if !m.built.Load() {
		return nil
	}
	public := m.PublicRelays()
	var mine, others []peer.AddrInfo
	h := m.node.Host
	for _, id := range h.Network().Peers() {
		if !m.node.RelayCandidate(id) || node.Relayed(h, id) {
			continue
		}
		ai := peer.AddrInfo{ID: id, Addrs: h.Peerstore().Addrs(id)}
		switch {
		case m.book.IsAccepted(id):
			mine = append(mine, ai)
		case public && !m.book.IsBlocked(id):
			others = append(others, ai)
		}
	}
	return slices.Concat(mine, others)
}

// bootstrap are the public peers to stay connected to, while public
// relays are allowed.
func (m *Messenger) bootstrap() []peer.AddrInfo {
	if len(m.opts.Bootstrap) == 0 || !m.PublicRelays() {
		return nil
	}
	return m.opts.Bootstrap
}

// Reachability says in plain words how others reach this computer.
type Reachability struct {
	// Public: some address of mine was confirmed dialable from outside.
	Public bool
	// Mapped: the router mapped a port for me (UPnP-IGD or NAT-PMP).
	Mapped bool
	// IPv6: I have a global IPv6 address.
	IPv6 bool
	// Relays names those holding a relay slot for me: contacts by name,
	// others as "a public relay".
	Relays []string
	// Relaying: I relay for my contacts (they can reach each other through me).
	Relaying bool
	// PublicRelays: public relays are allowed.
	PublicRelays bool
	// Addrs are the addresses an invite code of mine carries now.
	Addrs []string
}

// Reachability reports how others can reach this node now.
func (m *Messenger) Reachability() Reachability {
	r := m.node.Reach()
	out := Reachability{Public: len(r.Public) > 0, Mapped: len(r.Mapped) > 0, IPv6: r.IPv6,
		Relaying: r.Relaying, PublicRelays: m.PublicRelays(), Addrs: m.node.ShareableAddrs()}
	for _, id := range r.Relays {
		out.Relays = append(out.Relays, m.relayName(id))
	}
	for _, a := range r.Public {
		if manet.IsPublicAddr(a) {
			out.Public = true
		}
	}
	return out
}

// Link says how I am connected to a contact now.
type Link struct {
	Connected bool
	// Relayed: only through a relay (no direct connection yet).
	Relayed bool
	// Via names the relay: a contact's name, or "a public relay".
	Via string
}

// LinkTo reports how I am connected to peerID.
func (m *Messenger) LinkTo(peerID string) Link {
	id, err := peer.Decode(peerID)
	if err != nil {
		return Link{}
	}
	h := m.node.Host
	l := Link{Connected: node.Connected(h, id), Relayed: node.Relayed(h, id)}
	if relay := node.RelayOf(h, id); relay != "" {
		l.Via = m.relayName(relay)
	}
	return l
}

// relayName is a contact's name, or "a public relay".
func (m *Messenger) relayName(id peer.ID) string {
	if c, ok := m.book.Get(id); ok && c.Name != "" {
		return c.Name
	}
	return "a public relay"
}

// Reconnect dials a contact now (at every address known for it, relays
// included) and says why it failed, for "try again" in the UI.
func (m *Messenger) Reconnect(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return err
	}
	ctx, cancel := m.d.Timeout(10 * time.Second)
	defer cancel()
	return m.d.Dial(ctx, id)
}

// findAddrs are circuit addresses for id through every relay I know: the
// public peers I stay connected to, the relays holding my own slots and
// contacts offering a relay. Someone who took a slot on one of them (as
// the inviter's node does on its public peer) is reached through it.
func (m *Messenger) findAddrs(id peer.ID) []string {
	relays := map[peer.ID]bool{}
	for _, ai := range m.bootstrap() {
		relays[ai.ID] = true
	}
	for _, r := range m.node.Reach().Relays {
		relays[r] = true
	}
	for _, ai := range m.relayCandidates() {
		relays[ai.ID] = true
	}
	var out []string
	for r := range relays {
		if r == id {
			continue
		}
		out = append(out, "/p2p/"+r.String()+"/p2p-circuit")
	}
	slices.Sort(out)
	return out
}

// linkText says how I am connected to a contact, in the words the
// contact list shows: "Direct", "Through a public relay", "Through Ann's
// relay"; "" when not connected.
func (m *Messenger) linkText(id peer.ID) string {
	l := m.LinkTo(id.String())
	switch {
	case !l.Connected:
		return ""
	case !l.Relayed:
		return "Direct"
	case l.Via == "" || l.Via == "a public relay":
		return "Through a public relay"
	}
	return "Through " + l.Via + "’s relay"
}

// NetworkSummary says in plain words whether and how others reach this
// computer (Settings → Network), one sentence per line.
func (m *Messenger) NetworkSummary() []string {
	r := m.Reachability()
	var out []string
	switch {
	case r.Public:
		out = append(out, "Contacts anywhere can reach this computer directly.")
	case r.Mapped:
		out = append(out, "Your router opened a port for Hearth (UPnP): contacts anywhere can reach this computer directly.")
	case len(r.Relays) > 0:
		out = append(out, "Your router lets no one in, so contacts far away reach you through "+strings.Join(r.Relays, " and ")+
			". Hearth then tries to connect you directly (hole punching); when your router allows it, the relay is used only to meet.")
	default:
		out = append(out, "Contacts far away cannot reach this computer yet; contacts on your network can. "+
			"Hearth keeps looking for a way (a port from your router, or a relay).")
	}
	if r.IPv6 {
		out = append(out, "This computer has an IPv6 address others can reach.")
	}
	if r.Public || r.Mapped {
		out = append(out, "Because it can be reached, this computer relays for your contacts when their routers let no one in (only for your contacts, within limits).")
	}
	return out
}
