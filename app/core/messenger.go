// Package core is the composition root of Hearth's application layer: the
// Messenger opens the libp2p node for a profile, builds one mechanism per
// concern (people, presence, chat, groups, transfers, carry, calls,
// archive, nearby, pairing — each its own package under app/core, owning
// its state), fills the hooks through which they tell each other what
// happened, and keeps contacts connected (connect.go). Events for the UI
// come from app/core/event. It never imports fyne.
package core

import (
	"image"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/archive"
	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/calls"
	"hearth/app/core/carry"
	"hearth/app/core/chat"
	"hearth/app/core/event"
	"hearth/app/core/groups"
	"hearth/app/core/links"
	"hearth/app/core/nearby"
	"hearth/app/core/pairing"
	"hearth/app/core/people"
	"hearth/app/core/presence"
	"hearth/app/core/transfers"
	"hearth/app/profile"
	"hearth/contacts"
	"hearth/contacts/store"
	"hearth/p2p/contactreq"
	"hearth/p2p/node"
	"hearth/p2p/wire"
)

// Options configure a Messenger beyond its profile.
type Options struct {
	// FakeMedia sends synthetic video and audio in calls even when a
	// camera and microphone exist.
	FakeMedia bool
	// Port is the preferred listening port (0: node.DefaultPort, -1: any).
	Port int
	// Loopback listens on 127.0.0.1 only (tests).
	Loopback bool
	// NoMDNS turns LAN discovery off.
	NoMDNS bool
	// RetryInterval is how often unreachable contacts are dialled again.
	RetryInterval time.Duration
	// DownloadDir is where received files go unless the user chose a
	// folder (default: Hearth in the XDG download folder, ~/Downloads/Hearth).
	DownloadDir string
	// ClamdAddr is the ClamAV daemon to scan received files with
	// ("unix:/path" or "tcp:host:port"), unless the team's policy names
	// one; empty: look at the usual sockets.
	ClamdAddr string
	// RequestLimits tunes the contact-request rate limits (tests); zero
	// fields take contactreq's defaults. OnRequest and Trusted are core's.
	RequestLimits contactreq.Config
	// MaxPendingRequests bounds incoming requests waiting for an answer
	// (0: people.DefaultMaxPendingRequests).
	MaxPendingRequests int
	// PairRendezvous are the ways two sides of a short pairing code meet
	// (app/core/pairing); nil: mDNS unless NoMDNS, plus the DHT when
	// PairDHTBootstrap is set. Tests pass their own.
	PairRendezvous []pairing.Rendezvous
	// PairDHTBootstrap are the DHT peers joined while pairing by code
	// (main.go: the public bootstrap peers); empty: no DHT.
	PairDHTBootstrap []peer.AddrInfo
	// Now is the clock of the idle timer (tests); nil means time.Now.
	Now func() time.Time
	// Carry configures store-and-forward (quotas, expiry); see app/core/carry.
	Carry carry.Options
	// Inbound bounds what one contact can make me store (tests tune it;
	// zero fields take base's defaults).
	Inbound base.InboundLimits
	// Bootstrap are public peers (DHT servers, relays: main.go passes
	// the public libp2p bootstrap peers) that the node stays connected
	// to while public relays are allowed (network.go).
	Bootstrap []peer.AddrInfo
}

// Messenger is one running Hearth profile on the network. It holds the
// mechanisms (exported, for the UI and the CLI to use directly) and what
// the connection loops need; mu guards only closed. Each mechanism's own
// state and locks are described on its type.
type Messenger struct {
	// Calls rings, answers and runs 1:1 calls.
	Calls *calls.Calls
	// Presence is mine (with auto-away), my profile, and my contacts'.
	Presence *presence.Presence
	// Archive searches, exports and expires conversations, and keeps the
	// "archived for compliance" flags.
	Archive *archive.Archive
	// People runs contact requests, consent and contact management.
	People *people.People
	// Chat is 1:1 conversation: outbox, delivery, edits, receipts, typing.
	Chat *chat.Chat
	// Nearby is mDNS: people found on the LAN, and my visibility there.
	Nearby *nearby.Nearby
	// Pairing pairs two people by a short spoken code.
	Pairing *pairing.Pairing
	// Carry is store-and-forward through carriers.
	Carry *carry.Carry
	// Groups is group conversations: membership, messages, delivery.
	Groups *groups.Groups
	// Transfers is files: offers, downloads, policy, scanning, voice notes.
	Transfers *transfers.Transfers

	opts   Options
	prof   *profile.Profile
	name   atomic.Value // string: my display name, read anywhere (names.go)
	nameMu sync.Mutex   // serialises SetMyName
	store  store.Store
	d      *base.Deps // shared with every mechanism
	book   *book.Book // the contact list
	node   *node.Node
	links  *links.Links // keeps contacts connected

	mu     sync.Mutex // guards closed
	closed bool
	// built is set once every mechanism exists (the relay service asks
	// the groups who may hold a slot).
	built atomic.Bool
}

// New starts the network for an open profile. The Messenger owns the
// profile from now on and closes it in Close.
func New(prof *profile.Profile, opts Options) (*Messenger, error) {
	if opts.RetryInterval == 0 {
		opts.RetryInterval = 5 * time.Second
	}
	bk, err := book.Load(prof.Store)
	if err != nil {
		return nil, err
	}
	m := &Messenger{
		opts:  opts,
		prof:  prof,
		store: prof.Store,
		book:  bk,
		links: links.New(),
	}
	m.name.Store(prof.Name)
	m.d = &base.Deps{
		Store: prof.Store, Key: prof.Key, Self: prof.ID, Dir: prof.Dir,
		Bus: event.NewBus(), Book: bk, Tasks: base.NewTasks(),
		Name: m.MyName, Now: time.Now, Wake: m.links.Wake, RetryInterval: opts.RetryInterval,
	}
	if opts.Now != nil {
		m.d.Now = opts.Now
	}
	m.d.Inbound = base.NewInbound(opts.Inbound, nil)
	m.d.Dials = base.NewDials(nil)
	ncfg := node.Config{
		Key:      prof.Key,
		Port:     m.preferredPort(),
		Loopback: opts.Loopback,
		Blocked:  m.book.IsBlocked,
	}
	if !opts.Loopback {
		// Relays are for reaching across NATs; on loopback (tests) they
		// would only add circuits beside the direct connections.
		ncfg.MayRelay = m.mayRelay
		// Asked only after New returned (the reservation loop's passes).
		ncfg.RelayCandidates = m.relayCandidates
	}
	n, err := node.New(ncfg)
	if err != nil {
		return nil, err
	}
	m.node = n
	m.keepPort(n.Port)
	h := n.Host
	m.d.Host = h
	m.d.Go(func() { m.d.Bus.Run(m.d.Ctx()) })
	// Built in the order they need each other, each before any hook that
	// calls it can run: a mechanism registers its protocol handler in New.
	m.Nearby = nearby.New(m.d, opts.NoMDNS)
	bk.OnPut = func(id peer.ID, _ contacts.Contact) { m.Nearby.Forget(id) } // a contact now, not someone nearby
	bk.Attach(h)
	m.Chat = chat.New(m.d, func() bool { return m.Presence.Invisible() })
	m.Presence = presence.New(m.d, func(id peer.ID) { m.Chat.Flush(id) })
	bk.OnDelete = func(id peer.ID) { m.Presence.Removed(id) }
	m.Calls = calls.New(m.d, calls.Config{FakeMedia: opts.FakeMedia, Loopback: opts.Loopback, Busy: func() bool {
		p, _ := m.Presence.Presence()
		return p == contacts.Busy
	}})
	m.People = people.New(m.d, people.Config{
		Limits: opts.RequestLimits, MaxPending: opts.MaxPendingRequests,
		Welcome: func(id peer.ID) {
			m.Presence.SendTo(id)
			m.Chat.Flush(id)
		},
		EndCalls:       func(id peer.ID) { m.Calls.EndWith(id) },
		ForgetPresence: func(id peer.ID) { m.Presence.Forget(id) },
		NearbyName:     func(id peer.ID) string { return m.Nearby.Name(id) },
		Muted:          m.Chat.Muted,
		PresenceOf:     func(id peer.ID) (contacts.Presence, string, image.Image) { return m.Presence.Of(id) },
		InviteAddrs:    n.ShareableAddrs,
		FindAddrs:      m.findAddrs,
		LinkOf:         m.linkText,
	})
	m.Pairing = pairing.New(m.d, pairing.Config{Rendezvous: opts.PairRendezvous, NoMDNS: opts.NoMDNS,
		DHTBootstrap: opts.PairDHTBootstrap, Paired: m.People.AddPaired})
	m.Groups = groups.New(m.d)
	m.Transfers = transfers.New(m.d, m.Groups, transfers.Config{DownloadDir: opts.DownloadDir,
		ClamdAddr: opts.ClamdAddr, FakeMedia: opts.FakeMedia})
	m.Groups.Start(groups.Config{
		Deposit: func(r peer.ID) { m.Carry.RequestDeposit(r) },
		Changed: m.Transfers.GroupChanged, // removed members count as finished
	})
	m.Archive = archive.New(m.d)
	m.Carry = carry.New(m.d, carry.Config{Options: opts.Carry, Reach: m.Groups.AllowPeer,
		// Acks reach the providers in this order; takers apply in theirs
		// (recalls first, so a file recalled in the same hand-over is
		// dropped).
		Providers: []carry.Provider{m.Groups.Carried(), m.Transfers.Carried(), m.Chat.Carried()},
		Takers: []carry.KindTaker{
			{Kind: wire.SealedRecall, Take: m.Transfers.TakeRecalls},
			{Kind: wire.SealedChat, Take: m.Chat.TakeCarried},
			{Kind: wire.SealedGroup, Take: m.Groups.TakeCarried},
			{Kind: wire.SealedFile, Take: m.Transfers.TakeCarried},
		}})
	m.Transfers.SetCarry(m.Carry)
	h.Network().Notify(&network.NotifyBundle{
		ConnectedF:    func(_ network.Network, c network.Conn) { m.onConnected(c.RemotePeer()) },
		DisconnectedF: func(_ network.Network, c network.Conn) { m.onDisconnected(c.RemotePeer()) },
	})
	m.built.Store(true)
	m.links.Start(m.d, links.Config{Retry: m.retry, Unanswered: m.People.Unanswered, Resend: m.People.SendRequest,
		Bootstrap: m.bootstrap})
	return m, nil
}

// Events delivers what changed, for one reader (the UI). It is closed by
// Close.
func (m *Messenger) Events() <-chan event.Event { return m.d.Bus.Events() }

// MyName is the display name of this profile.
func (m *Messenger) MyName() string { return m.name.Load().(string) }

// MyPeerID is this profile's libp2p peer ID.
func (m *Messenger) MyPeerID() string { return m.prof.ID.String() }

// Addrs are the addresses this node listens on.
func (m *Messenger) Addrs() []string {
	var out []string
	for _, a := range m.node.Host.Addrs() {
		out = append(out, a.String())
	}
	return out
}

// settingPort remembers the port a profile listened on last time, so that
// contacts find it at the address they know even when the default port was
// taken (two profiles on one machine) and mDNS announces nothing.
const settingPort = "net.port"

// preferredPort is the port to try first: the one asked for, else the one
// this profile had last time, else node.DefaultPort.
func (m *Messenger) preferredPort() int {
	if m.opts.Port != 0 {
		return m.opts.Port
	}
	b, err := m.store.Setting(settingPort)
	if err != nil {
		return 0
	}
	if p, err := strconv.Atoi(string(b)); err == nil && p > 0 && p < 65536 {
		return p
	}
	return 0
}

// keepPort remembers the port the node got, unless the caller chose one.
func (m *Messenger) keepPort(port int) {
	if m.opts.Port != 0 || port <= 0 {
		return
	}
	if old, err := m.store.Setting(settingPort); err == nil && string(old) == strconv.Itoa(port) {
		return
	}
	m.store.SetSetting(settingPort, []byte(strconv.Itoa(port)))
}

// Port is the TCP port the node listens on.
func (m *Messenger) Port() int { return m.node.Port }

// Close hangs up calls, stops the network and closes the profile (which
// forgets the key).
func (m *Messenger) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.mu.Unlock()
	m.Calls.Close()
	m.d.Tasks.Stop()
	m.Nearby.Close()
	m.Pairing.Close()
	m.Transfers.Close()
	m.Groups.Close()
	m.Archive.Close()
	m.Carry.Close()
	m.People.Close()
	m.Presence.Close()
	m.Chat.Close()
	err := m.node.Close()
	m.d.Tasks.Wait()
	if perr := m.prof.Close(); err == nil {
		err = perr
	}
	return err
}
