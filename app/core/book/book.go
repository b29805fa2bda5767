// Package book is the contact list in memory: a mirror of the store's
// contacts, so gating decisions (who may open which stream) never touch
// the disk. It also keeps libp2p in step with the list: a contact's
// addresses go into the peerstore and its connections are protected from
// the connection manager.
package book

import (
	"errors"
	"fmt"
	"sync"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"

	"hearth/contacts"
	"hearth/contacts/store"
)

var (
	// ErrUnknownPeer: no such contact (or no such request).
	ErrUnknownPeer = errors.New("unknown contact")
	// ErrNotContact: chat and calls are for accepted contacts only.
	ErrNotContact = errors.New("this person has not accepted your request yet")
)

// Book owns the contact cache.
//
// Two locks: edit serialises every read-modify-write of a contact (request
// decisions, accept, addresses, profile names), so no stale copy
// overwrites a newer state; take it (Lock) before any other lock of the
// core. mu guards the map only and is never held while calling out.
type Book struct {
	store store.Store
	host  host.Host // nil until Attach

	// Hooks run after a contact is stored or deleted, outside mu (the
	// composition root sets them before anything runs).
	OnPut    func(id peer.ID, c contacts.Contact)
	OnDelete func(id peer.ID)

	edit sync.Mutex

	mu       sync.Mutex // guards contacts
	contacts map[peer.ID]contacts.Contact
}

// Load reads the contacts from the store.
func Load(st store.Store) (*Book, error) {
	cs, err := st.Contacts()
	if err != nil {
		return nil, fmt.Errorf("loading contacts: %w", err)
	}
	b := &Book{store: st, contacts: map[peer.ID]contacts.Contact{}}
	for _, c := range cs {
		id, err := peer.Decode(c.PeerID)
		if err != nil {
			continue
		}
		b.contacts[id] = c
	}
	return b, nil
}

// Attach connects the book to the host once it exists: every contact's
// addresses go into the peerstore.
func (b *Book) Attach(h host.Host) {
	b.host = h
	for id, c := range b.Snapshot() {
		b.RememberAddrs(id, c.Addrs)
	}
}

// Lock takes the edit lock: hold it across a read-modify-write of a
// contact.
func (b *Book) Lock() { b.edit.Lock() }

// Unlock releases the edit lock.
func (b *Book) Unlock() { b.edit.Unlock() }

// Get returns the cached contact.
func (b *Book) Get(id peer.ID) (contacts.Contact, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.contacts[id]
	return c, ok
}

// Lookup is Get by the peer ID's text; ErrUnknownPeer when it is not one.
func (b *Book) Lookup(peerID string) (peer.ID, contacts.Contact, error) {
	id, err := peer.Decode(peerID)
	if err != nil {
		return "", contacts.Contact{}, ErrUnknownPeer
	}
	c, ok := b.Get(id)
	if !ok {
		return id, c, ErrUnknownPeer
	}
	return id, c, nil
}

// IsAccepted reports whether id is an accepted contact: the Allow of every
// protocol but contact requests.
func (b *Book) IsAccepted(id peer.ID) bool {
	c, ok := b.Get(id)
	return ok && c.State == contacts.Accepted
}

// IsBlocked reports whether id is blocked (the gater refuses it).
func (b *Book) IsBlocked(id peer.ID) bool {
	c, ok := b.Get(id)
	return ok && c.State == contacts.Blocked
}

// Snapshot copies the whole list.
func (b *Book) Snapshot() map[peer.ID]contacts.Contact {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[peer.ID]contacts.Contact, len(b.contacts))
	for id, c := range b.contacts {
		out[id] = c
	}
	return out
}

// InState lists the contacts in one of the given states.
func (b *Book) InState(states ...contacts.State) []peer.ID {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []peer.ID
	for id, c := range b.contacts {
		for _, s := range states {
			if c.State == s {
				out = append(out, id)
				break
			}
		}
	}
	return out
}

// Count counts the contacts in a state.
func (b *Book) Count(state contacts.State) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.contacts {
		if c.State == state {
			n++
		}
	}
	return n
}

// Accepted lists accepted contacts, split by whether they are connected.
func (b *Book) Accepted() (online, offline []peer.ID) {
	for _, id := range b.InState(contacts.Accepted) {
		if b.connected(id) {
			online = append(online, id)
		} else {
			offline = append(offline, id)
		}
	}
	return online, offline
}

// connected counts a relayed (limited) connection too: chat and presence
// run over it.
func (b *Book) connected(id peer.ID) bool {
	if b.host == nil {
		return false
	}
	c := b.host.Network().Connectedness(id)
	return c == network.Connected || c == network.Limited
}

// Put writes a contact through to the store and the cache.
func (b *Book) Put(c contacts.Contact) error {
	id, err := peer.Decode(c.PeerID)
	if err != nil {
		return err
	}
	if err := b.store.PutContact(c); err != nil {
		return fmt.Errorf("saving contact: %w", err)
	}
	b.mu.Lock()
	b.contacts[id] = c
	b.mu.Unlock()
	b.RememberAddrs(id, c.Addrs)
	if b.host != nil {
		if c.State == contacts.Accepted {
			// Contacts' connections are never trimmed by the connection manager.
			b.host.ConnManager().Protect(id, "contact")
		} else {
			b.host.ConnManager().Unprotect(id, "contact")
		}
	}
	if b.OnPut != nil {
		b.OnPut(id, c)
	}
	return nil
}

// Delete forgets a contact.
func (b *Book) Delete(id peer.ID) error {
	if err := b.store.DeleteContact(id.String()); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	b.mu.Lock()
	delete(b.contacts, id)
	b.mu.Unlock()
	if b.host != nil {
		b.host.ConnManager().Unprotect(id, "contact")
	}
	if b.OnDelete != nil {
		b.OnDelete(id)
	}
	return nil
}

// RememberAddrs puts addresses of id into the peerstore for good.
func (b *Book) RememberAddrs(id peer.ID, addrs []string) {
	if b.host == nil {
		return
	}
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			continue
		}
		b.host.Peerstore().AddAddr(id, a, peerstore.PermanentAddrTTL)
	}
}

// DisplayName is what a contact is called on screen: its name, or the end
// of its peer ID.
func DisplayName(c contacts.Contact) string {
	if c.Name != "" {
		return c.Name
	}
	if len(c.PeerID) > 8 {
		return "…" + c.PeerID[len(c.PeerID)-8:]
	}
	return c.PeerID
}
