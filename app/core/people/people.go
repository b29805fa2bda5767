// Package people is the contact list as the user manages it: invite codes
// and contact requests (the only protocol strangers reach, rate-limited),
// mutual consent, renaming, notes, labels, block, unblock, remove, safety
// codes, and who may send requests at all. The list itself lives in the
// book (app/core/book); People decides what changes in it.
package people

import (
	"errors"
	"image"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/contactreq"
	"hearth/p2p/wire"
)

// ContactView is a contact as the contact list shows it.
type ContactView struct {
	contacts.Contact
	Presence   contacts.Presence
	StatusText string
	Unread     int
	// Warning is set on a contact or request that is not verified but
	// uses the name of one that is (a different key: someone else).
	Warning string
	Avatar  image.Image // nil: none, show initials
	Muted   bool        // no notifications for this conversation
	// Link says how we are connected now, for people: "Direct",
	// "Through a public relay", "Through Ann's relay"; "" when not
	// connected.
	Link string
}

// Config tunes People and connects it to the mechanisms it tells.
type Config struct {
	// Limits tunes the contact-request rate limits (tests); zero fields
	// take contactreq's defaults.
	Limits contactreq.Config
	// MaxPending bounds incoming requests waiting for an answer
	// (0: DefaultMaxPendingRequests).
	MaxPending int

	// Welcome runs (on a background goroutine) once someone became my
	// contact: my presence and what waits for them go out.
	Welcome func(id peer.ID)
	// EndCalls hangs up calls with someone blocked or removed.
	EndCalls func(id peer.ID)
	// ForgetPresence drops what a blocked contact's connection told.
	ForgetPresence func(id peer.ID)
	// NearbyName is the name someone found on the LAN announced.
	NearbyName func(id peer.ID) string
	// Muted reports whether a conversation's notifications are off.
	Muted func(conversation string) bool
	// PresenceOf is what a contact told me of itself.
	PresenceOf func(id peer.ID) (contacts.Presence, string, image.Image)
	// InviteAddrs are my addresses worth putting in an invite code
	// (p2p/node.ShareableAddrs); nil: the host's, minus loopback.
	InviteAddrs func() []string
	// FindAddrs are addresses where someone whose invite code I use may
	// be found besides the code's own: circuits through the relays I
	// know (a short code carries no addresses). nil: none.
	FindAddrs func(id peer.ID) []string
	// LinkOf describes the connection to a contact (ContactView.Link);
	// nil: none shown.
	LinkOf func(id peer.ID) string
}

// People owns the contact-request protocol and the consent flow. The
// contacts are the book's (guarded by its locks); People's own state is
// unanswered, which needs no lock of its own.
type People struct {
	d   *base.Deps
	cfg Config
	req *contactreq.Service
	// unanswered holds the Outgoing contacts whose last request got no
	// answer; the connect loop resends to those still connected.
	unanswered sync.Map // peer.ID → bool
}

// errUnchanged tells updateContact to write nothing.
var errUnchanged = errors.New("unchanged")

// New registers the contact-request protocol.
func New(d *base.Deps, cfg Config) *People {
	p := &People{d: d, cfg: cfg}
	p.req = contactreq.New(d.Host, p.requestConfig())
	return p
}

// Close stops the contact-request protocol.
func (p *People) Close() { p.req.Close() }

// Unanswered reports whether my last request to id got no answer.
func (p *People) Unanswered(id peer.ID) bool {
	_, ok := p.unanswered.Load(id)
	return ok
}

// SendRequest sends (or resends) my request to an Outgoing contact.
func (p *People) SendRequest(id peer.ID) { p.sendRequest(id) }

// Connected runs when someone who is not an accepted contact connects: an
// Outgoing contact hears my request again, and someone I removed who has
// not heard it yet is told.
func (p *People) Connected(id peer.ID) {
	c, ok := p.d.Book.Get(id)
	switch {
	case !ok:
		p.retellRemoved(id)
	case c.State == contacts.Outgoing:
		p.d.Go(func() { p.sendRequest(id) })
	}
}

func (p *People) welcome(id peer.ID) {
	if p.cfg.Welcome != nil {
		p.cfg.Welcome(id)
	}
}

func (p *People) endCalls(id peer.ID) {
	if p.cfg.EndCalls != nil {
		p.cfg.EndCalls(id)
	}
}

func (p *People) forgetPresence(id peer.ID) {
	if p.cfg.ForgetPresence != nil {
		p.cfg.ForgetPresence(id)
	}
}

func (p *People) nearbyName(id peer.ID) string {
	if p.cfg.NearbyName != nil {
		return p.cfg.NearbyName(id)
	}
	return ""
}

func (p *People) muted(conversation string) bool {
	return p.cfg.Muted != nil && p.cfg.Muted(conversation)
}

func (p *People) presenceOf(id peer.ID) (contacts.Presence, string, image.Image) {
	if p.cfg.PresenceOf != nil {
		return p.cfg.PresenceOf(id)
	}
	return contacts.Offline, "", nil
}

// AddPaired stores someone I paired with by a short code as an accepted
// contact (the PAKE proved both sides), as an invite code would.
func (p *People) AddPaired(id peer.ID, name string) error {
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	c, known := p.d.Book.Get(id)
	if known && c.State == contacts.Blocked {
		return ErrBlocked
	}
	if !known {
		c = contacts.Contact{PeerID: id.String(), AddedAt: time.Now()}
	}
	if c.Name == "" {
		c.Name = name
	}
	if len(c.Addrs) == 0 {
		for _, a := range p.d.Host.Peerstore().Addrs(id) {
			c.Addrs = append(c.Addrs, a.String())
		}
	}
	wasAccepted := c.State == contacts.Accepted && known
	c.State = contacts.Accepted
	if err := p.d.Book.Put(c); err != nil {
		return err
	}
	p.d.Publish(event.ContactsChanged{})
	if !wasAccepted {
		p.afterAccept(id)
	}
	return nil
}

// Receive decides on a contact request as if it had arrived from the
// network: it is the protocol's handler.
func (p *People) Receive(from peer.ID, r wire.ContactRequest) wire.ContactReply {
	return p.onRequest(from, r)
}

// RequestStats reports the rate limiter's work: requests dropped so far,
// and how many senders it tracks now.
func (p *People) RequestStats() (dropped uint64, tracked int) {
	return p.req.Dropped(), p.req.Tracked()
}
