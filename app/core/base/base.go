// Package base is what every mechanism of the core stands on: the profile's
// store, key and libp2p host, the event bus, the contact book, and the
// lifetime of background work (Tasks). A mechanism takes a *Deps when it
// is built and keeps its own state; Deps itself holds no mutable state but
// what Tasks and the Book guard.
package base

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/contacts/store"
)

// Deps are the shared parts a mechanism is built with. The composition
// root (core.Messenger) fills them once; nothing changes them afterwards.
type Deps struct {
	Store store.Store
	Host  host.Host
	Key   crypto.PrivKey // my identity key
	Self  peer.ID
	Dir   string // the profile folder
	Bus   *event.Bus
	Book  *book.Book
	Tasks *Tasks
	// Name is my display name, read anywhere.
	Name func() string
	// Now is the clock of timers that tests drive; time.Now otherwise.
	Now func() time.Time
	// Wake asks the connect loop to run now (dial contacts who are away).
	Wake func()
	// RetryInterval is how often unreachable peers are dialled again.
	RetryInterval time.Duration
	// Inbound keeps each contact's storage quota (inbound.go); nil: none.
	Inbound *Inbound
	// Dials bounds the dials of peers who are not my contacts (dial.go).
	Dials *Dials
}

// TakeInbound charges n bytes from a contact to its storage quota; over
// it, the user is told (once an hour) and ErrOverQuota returned, so the
// caller refuses what arrived and the sender keeps it.
func (d *Deps) TakeInbound(from peer.ID, n int64) error {
	if d.Inbound == nil {
		return nil
	}
	err := d.Inbound.Take(from, n)
	if err != nil && d.Inbound.ShouldWarn("quota "+from.String()) {
		d.Notice(d.Inbound.QuotaNotice(d.nameOf(from)))
	}
	return err
}

// StorageFailed tells the user (once an hour) that what a contact sent
// could not be stored; the caller refuses it, so the sender keeps it.
func (d *Deps) StorageFailed(from peer.ID, err error) {
	if d.Inbound == nil || d.Inbound.ShouldWarn("storage") {
		d.Notice(StorageNotice(d.nameOf(from), err))
	}
}

func (d *Deps) nameOf(id peer.ID) string {
	if d.Book != nil {
		if c, ok := d.Book.Get(id); ok {
			return book.DisplayName(c)
		}
	}
	return book.DisplayName(contacts.Contact{PeerID: id.String()})
}

// Publish queues an event for the UI.
func (d *Deps) Publish(e event.Event) { d.Bus.Publish(e) }

// Notice tells the user something, now.
func (d *Deps) Notice(text string) { d.Bus.Publish(event.Notice{Text: text, At: time.Now()}) }

// Ctx ends when the Messenger closes.
func (d *Deps) Ctx() context.Context { return d.Tasks.Ctx() }

// Go runs f in the background unless closing (see Tasks.Go).
func (d *Deps) Go(f func()) bool { return d.Tasks.Go(f) }

// Connected reports whether a connection to id is up now, a relayed
// (limited) one included: chat, presence and signalling run over it.
func (d *Deps) Connected(id peer.ID) bool {
	c := d.Host.Network().Connectedness(id)
	return c == network.Connected || c == network.Limited
}

// Addrs are the addresses this node listens on.
func (d *Deps) Addrs() []string {
	var out []string
	for _, a := range d.Host.Addrs() {
		out = append(out, a.String())
	}
	return out
}

// Timeout is a context for one network exchange that also ends on close.
func (d *Deps) Timeout(t time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(d.Ctx(), t)
}

// NewID returns a random 128-bit ID in hex (messages, transfers, calls).
func NewID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// dialTimeout bounds one background dial.
const dialTimeout = 5 * time.Second

// Dial connects to id at the addresses the peerstore knows; a successful
// dial fires the connect notification, which does the rest.
func (d *Deps) Dial(ctx context.Context, id peer.ID) error {
	return d.Host.Connect(ctx, peer.AddrInfo{ID: id})
}

// DialAll dials each peer in the background, each for at most five
// seconds, and returns when every dial has ended.
func (d *Deps) DialAll(ids []peer.ID) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := d.Timeout(dialTimeout)
			defer cancel()
			d.Dial(ctx, id)
		}()
	}
	wg.Wait()
}
