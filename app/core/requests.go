package core

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"hearth/app/core/book"
	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/peer"
	manet "github.com/multiformats/go-multiaddr/net"

	"hearth/contacts"
	"hearth/p2p/wire"
)

// InviteCode returns a fresh invite code: my peer ID, my addresses and a
// one-time secret. The first request that carries the secret is accepted
// without asking.
func (m *Messenger) InviteCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	if err := m.store.AddInvite(contacts.Invite{Secret: secret, CreatedAt: time.Now()}); err != nil {
		return "", fmt.Errorf("saving invite: %w", err)
	}
	return wire.EncodeInvite(wire.Invite{
		PeerID: m.prof.ID.String(),
		Addrs:  m.inviteAddrs(),
		Secret: secret,
		Name:   m.MyName(),
	}), nil
}

// maxInviteAddrs keeps invite codes short enough to paste anywhere.
const maxInviteAddrs = 4

// inviteAddrs picks the addresses worth putting in an invite code: TCP
// before QUIC, LAN before loopback, no link-local IPv6 (useless without a
// zone). Loopback stays in: it is how two profiles on one machine meet.
func (m *Messenger) inviteAddrs() []string {
	var lan, loop []string
	for _, a := range m.node.Host.Addrs() {
		s := a.String()
		switch {
		case strings.HasPrefix(s, "/ip6/fe80"), strings.Contains(s, "/quic") && len(lan)+len(loop) >= 2:
			continue
		case manet.IsIPLoopback(a):
			loop = append(loop, s)
		default:
			lan = append(lan, s)
		}
	}
	sort.SliceStable(lan, func(i, j int) bool { return strings.Contains(lan[i], "/tcp/") && !strings.Contains(lan[j], "/tcp/") })
	sort.SliceStable(loop, func(i, j int) bool { return strings.Contains(loop[i], "/tcp/") && !strings.Contains(loop[j], "/tcp/") })
	out := append(lan[:min(len(lan), maxInviteAddrs-1)], loop...)
	return out[:min(len(out), maxInviteAddrs)]
}

// AddByInvite records the person behind an invite code as a contact I asked
// for, and sends them a request. When they cannot be reached now, the
// request goes out as soon as they can.
func (m *Messenger) AddByInvite(code, note string) error {
	inv, err := wire.ParseInvite(code)
	if err != nil {
		return err
	}
	id, err := peer.Decode(inv.PeerID)
	if err != nil {
		return wire.ErrBadInvite
	}
	if id == m.prof.ID {
		return ErrOwnInvite
	}
	if len(note) > wire.MaxNoteLen {
		return ErrNoteTooLong
	}
	m.book.Lock()
	defer m.book.Unlock()
	if c, ok := m.contact(id); ok {
		switch c.State {
		case contacts.Accepted:
			return ErrAlreadyContact
		case contacts.Blocked:
			return ErrBlocked
		case contacts.Incoming:
			// They asked me first: adding them is accepting.
			return m.acceptLocked(id, c)
		}
	}
	c := contacts.Contact{
		PeerID:  id.String(),
		Name:    inv.Name,
		Addrs:   inv.Addrs,
		State:   contacts.Outgoing,
		Message: note,
		AddedAt: time.Now(),
	}
	if old, ok := m.contact(id); ok && old.Name != "" && c.Name == "" {
		c.Name = old.Name
	}
	if err := m.putContact(c); err != nil {
		return err
	}
	m.setPendingSecret(id, inv.Secret)
	m.publish(event.ContactsChanged{})
	m.spawn(func() {
		m.sendRequest(id)
	})
	return nil
}

// RequestNearby sends a contact request to someone found on the LAN.
func (m *Messenger) RequestNearby(peerID, note string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return fmt.Errorf("%w: %v", book.ErrUnknownPeer, err)
	}
	if len(note) > wire.MaxNoteLen {
		return ErrNoteTooLong
	}
	m.book.Lock()
	defer m.book.Unlock()
	if _, ok := m.contact(id); ok {
		return ErrAlreadyContact
	}
	c := contacts.Contact{PeerID: peerID, Name: m.nearbyName(id), State: contacts.Outgoing, Message: note, AddedAt: time.Now()}
	for _, a := range m.node.Host.Peerstore().Addrs(id) {
		c.Addrs = append(c.Addrs, a.String())
	}
	if err := m.putContact(c); err != nil {
		return err
	}
	m.publish(event.ContactsChanged{})
	m.spawn(func() {
		m.sendRequest(id)
	})
	return nil
}

func (m *Messenger) setPendingSecret(id peer.ID, secret string) {
	if secret == "" {
		return
	}
	m.store.SetSetting("invite.secret."+id.String(), []byte(secret))
}

func (m *Messenger) pendingSecret(id peer.ID) string {
	b, err := m.store.Setting("invite.secret." + id.String())
	if err != nil {
		return ""
	}
	return string(b)
}

// sendRequest sends (or resends) my request to an Outgoing contact.
func (m *Messenger) sendRequest(id peer.ID) {
	c, ok := m.contact(id)
	if !ok || c.State != contacts.Outgoing {
		return
	}
	ctx, cancel := context.WithTimeout(m.d.Ctx(), 10*time.Second)
	defer cancel()
	reply, err := m.req.Send(ctx, id, wire.ContactRequest{
		Kind:   wire.KindRequest,
		Name:   m.MyName(),
		Note:   c.Message,
		Secret: m.pendingSecret(id),
		Addrs:  m.Addrs(),
	})
	if err != nil {
		// Not reached, or no answer (their rate limit drops requests
		// without replying): the connect loop redials, or resends while
		// we stay connected.
		m.reqUnanswered.Store(id, true)
		return
	}
	m.reqUnanswered.Delete(id)
	if reply.Status == wire.StatusAccepted {
		m.becameContact(id, reply.Name)
	}
}

// becameContact finishes the consent flow on my side.
func (m *Messenger) becameContact(id peer.ID, name string) {
	m.book.Lock()
	c, ok := m.contact(id)
	if !ok || c.State != contacts.Outgoing {
		m.book.Unlock()
		return
	}
	c.State = contacts.Accepted
	if name != "" && c.Name == "" {
		c.Name = name
	}
	err := m.putContact(c)
	m.book.Unlock()
	if err != nil {
		m.publish(event.Notice{Text: "Could not save contact: " + err.Error(), At: time.Now()})
		return
	}
	m.store.SetSetting("invite.secret."+id.String(), nil)
	m.publish(event.ContactsChanged{})
	m.Presence.SendTo(id)
	m.flush(id)
}

// onRequest answers the contact-request protocol, the only one strangers
// reach. It runs on the protocol's goroutine.
func (m *Messenger) onRequest(from peer.ID, r wire.ContactRequest) wire.ContactReply {
	// One decision at a time: two copies of a request racing each other
	// must not both read "unknown" and undo each other's answer.
	m.book.Lock()
	defer m.book.Unlock()
	me := wire.ContactReply{Status: wire.StatusPending}
	c, known := m.contact(from)
	if known && c.State == contacts.Blocked {
		return me // silent: a blocked person learns nothing
	}
	if !known && r.Kind == wire.KindRequest && m.refuseStranger(r) {
		return me // my privacy setting: dropped unseen (contactmgmt.go)
	}
	switch r.Kind {
	case wire.KindRemove:
		m.onRemoved(from, c, known)
	case wire.KindRequest:
		if known && (c.State == contacts.Accepted || c.State == contacts.Outgoing) {
			// Already a contact (they lost state), or we both asked.
			if c.State == contacts.Outgoing {
				if c.Name == "" {
					c.Name = r.Name
				}
				c.Addrs = mergeAddrs(c.Addrs, r.Addrs)
				c.State = contacts.Accepted
				m.putContact(c)
				m.publish(event.ContactsChanged{})
				m.afterAccept(from)
			}
			return wire.ContactReply{Status: wire.StatusAccepted, Name: m.MyName()}
		}
		if r.Secret != "" {
			if ok, err := m.store.UseInvite(r.Secret); err == nil && ok {
				nc := contacts.Contact{PeerID: from.String(), Name: r.Name, Addrs: r.Addrs,
					State: contacts.Accepted, Message: r.Note, AddedAt: time.Now()}
				if err := m.putContact(nc); err != nil {
					return me
				}
				m.publish(event.ContactsChanged{})
				m.publish(event.Notice{Text: displayName(nc) + " added you with your invite code.", At: time.Now()})
				m.warnSameName(nc)
				m.afterAccept(from)
				return wire.ContactReply{Status: wire.StatusAccepted, Name: m.MyName()}
			}
		}
		if known && c.State == contacts.Incoming {
			return me // already waiting for my answer
		}
		if !m.mayWait() {
			return me // policy or too many waiting: dropped unseen
		}
		nc := contacts.Contact{PeerID: from.String(), Name: r.Name, Addrs: r.Addrs,
			State: contacts.Incoming, Message: r.Note, AddedAt: time.Now()}
		if err := m.putContact(nc); err == nil {
			m.publish(event.RequestReceived{Contact: nc})
			m.publish(event.ContactsChanged{})
			m.warnSameName(nc)
		}
		return me
	case wire.KindAccept:
		if known && c.State == contacts.Outgoing {
			m.spawn(func() { m.becameContact(from, r.Name) })
			return wire.ContactReply{Status: wire.StatusAccepted, Name: m.MyName()}
		}
		if known && c.State == contacts.Accepted {
			return wire.ContactReply{Status: wire.StatusAccepted, Name: m.MyName()}
		}
	case wire.KindDecline:
		if known && c.State == contacts.Outgoing {
			m.deleteContact(from)
			m.publish(event.ContactsChanged{})
			m.publish(event.Notice{Text: displayName(c) + " declined your request.", At: time.Now()})
		}
	}
	return me
}

// afterAccept sends presence and pending messages once a contact is made,
// off the protocol goroutine.
func (m *Messenger) afterAccept(id peer.ID) {
	m.spawn(func() {
		m.Presence.SendTo(id)
		m.flush(id)
	})
}

// Accept answers an incoming request with yes.
func (m *Messenger) Accept(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	m.book.Lock()
	defer m.book.Unlock()
	c, ok := m.contact(id)
	if !ok || c.State != contacts.Incoming {
		return book.ErrUnknownPeer
	}
	return m.acceptLocked(id, c)
}

// acceptLocked makes an incoming request a contact; m.cmu is held.
func (m *Messenger) acceptLocked(id peer.ID, c contacts.Contact) error {
	c.State = contacts.Accepted
	if err := m.putContact(c); err != nil {
		return err
	}
	m.publish(event.ContactsChanged{})
	m.spawn(func() {
		ctx, cancel := context.WithTimeout(m.d.Ctx(), 10*time.Second)
		defer cancel()
		// If this fails they will learn it when they resend their request,
		// which they do every time they reach me.
		m.req.Send(ctx, id, wire.ContactRequest{Kind: wire.KindAccept, Name: m.MyName(), Addrs: m.Addrs()})
		m.Presence.SendTo(id)
		m.flush(id)
	})
	return nil
}

// Decline answers an incoming request with no and forgets it.
func (m *Messenger) Decline(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	m.book.Lock()
	c, ok := m.contact(id)
	if !ok || c.State != contacts.Incoming {
		m.book.Unlock()
		return book.ErrUnknownPeer
	}
	err = m.deleteContact(id)
	m.book.Unlock()
	if err != nil {
		return err
	}
	m.publish(event.ContactsChanged{})
	m.spawn(func() {
		ctx, cancel := context.WithTimeout(m.d.Ctx(), 5*time.Second)
		defer cancel()
		m.req.Send(ctx, id, wire.ContactRequest{Kind: wire.KindDecline, Name: m.MyName()})
		// Whatever streams they still hold to me end now.
		m.node.Host.Network().ClosePeer(id)
	})
	return nil
}

// Contacts lists everyone I know with their presence and unread counts:
// online first, then by name.
func (m *Messenger) Contacts() ([]ContactView, error) {
	all := m.book.Snapshot()
	views := make([]ContactView, 0, len(all))
	for id, c := range all {
		v := ContactView{Contact: c}
		v.Presence, v.StatusText, v.Avatar = m.Presence.Of(id)
		views = append(views, v)
	}
	m.addWarnings(views)
	unread, err := m.store.UnreadCounts() // one grouped query for everyone
	if err != nil {
		return nil, err
	}
	for i := range views {
		if views[i].State == contacts.Accepted {
			views[i].Unread = unread[views[i].PeerID]
			views[i].Muted = m.Muted(views[i].PeerID)
		}
	}
	sort.Slice(views, func(i, j int) bool {
		a, b := views[i], views[j]
		if (a.Presence != contacts.Offline) != (b.Presence != contacts.Offline) {
			return a.Presence != contacts.Offline
		}
		an, bn := strings.ToLower(displayName(a.Contact)), strings.ToLower(displayName(b.Contact))
		if an != bn {
			return an < bn
		}
		return a.PeerID < b.PeerID
	})
	return views, nil
}

func displayName(c contacts.Contact) string {
	if c.Name != "" {
		return c.Name
	}
	if len(c.PeerID) > 8 {
		return "…" + c.PeerID[len(c.PeerID)-8:]
	}
	return c.PeerID
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

var (
	// ErrOwnInvite: the user pasted their own code.
	ErrOwnInvite = errors.New("this is your own invite code: send it to the other person, and paste theirs here")
	// ErrAlreadyContact: the person is already in the contact list.
	ErrAlreadyContact = errors.New("this person is already one of your contacts")
	// ErrNoteTooLong: the note sent with a request is over the limit.
	ErrNoteTooLong = fmt.Errorf("the note is too long (%d characters at most)", wire.MaxNoteLen)
	// ErrBlocked: the person is blocked.
	ErrBlocked = errors.New("you blocked this person")
)
