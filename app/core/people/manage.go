package people

// Contact management: renaming, notes, labels (the contact list's groups),
// blocking, unblocking, removing, verification by safety code, and who may
// send me requests at all.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/wire"
)

// Limits on what I keep about a contact.
const (
	MaxLabels   = 16   // labels per contact
	MaxLabelLen = 40   // bytes per label
	MaxNotesLen = 4096 // bytes of notes
	// DefaultMaxPendingRequests bounds the incoming requests kept waiting
	// for an answer; requests from further strangers are dropped unseen,
	// so a flood of new peer IDs cannot fill the store or memory.
	DefaultMaxPendingRequests = 200
)

var (
	// ErrEmptyName: a contact needs a name.
	ErrEmptyName = errors.New("the name is empty")
	// ErrNameTooLong: over the wire's name limit.
	ErrNameTooLong = fmt.Errorf("the name is too long (%d bytes at most)", wire.MaxNameLen)
	// ErrNotesTooLong: notes are kept short.
	ErrNotesTooLong = fmt.Errorf("the notes are too long (%d bytes at most)", MaxNotesLen)
	// ErrTooManyLabels: a contact has at most MaxLabels groups.
	ErrTooManyLabels = fmt.Errorf("a contact can be in %d groups at most", MaxLabels)
	// ErrLabelTooLong: a group name is short.
	ErrLabelTooLong = fmt.Errorf("a group name is %d bytes at most", MaxLabelLen)
	// ErrNotBlocked: Unblock on someone who is not blocked.
	ErrNotBlocked = errors.New("this person is not blocked")
	// ErrBadPolicy: an unknown request policy.
	ErrBadPolicy = errors.New("unknown setting for who can send requests")
)

// onRemoved handles "I removed you" from a contact: they are gone from my
// list too, and I am told. From someone whose request waits, it withdraws
// the request, quietly. the book's edit lock is held.
func (p *People) onRemoved(from peer.ID, c contacts.Contact, known bool) {
	if !known || c.State == contacts.Blocked {
		return
	}
	if p.d.Book.Delete(from) != nil {
		return
	}
	p.d.Publish(event.ContactsChanged{})
	if c.State == contacts.Incoming {
		return
	}
	p.d.Publish(event.Notice{Text: book.DisplayName(c) + " removed you from their contacts.", At: time.Now()})
	// The connection is theirs to close, after my reply (which tells them
	// I heard it) has gone out.
	p.d.Go(func() { p.endCalls(from) })
}

// updateContact changes one known contact under the book's edit lock, saves it and tells
// the UI. f may refuse with an error.
func (p *People) updateContact(peerID string, f func(c *contacts.Contact) error) (peer.ID, contacts.Contact, error) {
	id, err := peer.Decode(peerID)
	if err != nil {
		return "", contacts.Contact{}, book.ErrUnknownPeer
	}
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	c, ok := p.d.Book.Get(id)
	if !ok {
		return "", contacts.Contact{}, book.ErrUnknownPeer
	}
	if err := f(&c); err != nil {
		return "", contacts.Contact{}, err
	}
	if err := p.d.Book.Put(c); err != nil {
		return "", contacts.Contact{}, err
	}
	p.d.Publish(event.ContactsChanged{})
	return id, c, nil
}

// Rename gives a contact the name I want to see.
func (p *People) Rename(peerID, name string) error {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "" || !utf8.ValidString(name):
		return ErrEmptyName
	case len(name) > wire.MaxNameLen:
		return ErrNameTooLong
	}
	_, _, err := p.updateContact(peerID, func(c *contacts.Contact) error {
		c.Name = name
		return nil
	})
	return err
}

// SetNotes keeps my private notes about a contact (never sent).
func (p *People) SetNotes(peerID, notes string) error {
	notes = strings.TrimSpace(notes)
	if len(notes) > MaxNotesLen {
		return ErrNotesTooLong
	}
	if !utf8.ValidString(notes) {
		notes = strings.ToValidUTF8(notes, "\uFFFD")
	}
	_, _, err := p.updateContact(peerID, func(c *contacts.Contact) error {
		c.Notes = notes
		return nil
	})
	return err
}

// SetLabels puts a contact in the given groups (any names), replacing its
// groups. Names are trimmed, empty ones dropped, duplicates (ignoring
// case) merged, and a name that another contact's group already has in a
// different case takes that spelling, so "family" joins "Family".
func (p *People) SetLabels(peerID string, labels []string) error {
	existing := map[string]string{}
	for _, l := range p.Labels() {
		existing[strings.ToLower(l)] = l
	}
	out, err := normalizeLabels(labels, existing)
	if err != nil {
		return err
	}
	_, _, err = p.updateContact(peerID, func(c *contacts.Contact) error {
		c.Labels = out
		return nil
	})
	return err
}

// normalizeLabels cleans a list of group names; see SetLabels.
func normalizeLabels(labels []string, spelling map[string]string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, l := range labels {
		l = strings.Join(strings.FieldsFunc(l, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
		if l == "" || !utf8.ValidString(l) {
			continue
		}
		if len(l) > MaxLabelLen {
			return nil, ErrLabelTooLong
		}
		key := strings.ToLower(l)
		if seen[key] {
			continue
		}
		seen[key] = true
		if s, ok := spelling[key]; ok {
			l = s
		}
		out = append(out, l)
	}
	if len(out) > MaxLabels {
		return nil, ErrTooManyLabels
	}
	sortFold(out)
	return out, nil
}

func sortFold(s []string) {
	sort.SliceStable(s, func(i, j int) bool { return strings.ToLower(s[i]) < strings.ToLower(s[j]) })
}

// Labels lists every group name my contacts are in, sorted.
func (p *People) Labels() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range p.d.Book.Snapshot() {
		if c.State == contacts.Blocked {
			continue
		}
		for _, l := range c.Labels {
			if k := strings.ToLower(l); !seen[k] {
				seen[k] = true
				out = append(out, l)
			}
		}
	}
	sortFold(out)
	return out
}

// Block silences someone: a contact, a request, or someone I asked. They
// are not told. From now on their connections are refused (so they see me
// offline), nothing of theirs is delivered, and a running call with them
// ends.
func (p *People) Block(peerID string) error {
	id, _, err := p.updateContact(peerID, func(c *contacts.Contact) error {
		if c.State == contacts.Blocked {
			return errUnchanged
		}
		c.BlockedFrom, c.State = c.State, contacts.Blocked
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return nil
	}
	if err != nil {
		return err
	}
	p.forgetPresence(id)
	p.d.Store.SetSetting("invite.secret."+id.String(), nil)
	p.d.Go(func() {
		p.endCalls(id)
		p.d.Host.Network().ClosePeer(id)
	})
	return nil
}

// Unblock lifts a block: a blocked contact becomes a contact again (and is
// reconnected); anyone else is forgotten and may ask again.
func (p *People) Unblock(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	p.d.Book.Lock()
	c, ok := p.d.Book.Get(id)
	if !ok || c.State != contacts.Blocked {
		p.d.Book.Unlock()
		if !ok {
			return book.ErrUnknownPeer
		}
		return ErrNotBlocked
	}
	if c.BlockedFrom == contacts.Accepted {
		c.State, c.BlockedFrom = contacts.Accepted, 0
		err = p.d.Book.Put(c)
	} else {
		err = p.d.Book.Delete(id)
	}
	p.d.Book.Unlock()
	if err != nil {
		return err
	}
	p.d.Publish(event.ContactsChanged{})
	p.d.Wake()
	return nil
}

// Remove takes someone off my list (the conversation stays). A contact or
// someone I asked is told, so their side stops trying; a blocked person is
// not. Removing an incoming request is declining it.
func (p *People) Remove(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	p.d.Book.Lock()
	c, ok := p.d.Book.Get(id)
	if !ok {
		p.d.Book.Unlock()
		return book.ErrUnknownPeer
	}
	if c.State == contacts.Incoming {
		p.d.Book.Unlock()
		return p.Decline(peerID)
	}
	err = p.d.Book.Delete(id)
	p.d.Book.Unlock()
	if err != nil {
		return err
	}
	p.d.Store.SetSetting("invite.secret."+id.String(), nil)
	p.d.Publish(event.ContactsChanged{})
	tell := c.State == contacts.Accepted || c.State == contacts.Outgoing
	if tell {
		// Until they have heard it, they are told again whenever they
		// connect (they will, while I am still their contact).
		p.d.Store.SetSetting(settingRemovedPrefix+id.String(), []byte{1})
	}
	p.d.Go(func() {
		p.endCalls(id)
		if tell {
			p.tellRemoved(id)
		}
		p.d.Host.Network().ClosePeer(id)
	})
	return nil
}

// settingRemovedPrefix + peer ID marks someone I removed who has not yet
// been told.
const settingRemovedPrefix = "removed."

// tellRemoved sends "I removed you" and, once it arrived, forgets that it
// has to be sent.
func (p *People) tellRemoved(id peer.ID) {
	ctx, cancel := context.WithTimeout(p.d.Ctx(), 5*time.Second)
	defer cancel()
	if _, err := p.req.Send(ctx, id, wire.ContactRequest{Kind: wire.KindRemove, Name: p.d.Name()}); err == nil {
		p.d.Store.SetSetting(settingRemovedPrefix+id.String(), nil)
	}
}

// retellRemoved tells someone who is not (or no longer) a contact and just
// connected that I removed them, if they have not heard it yet.
func (p *People) retellRemoved(id peer.ID) {
	if b, err := p.d.Store.Setting(settingRemovedPrefix + id.String()); err != nil || len(b) == 0 {
		return
	}
	p.d.Go(func() { p.tellRemoved(id) })
}
