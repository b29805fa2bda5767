package core

// Contact management: renaming, notes, labels (the contact list's groups),
// blocking, unblocking, removing, verification by safety code, and who may
// send me requests at all.

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hearth/app/core/book"
	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/contactreq"
	"hearth/p2p/wire"
)

// Limits on what I keep about a contact.
const (
	maxLabels   = 16   // labels per contact
	maxLabelLen = 40   // bytes per label
	maxNotesLen = 4096 // bytes of notes
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
	ErrNotesTooLong = fmt.Errorf("the notes are too long (%d bytes at most)", maxNotesLen)
	// ErrTooManyLabels: a contact has at most maxLabels groups.
	ErrTooManyLabels = fmt.Errorf("a contact can be in %d groups at most", maxLabels)
	// ErrLabelTooLong: a group name is short.
	ErrLabelTooLong = fmt.Errorf("a group name is %d bytes at most", maxLabelLen)
	// ErrNotBlocked: Unblock on someone who is not blocked.
	ErrNotBlocked = errors.New("this person is not blocked")
	// ErrBadPolicy: an unknown request policy.
	ErrBadPolicy = errors.New("unknown setting for who can send requests")
)

// RequestPolicy says who may send me contact requests. It applies to
// strangers only: contacts and people I asked are never refused by it.
type RequestPolicy int

const (
	// RequestsFromAnyone: anyone who has my address (an invite code, the
	// LAN) may ask; I decide on each request.
	RequestsFromAnyone RequestPolicy = iota
	// RequestsWithInvite: only requests carrying an unused invite code I
	// gave are heard (and accepted at once); the rest are dropped unseen.
	RequestsWithInvite
	// RequestsFromNobody: every stranger's request is dropped unseen, even
	// with an invite code.
	RequestsFromNobody
)

func (p RequestPolicy) String() string {
	switch p {
	case RequestsFromAnyone:
		return "Anyone"
	case RequestsWithInvite:
		return "Only people with an invite code I gave"
	case RequestsFromNobody:
		return "Nobody"
	}
	return "Unknown"
}

const settingRequestPolicy = "privacy.requests"

// RequestPolicy returns who may send me requests (persisted).
func (m *Messenger) RequestPolicy() RequestPolicy {
	b, err := m.store.Setting(settingRequestPolicy)
	if err != nil || len(b) != 1 || RequestPolicy(b[0]) > RequestsFromNobody {
		return RequestsFromAnyone
	}
	return RequestPolicy(b[0])
}

// SetRequestPolicy changes who may send me requests, at once.
func (m *Messenger) SetRequestPolicy(p RequestPolicy) error {
	if p < RequestsFromAnyone || p > RequestsFromNobody {
		return ErrBadPolicy
	}
	if err := m.store.SetSetting(settingRequestPolicy, []byte{byte(p)}); err != nil {
		return fmt.Errorf("saving privacy setting: %w", err)
	}
	return nil
}

// requestConfig fills the contact protocol's configuration: my decision
// callback, and no rate limit for contacts and people I asked.
func (m *Messenger) requestConfig() contactreq.Config {
	cfg := m.opts.RequestLimits
	cfg.OnRequest = m.onRequest
	cfg.Trusted = func(id peer.ID) bool {
		c, ok := m.contact(id)
		return ok && (c.State == contacts.Accepted || c.State == contacts.Outgoing)
	}
	return cfg
}

// refuseStranger reports whether a request from someone I do not know must
// be dropped unseen: requests are off, or an invite code is required and
// this one has none (a wrong code is caught later, when it fails). m.cmu
// is held.
func (m *Messenger) refuseStranger(r wire.ContactRequest) bool {
	switch m.RequestPolicy() {
	case RequestsFromNobody:
		return true
	case RequestsWithInvite:
		return r.Secret == ""
	}
	return false
}

// mayWait reports whether a stranger's request may be kept waiting for my
// answer: the policy lets anyone ask and fewer than the maximum requests
// wait already. m.cmu is held.
func (m *Messenger) mayWait() bool {
	if m.RequestPolicy() != RequestsFromAnyone {
		return false
	}
	limit := m.opts.MaxPendingRequests
	if limit <= 0 {
		limit = DefaultMaxPendingRequests
	}
	return m.book.Count(contacts.Incoming) < limit
}

// onRemoved handles "I removed you" from a contact: they are gone from my
// list too, and I am told. From someone whose request waits, it withdraws
// the request, quietly. m.cmu is held.
func (m *Messenger) onRemoved(from peer.ID, c contacts.Contact, known bool) {
	if !known || c.State == contacts.Blocked {
		return
	}
	if m.deleteContact(from) != nil {
		return
	}
	m.publish(event.ContactsChanged{})
	if c.State == contacts.Incoming {
		return
	}
	m.publish(event.Notice{Text: displayName(c) + " removed you from their contacts.", At: time.Now()})
	// The connection is theirs to close, after my reply (which tells them
	// I heard it) has gone out.
	m.spawn(func() { m.Calls.EndWith(from) })
}

// foldName is how display names are compared for the key-change warning.
func foldName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// verifiedNamed returns a verified contact other than id with the same
// display name, among all.
func verifiedNamed(all map[peer.ID]contacts.Contact, id peer.ID, name string) (contacts.Contact, bool) {
	f := foldName(name)
	if f == "" {
		return contacts.Contact{}, false
	}
	for oid, c := range all {
		if oid != id && c.Verified && c.State == contacts.Accepted && foldName(c.Name) == f {
			return c, true
		}
	}
	return contacts.Contact{}, false
}

// keyWarning is what to tell the user when a contact that is not verified
// uses the name of one that is: peer ID is key, so it is someone else.
func keyWarning(c contacts.Contact) string {
	return "This is a different key from the " + displayName(c) + " you verified."
}

// warnSameName tells the user at once when a new request or contact uses
// the name of a verified contact.
func (m *Messenger) warnSameName(nc contacts.Contact) {
	id, err := peer.Decode(nc.PeerID)
	if err != nil {
		return
	}
	v, same := verifiedNamed(m.book.Snapshot(), id, nc.Name)
	if same {
		m.publish(event.Notice{Text: "A new contact request says it is from " + displayName(nc) + ". " + keyWarning(v), At: time.Now()})
	}
}

// addWarnings fills ContactView.Warning for contacts that are not
// verified but use a verified contact's name.
func (m *Messenger) addWarnings(views []ContactView) {
	all := m.book.Snapshot()
	for i := range views {
		v := &views[i]
		if v.Verified || v.State == contacts.Blocked {
			continue
		}
		id, err := peer.Decode(v.PeerID)
		if err != nil {
			continue
		}
		if c, same := verifiedNamed(all, id, v.Name); same {
			v.Warning = keyWarning(c)
		}
	}
}

// updateContact changes one known contact under m.cmu, saves it and tells
// the UI. f may refuse with an error.
func (m *Messenger) updateContact(peerID string, f func(c *contacts.Contact) error) (peer.ID, contacts.Contact, error) {
	id, err := peer.Decode(peerID)
	if err != nil {
		return "", contacts.Contact{}, book.ErrUnknownPeer
	}
	m.book.Lock()
	defer m.book.Unlock()
	c, ok := m.contact(id)
	if !ok {
		return "", contacts.Contact{}, book.ErrUnknownPeer
	}
	if err := f(&c); err != nil {
		return "", contacts.Contact{}, err
	}
	if err := m.putContact(c); err != nil {
		return "", contacts.Contact{}, err
	}
	m.publish(event.ContactsChanged{})
	return id, c, nil
}

// Rename gives a contact the name I want to see.
func (m *Messenger) Rename(peerID, name string) error {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "" || !utf8.ValidString(name):
		return ErrEmptyName
	case len(name) > wire.MaxNameLen:
		return ErrNameTooLong
	}
	_, _, err := m.updateContact(peerID, func(c *contacts.Contact) error {
		c.Name = name
		return nil
	})
	return err
}

// SetNotes keeps my private notes about a contact (never sent).
func (m *Messenger) SetNotes(peerID, notes string) error {
	notes = strings.TrimSpace(notes)
	if len(notes) > maxNotesLen {
		return ErrNotesTooLong
	}
	if !utf8.ValidString(notes) {
		notes = strings.ToValidUTF8(notes, "\uFFFD")
	}
	_, _, err := m.updateContact(peerID, func(c *contacts.Contact) error {
		c.Notes = notes
		return nil
	})
	return err
}

// SetLabels puts a contact in the given groups (any names), replacing its
// groups. Names are trimmed, empty ones dropped, duplicates (ignoring
// case) merged, and a name that another contact's group already has in a
// different case takes that spelling, so "family" joins "Family".
func (m *Messenger) SetLabels(peerID string, labels []string) error {
	existing := map[string]string{}
	for _, l := range m.Labels() {
		existing[strings.ToLower(l)] = l
	}
	out, err := normalizeLabels(labels, existing)
	if err != nil {
		return err
	}
	_, _, err = m.updateContact(peerID, func(c *contacts.Contact) error {
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
		if len(l) > maxLabelLen {
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
	if len(out) > maxLabels {
		return nil, ErrTooManyLabels
	}
	sortFold(out)
	return out, nil
}

func sortFold(s []string) {
	sort.SliceStable(s, func(i, j int) bool { return strings.ToLower(s[i]) < strings.ToLower(s[j]) })
}

// Labels lists every group name my contacts are in, sorted.
func (m *Messenger) Labels() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range m.book.Snapshot() {
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
func (m *Messenger) Block(peerID string) error {
	id, _, err := m.updateContact(peerID, func(c *contacts.Contact) error {
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
	m.Presence.Forget(id)
	m.store.SetSetting("invite.secret."+id.String(), nil)
	m.spawn(func() {
		m.Calls.EndWith(id)
		m.node.Host.Network().ClosePeer(id)
	})
	return nil
}

// Unblock lifts a block: a blocked contact becomes a contact again (and is
// reconnected); anyone else is forgotten and may ask again.
func (m *Messenger) Unblock(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	m.book.Lock()
	c, ok := m.contact(id)
	if !ok || c.State != contacts.Blocked {
		m.book.Unlock()
		if !ok {
			return book.ErrUnknownPeer
		}
		return ErrNotBlocked
	}
	if c.BlockedFrom == contacts.Accepted {
		c.State, c.BlockedFrom = contacts.Accepted, 0
		err = m.putContact(c)
	} else {
		err = m.deleteContact(id)
	}
	m.book.Unlock()
	if err != nil {
		return err
	}
	m.publish(event.ContactsChanged{})
	m.wake()
	return nil
}

// Remove takes someone off my list (the conversation stays). A contact or
// someone I asked is told, so their side stops trying; a blocked person is
// not. Removing an incoming request is declining it.
func (m *Messenger) Remove(peerID string) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	m.book.Lock()
	c, ok := m.contact(id)
	if !ok {
		m.book.Unlock()
		return book.ErrUnknownPeer
	}
	if c.State == contacts.Incoming {
		m.book.Unlock()
		return m.Decline(peerID)
	}
	err = m.deleteContact(id)
	m.book.Unlock()
	if err != nil {
		return err
	}
	m.store.SetSetting("invite.secret."+id.String(), nil)
	m.publish(event.ContactsChanged{})
	tell := c.State == contacts.Accepted || c.State == contacts.Outgoing
	if tell {
		// Until they have heard it, they are told again whenever they
		// connect (they will, while I am still their contact).
		m.store.SetSetting(settingRemovedPrefix+id.String(), []byte{1})
	}
	m.spawn(func() {
		m.Calls.EndWith(id)
		if tell {
			m.tellRemoved(id)
		}
		m.node.Host.Network().ClosePeer(id)
	})
	return nil
}

// settingRemovedPrefix + peer ID marks someone I removed who has not yet
// been told.
const settingRemovedPrefix = "removed."

// tellRemoved sends "I removed you" and, once it arrived, forgets that it
// has to be sent.
func (m *Messenger) tellRemoved(id peer.ID) {
	ctx, cancel := context.WithTimeout(m.d.Ctx(), 5*time.Second)
	defer cancel()
	if _, err := m.req.Send(ctx, id, wire.ContactRequest{Kind: wire.KindRemove, Name: m.MyName()}); err == nil {
		m.store.SetSetting(settingRemovedPrefix+id.String(), nil)
	}
}

// retellRemoved tells someone who is not (or no longer) a contact and just
// connected that I removed them, if they have not heard it yet.
func (m *Messenger) retellRemoved(id peer.ID) {
	if b, err := m.store.Setting(settingRemovedPrefix + id.String()); err != nil || len(b) == 0 {
		return
	}
	m.spawn(func() { m.tellRemoved(id) })
}

// SetVerified marks a contact as verified (I compared our safety codes)
// or takes the mark away.
func (m *Messenger) SetVerified(peerID string, verified bool) error {
	_, _, err := m.updateContact(peerID, func(c *contacts.Contact) error {
		if c.State != contacts.Accepted {
			return book.ErrNotContact
		}
		c.Verified = verified
		return nil
	})
	return err
}

// Safety codes: 12 groups of 5 digits from SHA-512 over a version prefix
// and both public keys in a fixed (sorted) order, so both sides compute
// the same code. 60 digits are about 199 bits: nobody can make a key whose
// code matches someone else's.
const (
	safetyCodePrefix = "hearth-safety-code-v1"
	safetyGroups     = 12
	safetyGroupLen   = 5
	// SafetyQRPrefix starts the text of a safety code's QR.
	SafetyQRPrefix = "hearth-verify:1:"
)

// SafetyCode returns the code to compare with a contact, in groups of
// five digits separated by spaces.
func (m *Messenger) SafetyCode(peerID string) (string, error) {
	id, err := peer.Decode(peerID)
	if err != nil {
		return "", book.ErrUnknownPeer
	}
	theirs, err := id.ExtractPublicKey()
	if err != nil {
		return "", fmt.Errorf("reading the contact's key: %w", err)
	}
	return safetyCode(m.prof.Key.GetPublic(), theirs)
}

// SafetyQR is the text of the QR code that shows a safety code.
func (m *Messenger) SafetyQR(peerID string) (string, error) {
	code, err := m.SafetyCode(peerID)
	if err != nil {
		return "", err
	}
	return SafetyQRPrefix + strings.ReplaceAll(code, " ", ""), nil
}

// CheckSafetyCode reports whether text (a code typed or pasted in any
// spacing, or a scanned safety QR) is the code I have for the contact.
func (m *Messenger) CheckSafetyCode(peerID, text string) (bool, error) {
	code, err := m.SafetyCode(peerID)
	if err != nil {
		return false, err
	}
	got, ok := parseSafetyCode(text)
	return ok && got == strings.ReplaceAll(code, " ", ""), nil
}

// parseSafetyCode takes the digits out of a typed code or a QR's text. It
// reports false unless there are exactly 60 digits and nothing but
// spacing, dashes and the QR prefix around them.
func parseSafetyCode(text string) (string, bool) {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(text, SafetyQRPrefix)
	if len(text) > 4*safetyGroups*safetyGroupLen {
		return "", false
	}
	var b strings.Builder
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-':
		default:
			return "", false
		}
	}
	if b.Len() != safetyGroups*safetyGroupLen {
		return "", false
	}
	return b.String(), true
}

func safetyCode(a, b crypto.PubKey) (string, error) {
	ka, err := crypto.MarshalPublicKey(a)
	if err != nil {
		return "", err
	}
	kb, err := crypto.MarshalPublicKey(b)
	if err != nil {
		return "", err
	}
	if bytes.Compare(ka, kb) > 0 {
		ka, kb = kb, ka
	}
	h := sha512.New()
	h.Write([]byte(safetyCodePrefix))
	for _, k := range [][]byte{ka, kb} {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(k))))
		h.Write(k)
	}
	sum := h.Sum(nil)
	groups := make([]string, safetyGroups)
	for i := range groups {
		var v uint64
		for _, x := range sum[i*5 : i*5+5] {
			v = v<<8 | uint64(x)
		}
		s := strconv.FormatUint(v%100000, 10)
		groups[i] = strings.Repeat("0", safetyGroupLen-len(s)) + s
	}
	return strings.Join(groups, " "), nil
}
