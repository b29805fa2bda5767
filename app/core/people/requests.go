package people

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	manet "github.com/multiformats/go-multiaddr/net"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/wire"
)

// InviteCode returns a fresh invite code: my peer ID, my addresses and a
// one-time secret. The first request that carries the secret is accepted
// without asking.
func (p *People) InviteCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	if err := p.d.Store.AddInvite(contacts.Invite{Secret: secret, CreatedAt: time.Now()}); err != nil {
		return "", fmt.Errorf("saving invite: %w", err)
	}
	return wire.EncodeInvite(wire.Invite{
		PeerID: p.d.Self.String(),
		Addrs:  p.inviteAddrs(),
		Secret: secret,
		Name:   p.d.Name(),
	}), nil
}

// ShortInviteCode returns a fresh short invite code (under 60 characters,
// to read out or type): my identity and a one-time secret, no addresses.
// Whoever uses it finds me through the relays, contacts and LAN they know
// (Config.FindAddrs).
func (p *People) ShortInviteCode() (string, error) {
	b := make([]byte, wire.ShortSecretLen)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	code, err := wire.EncodeShortInvite(p.d.Key.GetPublic(), b)
	if err != nil {
		return "", err
	}
	if err := p.d.Store.AddInvite(contacts.Invite{Secret: wire.ShortSecret(b), CreatedAt: time.Now()}); err != nil {
		return "", fmt.Errorf("saving invite: %w", err)
	}
	return code, nil
}

// maxInviteAddrs keeps invite codes short enough to paste anywhere.
const maxInviteAddrs = 6

// inviteAddrs are the addresses an invite code carries: those the root's
// InviteAddrs hook picks (p2p/node: public, mapped, observed and relay
// addresses, never loopback), else the host's own minus loopback and
// link-local.
func (p *People) inviteAddrs() []string {
	if p.cfg.InviteAddrs != nil {
		out := p.cfg.InviteAddrs()
		return out[:min(len(out), maxInviteAddrs)]
	}
	var out []string
	for _, a := range p.d.Host.Addrs() {
		if manet.IsIPLoopback(a) || manet.IsIP6LinkLocal(a) {
			continue
		}
		out = append(out, a.String())
	}
	return out[:min(len(out), maxInviteAddrs)]
}

// AddByInvite records the person behind an invite code as a contact I asked
// for, and sends them a request. When they cannot be reached now, the
// request goes out as soon as they can.
func (p *People) AddByInvite(code, note string) error {
	inv, err := wire.ParseInvite(code)
	if err != nil {
		return err
	}
	id, err := peer.Decode(inv.PeerID)
	if err != nil {
		return wire.ErrBadInvite
	}
	if id == p.d.Self {
		return ErrOwnInvite
	}
	if len(note) > wire.MaxNoteLen {
		return ErrNoteTooLong
	}
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	if c, ok := p.d.Book.Get(id); ok {
		switch c.State {
		case contacts.Accepted:
			// A fresh code from a contact: it says where they are now.
			return p.updateAddrsLocked(c, inv.Addrs)
		case contacts.Blocked:
			return ErrBlocked
		case contacts.Incoming:
			// They asked me first: adding them is accepting.
			return p.acceptLocked(id, c)
		}
	}
	addrs := inv.Addrs
	if p.cfg.FindAddrs != nil {
		// A short code carries no addresses, and a long one's may be
		// stale: where else they may be found goes after them.
		addrs = mergeAddrs(addrs, p.cfg.FindAddrs(id))
	}
	c := contacts.Contact{
		PeerID:  id.String(),
		Name:    inv.Name,
		Addrs:   addrs,
		State:   contacts.Outgoing,
		Message: note,
		AddedAt: time.Now(),
	}
	if old, ok := p.d.Book.Get(id); ok && old.Name != "" && c.Name == "" {
		c.Name = old.Name
	}
	if err := p.d.Book.Put(c); err != nil {
		return err
	}
	p.setPendingSecret(id, inv.Secret)
	p.d.Publish(event.ContactsChanged{})
	p.d.Go(func() {
		p.sendRequest(id)
	})
	return nil
}

// updateAddrsLocked puts the addresses of a contact's fresh invite code
// before the ones I knew, and dials them; the book's edit lock is held.
func (p *People) updateAddrsLocked(c contacts.Contact, addrs []string) error {
	merged := mergeAddrs(addrs, c.Addrs)
	c.Addrs = merged[:min(len(merged), maxStoredAddrs)]
	if err := p.d.Book.Put(c); err != nil {
		return err
	}
	p.d.Publish(event.ContactsChanged{})
	p.d.Publish(event.Notice{Text: book.DisplayName(c) + " is already a contact: their addresses are updated.", At: time.Now()})
	if p.d.Wake != nil {
		p.d.Wake()
	}
	return nil
}

// maxStoredAddrs bounds the addresses kept for a contact.
const maxStoredAddrs = 16

// RequestNearby sends a contact request to someone found on the LAN.
func (p *People) RequestNearby(peerID, note string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return fmt.Errorf("%w: %v", book.ErrUnknownPeer, err)
	}
	if len(note) > wire.MaxNoteLen {
		return ErrNoteTooLong
	}
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	if _, ok := p.d.Book.Get(id); ok {
		return ErrAlreadyContact
	}
	c := contacts.Contact{PeerID: peerID, Name: p.nearbyName(id), State: contacts.Outgoing, Message: note, AddedAt: time.Now()}
	for _, a := range p.d.Host.Peerstore().Addrs(id) {
		c.Addrs = append(c.Addrs, a.String())
	}
	if err := p.d.Book.Put(c); err != nil {
		return err
	}
	p.d.Publish(event.ContactsChanged{})
	p.d.Go(func() {
		p.sendRequest(id)
	})
	return nil
}

func (p *People) setPendingSecret(id peer.ID, secret string) {
	if secret == "" {
		return
	}
	p.d.Store.SetSetting("invite.secret."+id.String(), []byte(secret))
}

func (p *People) pendingSecret(id peer.ID) string {
	b, err := p.d.Store.Setting("invite.secret." + id.String())
	if err != nil {
		return ""
	}
	return string(b)
}

// sendRequest sends (or resends) my request to an Outgoing contact.
func (p *People) sendRequest(id peer.ID) {
	c, ok := p.d.Book.Get(id)
	if !ok || c.State != contacts.Outgoing {
		return
	}
	ctx, cancel := context.WithTimeout(p.d.Ctx(), 10*time.Second)
	defer cancel()
	reply, err := p.req.Send(ctx, id, wire.ContactRequest{
		Kind:   wire.KindRequest,
		Name:   p.d.Name(),
		Note:   c.Message,
		Secret: p.pendingSecret(id),
		Addrs:  p.inviteAddrs(),
	})
	if err != nil {
		// Not reached, or no answer (their rate limit drops requests
		// without replying): the connect loop redials, or resends while
		// we stay connected.
		p.unanswered.Store(id, true)
		return
	}
	p.unanswered.Delete(id)
	if reply.Status == wire.StatusAccepted {
		p.becameContact(id, reply.Name)
	}
}

// becameContact finishes the consent flow on my side.
func (p *People) becameContact(id peer.ID, name string) {
	p.d.Book.Lock()
	c, ok := p.d.Book.Get(id)
	if !ok || c.State != contacts.Outgoing {
		p.d.Book.Unlock()
		return
	}
	c.State = contacts.Accepted
	if name != "" && c.Name == "" {
		c.Name = name
	}
	err := p.d.Book.Put(c)
	p.d.Book.Unlock()
	if err != nil {
		p.d.Publish(event.Notice{Text: "Could not save contact: " + err.Error(), At: time.Now()})
		return
	}
	p.d.Store.SetSetting("invite.secret."+id.String(), nil)
	p.d.Publish(event.ContactsChanged{})
	p.welcome(id)
}

// onRequest answers the contact-request protocol, the only one strangers
// reach. It runs on the protocol's goroutine.
func (p *People) onRequest(from peer.ID, r wire.ContactRequest) wire.ContactReply {
	// One decision at a time: two copies of a request racing each other
	// must not both read "unknown" and undo each other's answer.
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	me := wire.ContactReply{Status: wire.StatusPending}
	c, known := p.d.Book.Get(from)
	if known && c.State == contacts.Blocked {
		return me // silent: a blocked person learns nothing
	}
	if !known && r.Kind == wire.KindRequest && p.refuseStranger(r) {
		return me // my privacy setting: dropped unseen (contactmgmt.go)
	}
	switch r.Kind {
	case wire.KindRemove:
		p.onRemoved(from, c, known)
	case wire.KindRequest:
		if known && (c.State == contacts.Accepted || c.State == contacts.Outgoing) {
			// Already a contact (they lost state), or we both asked.
			if c.State == contacts.Outgoing {
				if c.Name == "" {
					c.Name = r.Name
				}
				c.Addrs = mergeAddrs(c.Addrs, r.Addrs)
				c.State = contacts.Accepted
				p.d.Book.Put(c)
				p.d.Publish(event.ContactsChanged{})
				p.afterAccept(from)
			}
			return wire.ContactReply{Status: wire.StatusAccepted, Name: p.d.Name()}
		}
		if r.Secret != "" {
			if ok, err := p.d.Store.UseInvite(r.Secret); err == nil && ok {
				nc := contacts.Contact{PeerID: from.String(), Name: r.Name, Addrs: r.Addrs,
					State: contacts.Accepted, Message: r.Note, AddedAt: time.Now()}
				if err := p.d.Book.Put(nc); err != nil {
					return me
				}
				p.d.Publish(event.ContactsChanged{})
				p.d.Publish(event.Notice{Text: book.DisplayName(nc) + " added you with your invite code.", At: time.Now()})
				p.warnSameName(nc)
				p.afterAccept(from)
				return wire.ContactReply{Status: wire.StatusAccepted, Name: p.d.Name()}
			}
		}
		if known && c.State == contacts.Incoming {
			return me // already waiting for my answer
		}
		if !p.mayWait() {
			return me // policy or too many waiting: dropped unseen
		}
		nc := contacts.Contact{PeerID: from.String(), Name: r.Name, Addrs: r.Addrs,
			State: contacts.Incoming, Message: r.Note, AddedAt: p.d.Now()}
		if err := p.d.Book.Put(nc); err == nil {
			p.d.Publish(event.RequestReceived{Contact: nc})
			p.d.Publish(event.ContactsChanged{})
			p.warnSameName(nc)
		}
		return me
	case wire.KindAccept:
		if known && c.State == contacts.Outgoing {
			p.d.Go(func() { p.becameContact(from, r.Name) })
			return wire.ContactReply{Status: wire.StatusAccepted, Name: p.d.Name()}
		}
		if known && c.State == contacts.Accepted {
			return wire.ContactReply{Status: wire.StatusAccepted, Name: p.d.Name()}
		}
	case wire.KindDecline:
		if known && c.State == contacts.Outgoing {
			p.d.Book.Delete(from)
			p.d.Publish(event.ContactsChanged{})
			p.d.Publish(event.Notice{Text: book.DisplayName(c) + " declined your request.", At: time.Now()})
		}
	}
	return me
}

// afterAccept sends presence and pending messages once a contact is made,
// off the protocol goroutine.
func (p *People) afterAccept(id peer.ID) {
	p.d.Go(func() {
		p.welcome(id)
	})
}

// Accept answers an incoming request with yes.
func (p *People) Accept(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	c, ok := p.d.Book.Get(id)
	if !ok || c.State != contacts.Incoming {
		return book.ErrUnknownPeer
	}
	return p.acceptLocked(id, c)
}

// acceptLocked makes an incoming request a contact; the book's edit lock is held.
func (p *People) acceptLocked(id peer.ID, c contacts.Contact) error {
	c.State = contacts.Accepted
	if err := p.d.Book.Put(c); err != nil {
		return err
	}
	p.d.Publish(event.ContactsChanged{})
	p.d.Go(func() {
		ctx, cancel := context.WithTimeout(p.d.Ctx(), 10*time.Second)
		defer cancel()
		// If this fails they will learn it when they resend their request,
		// which they do every time they reach me.
		p.req.Send(ctx, id, wire.ContactRequest{Kind: wire.KindAccept, Name: p.d.Name(), Addrs: p.inviteAddrs()})
		p.welcome(id)
	})
	return nil
}

// Decline answers an incoming request with no and forgets it.
func (p *People) Decline(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	p.d.Book.Lock()
	c, ok := p.d.Book.Get(id)
	if !ok || c.State != contacts.Incoming {
		p.d.Book.Unlock()
		return book.ErrUnknownPeer
	}
	err = p.d.Book.Delete(id)
	p.d.Book.Unlock()
	if err != nil {
		return err
	}
	p.d.Publish(event.ContactsChanged{})
	p.d.Go(func() {
		ctx, cancel := context.WithTimeout(p.d.Ctx(), 5*time.Second)
		defer cancel()
		p.req.Send(ctx, id, wire.ContactRequest{Kind: wire.KindDecline, Name: p.d.Name()})
		// Whatever streams they still hold to me end now.
		p.d.Host.Network().ClosePeer(id)
	})
	return nil
}

func mergeAddrs(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
