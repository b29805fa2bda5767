package ui

import (
	"context"
	"slices"
	"strings"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/app/core/nearby"
	"hearth/app/core/people"
	"hearth/contacts"
)

// fakeContacts is the fake ContactsBackend: the list, requests, invites,
// management, verification and pairing; fields guarded by mu.
type fakeContacts struct {
	*fakeHub
	contacts []people.ContactView
	nearby   []nearby.Peer
	accepted []string
	invites  []string // codes given to AddByInvite
	notes    []string // their notes
	addErr   error
	calls    []string // contact management: "rename:peer:name", "block:peer" …
	policy   people.RequestPolicy
	pair     fakePairing // short codes
}

func (f *fakeContacts) Contacts() ([]people.ContactView, error) {
	defer f.lock()()
	return append([]people.ContactView(nil), f.contacts...), nil
}

func (f *fakeContacts) Nearby() []nearby.Peer {
	defer f.lock()()
	return append([]nearby.Peer(nil), f.nearby...)
}

func (f *fakeContacts) InviteCode() (string, error) {
	return "hearth1-invite-ann-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop", nil
}

func (f *fakeContacts) AddByInvite(code, note string) error {
	defer f.lock()()
	f.invites = append(f.invites, code)
	f.notes = append(f.notes, note)
	return f.addErr
}

func (f *fakeContacts) RequestNearby(peerID, note string) error { return nil }

func (f *fakeContacts) Accept(peerID string) error {
	defer f.lock()()
	f.accepted = append(f.accepted, peerID)
	return nil
}

func (f *fakeContacts) Decline(peerID string) error { return nil }

// setMuted is the chat fake's SetMuted: core keeps the flag on the contact.
// Called with mu held.
func (f *fakeContacts) setMuted(peerID string, muted bool) {
	for i := range f.contacts {
		if f.contacts[i].PeerID == peerID {
			f.contacts[i].Muted = muted
		}
	}
}

// edit changes one fake contact and queues ContactsChanged.
func (f *fakeContacts) edit(call, peerID string, change func(c *people.ContactView)) error {
	f.mu.Lock()
	f.calls = append(f.calls, call)
	i := slices.IndexFunc(f.contacts, func(c people.ContactView) bool { return c.PeerID == peerID })
	if i < 0 {
		f.mu.Unlock()
		return book.ErrUnknownPeer
	}
	if change != nil {
		change(&f.contacts[i])
	} else {
		f.contacts = slices.Delete(f.contacts, i, i+1)
	}
	f.mu.Unlock()
	f.events <- event.ContactsChanged{}
	return nil
}

func (f *fakeContacts) Rename(peerID, name string) error {
	return f.edit("rename:"+peerID+":"+name, peerID, func(c *people.ContactView) { c.Name = name })
}

func (f *fakeContacts) SetNotes(peerID, notes string) error {
	return f.edit("notes:"+peerID+":"+notes, peerID, func(c *people.ContactView) { c.Notes = notes })
}

func (f *fakeContacts) SetLabels(peerID string, labels []string) error {
	return f.edit("labels:"+peerID+":"+strings.Join(labels, ","), peerID, func(c *people.ContactView) { c.Labels = labels })
}

func (f *fakeContacts) Labels() []string {
	defer f.lock()()
	var out []string
	for _, c := range f.contacts {
		for _, l := range c.Labels {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return out
}

func (f *fakeContacts) Block(peerID string) error {
	return f.edit("block:"+peerID, peerID, func(c *people.ContactView) {
		c.BlockedFrom, c.State, c.Presence = c.State, contacts.Blocked, contacts.Offline
	})
}

func (f *fakeContacts) Unblock(peerID string) error {
	return f.edit("unblock:"+peerID, peerID, func(c *people.ContactView) { c.State = c.BlockedFrom })
}

func (f *fakeContacts) Remove(peerID string) error { return f.edit("remove:"+peerID, peerID, nil) }

// fakeCode is the same for every contact.
const fakeCode = "01234 56789 01234 56789 01234 56789 01234 56789 01234 56789 01234 56789"

func (f *fakeContacts) SafetyCode(peerID string) (string, error) { return fakeCode, nil }
func (f *fakeContacts) SafetyQR(peerID string) (string, error) {
	return people.SafetyQRPrefix + strings.ReplaceAll(fakeCode, " ", ""), nil
}

func (f *fakeContacts) CheckSafetyCode(peerID, text string) (bool, error) {
	return strings.Join(strings.Fields(text), " ") == fakeCode, nil
}

func (f *fakeContacts) SetVerified(peerID string, verified bool) error {
	return f.edit("verified:"+peerID, peerID, func(c *people.ContactView) { c.Verified = verified })
}

func (f *fakeContacts) RequestPolicy() people.RequestPolicy {
	defer f.lock()()
	return f.policy
}

func (f *fakeContacts) SetRequestPolicy(p people.RequestPolicy) error {
	defer f.lock()()
	f.policy = p
	f.calls = append(f.calls, "policy:"+p.String())
	return nil
}

// cmCalls returns the contact-management calls made so far.
func (f *fakeContacts) cmCalls() []string {
	defer f.lock()()
	return slices.Clone(f.calls)
}

// fakePairing is the fake backend's short-code state, guarded by mu.
type fakePairing struct {
	codes   []string // codes handed out
	cancels int
	typed   []string // codes given to PairWithCode
	err     error    // what PairWithCode returns
	block   chan struct{}
	ended   []error // what each PairWithCode call returned
}

func (f *fakeContacts) NewPairingCode() (string, error) {
	defer f.lock()()
	code := []string{"7-orbit-maple-sugar", "12-otter-lemon-drum"}[len(f.pair.codes)%2]
	f.pair.codes = append(f.pair.codes, code)
	return code, nil
}

func (f *fakeContacts) CancelPairingCode() {
	defer f.lock()()
	f.pair.cancels++
}

func (f *fakeContacts) PairWithCode(ctx context.Context, code string) (name string, err error) {
	defer func() {
		f.mu.Lock()
		f.pair.ended = append(f.pair.ended, err)
		f.mu.Unlock()
	}()
	f.mu.Lock()
	f.pair.typed = append(f.pair.typed, code)
	err, block := f.pair.err, f.pair.block
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	if err != nil {
		return "", err
	}
	return "Zoe", nil
}
