// Package core is Hearth's application layer: the Messenger ties a profile
// (identity and store) to the libp2p node and its protocols, and to calls.
// It publishes typed Events for the UI and never imports fyne.
package core

import (
	"context"
	"image"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"hearth/app/core/archive"
	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/calls"
	"hearth/app/core/event"
	"hearth/app/core/groups"
	"hearth/app/core/nearby"
	"hearth/app/core/pairing"
	"hearth/app/core/people"
	"hearth/app/core/transfers"

	levent "github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"

	"hearth/app/core/carry"
	"hearth/app/core/chat"
	"hearth/app/core/presence"
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
	// folder (default: ~/Downloads/Hearth).
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
}

// Messenger is one running Hearth profile on the network.
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
	kick   chan struct{} // wakes the connect loop early

	mu     sync.Mutex // guards closed
	closed bool
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
		kick:  make(chan struct{}, 1),
	}
	m.name.Store(prof.Name)
	m.d = &base.Deps{
		Store: prof.Store, Key: prof.Key, Self: prof.ID, Dir: prof.Dir,
		Bus: event.NewBus(), Book: bk, Tasks: base.NewTasks(),
		Name: m.MyName, Now: time.Now, Wake: m.wake, RetryInterval: opts.RetryInterval,
	}
	if opts.Now != nil {
		m.d.Now = opts.Now
	}
	bk.OnPut = func(id peer.ID, _ contacts.Contact) {
		if m.Nearby != nil {
			m.Nearby.Forget(id) // a contact now, not someone nearby
		}
	}
	bk.OnDelete = func(id peer.ID) { m.Presence.Removed(id) }
	m.goLoop(func() { m.d.Bus.Run(m.d.Ctx()) })
	n, err := node.New(node.Config{
		Key:      prof.Key,
		Port:     m.preferredPort(),
		Loopback: opts.Loopback,
		Blocked:  m.isBlocked,
	})
	if err != nil {
		return nil, err
	}
	m.node = n
	m.keepPort(n.Port)
	h := n.Host
	m.d.Host = h
	bk.Attach(h)
	m.Chat = chat.New(m.d, func() bool { return m.Presence.Invisible() })
	m.Presence = presence.New(m.d, func(id peer.ID) { m.Chat.Flush(id) })
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
	})
	m.Calls = calls.New(m.d, calls.Config{FakeMedia: opts.FakeMedia, Loopback: opts.Loopback, Busy: func() bool {
		p, _ := m.Presence.Presence()
		return p == contacts.Busy
	}})
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
	m.Nearby = nearby.New(m.d, opts.NoMDNS)
	sub, err := h.EventBus().Subscribe(new(levent.EvtPeerIdentificationCompleted))
	if err == nil {
		m.goLoop(func() { m.addrLoop(sub) })
	}
	m.goLoop(m.connectLoop)
	m.goLoop(m.livenessLoop)
	return m, nil
}

// spawn runs f on a goroutine that Close waits for, unless the Messenger
// is closing (then f never runs and spawn reports false).
func (m *Messenger) spawn(f func()) bool { return m.d.Go(f) }

// goLoop starts one of the Messenger's own loops.
func (m *Messenger) goLoop(f func()) { m.d.Go(f) }

// Events delivers what changed, for one reader (the UI). It is closed by
// Close.
func (m *Messenger) Events() <-chan event.Event { return m.d.Bus.Events() }

// publish queues an event for the UI.
func (m *Messenger) publish(e event.Event) { m.d.Publish(e) }

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

// contact returns the cached contact.
func (m *Messenger) contact(id peer.ID) (contacts.Contact, bool) { return m.book.Get(id) }

func (m *Messenger) isAccepted(id peer.ID) bool { return m.book.IsAccepted(id) }

func (m *Messenger) isBlocked(id peer.ID) bool { return m.book.IsBlocked(id) }

// putContact writes through to the store and the cache.
func (m *Messenger) putContact(c contacts.Contact) error { return m.book.Put(c) }

func (m *Messenger) deleteContact(id peer.ID) error { return m.book.Delete(id) }

func (m *Messenger) rememberAddrs(id peer.ID, addrs []string) { m.book.RememberAddrs(id, addrs) }

func (m *Messenger) connected(id peer.ID) bool { return m.d.Connected(id) }

// wake asks the connect loop to run now.
func (m *Messenger) wake() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// connectLoop keeps accepted contacts connected and resends pending
// requests, every RetryInterval or when woken.
func (m *Messenger) connectLoop() {
	t := time.NewTicker(m.opts.RetryInterval)
	defer t.Stop()
	for {
		m.connectAll()
		select {
		case <-m.d.Ctx().Done():
			return
		case <-t.C:
		case <-m.kick:
		}
	}
}

func (m *Messenger) connectAll() {
	var todo []contacts.Contact
	var online, asking []peer.ID
	for id, c := range m.book.Snapshot() {
		switch {
		case (c.State == contacts.Accepted || c.State == contacts.Outgoing) && !m.connected(id):
			todo = append(todo, c)
		case c.State == contacts.Accepted:
			online = append(online, id)
		case c.State == contacts.Outgoing:
			if m.People.Unanswered(id) {
				asking = append(asking, id)
			}
		}
	}
	// A flush that failed (a store error on their side, a reset stream)
	// is retried here while both stay connected.
	for _, id := range online {
		if waiting, _ := m.Chat.HasUndelivered(id.String()); waiting {
			m.Chat.RequestFlush(id)
		}
		if m.Chat.HasPendingUpdates(id) {
			m.Chat.RequestUpdates(id)
		}
	}
	// Whoever is not connected gets messages through carriers, at once.
	m.Carry.Tick()
	var wg sync.WaitGroup
	for _, id := range asking {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.People.SendRequest(id)
		}()
	}
	for _, c := range todo {
		id, _ := peer.Decode(c.PeerID)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(m.d.Ctx(), 5*time.Second)
			defer cancel()
			// A successful dial fires onConnected, which does the rest.
			m.node.Host.Connect(ctx, peer.AddrInfo{ID: id})
		}()
	}
	wg.Wait()
}

// onConnected runs in the swarm's notification path: do the work elsewhere.
func (m *Messenger) onConnected(id peer.ID) {
	c, ok := m.contact(id)
	if !ok || c.State != contacts.Accepted {
		m.People.Connected(id) // a request to resend, or a removal to retell
		return
	}
	m.spawn(func() {
		switch c.State {
		case contacts.Accepted:
			m.Presence.SendTo(id)
			m.Chat.Flush(id)
			m.Chat.FlushUpdates(id)
			m.Transfers.Connected(id)
			m.Archive.SendFlag(id) // a compliance flag they have not heard of yet
			m.Carry.OnConnect(id)
		}
	})
}

func (m *Messenger) onDisconnected(id peer.ID) {
	if m.connected(id) {
		return // another connection is still up
	}
	if m.Presence.Disconnected(id) {
		m.publish(event.ContactsChanged{})
	}
}

// addrLoop keeps each contact's stored addresses current: whenever a
// contact identifies itself, the addresses it listens on are saved, so that
// after a restart on either side we know where to find it.
func (m *Messenger) addrLoop(sub levent.Subscription) {
	defer sub.Close()
	for {
		select {
		case <-m.d.Ctx().Done():
			return
		case e, ok := <-sub.Out():
			if !ok {
				return
			}
			ev := e.(levent.EvtPeerIdentificationCompleted)
			if len(ev.ListenAddrs) == 0 {
				continue
			}
			addrs := make([]string, 0, len(ev.ListenAddrs))
			for _, a := range ev.ListenAddrs {
				addrs = append(addrs, a.String())
			}
			m.book.Lock()
			c, known := m.contact(ev.Peer)
			if known && c.State != contacts.Blocked && !equalStrings(addrs, c.Addrs) {
				c.Addrs = addrs
				m.putContact(c)
			}
			m.book.Unlock()
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// livenessInterval is how often connected contacts are pinged. A contact
// whose machine vanished (no FIN, no RST: a QUIC peer killed, a cable
// pulled) is seen offline within about two intervals instead of after the
// transports' idle timeouts.
var livenessInterval = 3 * time.Second

func (m *Messenger) livenessLoop() {
	t := time.NewTicker(livenessInterval)
	defer t.Stop()
	for {
		select {
		case <-m.d.Ctx().Done():
			return
		case <-t.C:
		}
		peers, _ := m.book.Accepted()
		var wg sync.WaitGroup
		for _, id := range peers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(m.d.Ctx(), 2*livenessInterval)
				defer cancel()
				// Ping closes its channel without a result when ctx
				// expires: a silent peer is exactly that case.
				res, ok := <-ping.Ping(ctx, m.node.Host, id)
				if (!ok || res.Error != nil) && m.d.Ctx().Err() == nil {
					// Gone: drop the connection so presence goes offline
					// and the connect loop starts looking again.
					m.node.Host.Network().ClosePeer(id)
				}
			}()
		}
		wg.Wait()
	}
}
