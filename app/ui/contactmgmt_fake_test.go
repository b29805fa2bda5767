package ui

import (
	"slices"
	"strings"

	"hearth/app/core/book"
	"hearth/app/core/event"

	"hearth/app/core"
	"hearth/contacts"
)

// fakeContactMgmt is what the fake backend records of contact management.
// Guarded by fakeBackend.mu.
type fakeContactMgmt struct {
	calls  []string // "rename:peer:name", "block:peer" …
	policy core.RequestPolicy
}

// edit changes one fake contact and queues ContactsChanged.
func (f *fakeBackend) edit(call, peerID string, change func(c *core.ContactView)) error {
	f.mu.Lock()
	f.cm.calls = append(f.cm.calls, call)
	i := slices.IndexFunc(f.contacts, func(c core.ContactView) bool { return c.PeerID == peerID })
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

func (f *fakeBackend) Rename(peerID, name string) error {
	return f.edit("rename:"+peerID+":"+name, peerID, func(c *core.ContactView) { c.Name = name })
}

func (f *fakeBackend) SetNotes(peerID, notes string) error {
	return f.edit("notes:"+peerID+":"+notes, peerID, func(c *core.ContactView) { c.Notes = notes })
}

func (f *fakeBackend) SetLabels(peerID string, labels []string) error {
	return f.edit("labels:"+peerID+":"+strings.Join(labels, ","), peerID, func(c *core.ContactView) { c.Labels = labels })
}

func (f *fakeBackend) Labels() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
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

func (f *fakeBackend) Block(peerID string) error {
	return f.edit("block:"+peerID, peerID, func(c *core.ContactView) {
		c.BlockedFrom, c.State, c.Presence = c.State, contacts.Blocked, contacts.Offline
	})
}

func (f *fakeBackend) Unblock(peerID string) error {
	return f.edit("unblock:"+peerID, peerID, func(c *core.ContactView) { c.State = c.BlockedFrom })
}

func (f *fakeBackend) Remove(peerID string) error { return f.edit("remove:"+peerID, peerID, nil) }

// fakeCode is the same for every contact.
const fakeCode = "01234 56789 01234 56789 01234 56789 01234 56789 01234 56789 01234 56789"

func (f *fakeBackend) SafetyCode(peerID string) (string, error) { return fakeCode, nil }
func (f *fakeBackend) SafetyQR(peerID string) (string, error) {
	return core.SafetyQRPrefix + strings.ReplaceAll(fakeCode, " ", ""), nil
}

func (f *fakeBackend) CheckSafetyCode(peerID, text string) (bool, error) {
	return strings.Join(strings.Fields(text), " ") == fakeCode, nil
}

func (f *fakeBackend) SetVerified(peerID string, verified bool) error {
	return f.edit("verified:"+peerID, peerID, func(c *core.ContactView) { c.Verified = verified })
}

func (f *fakeBackend) RequestPolicy() core.RequestPolicy {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cm.policy
}

func (f *fakeBackend) SetRequestPolicy(p core.RequestPolicy) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cm.policy = p
	f.cm.calls = append(f.cm.calls, "policy:"+p.String())
	return nil
}

// cmCalls returns the contact-management calls made so far.
func (f *fakeBackend) cmCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.cm.calls)
}
