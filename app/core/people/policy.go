package people

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/contactreq"
	"hearth/p2p/wire"
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

func (r RequestPolicy) String() string {
	switch r {
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
func (p *People) RequestPolicy() RequestPolicy {
	b, err := p.d.Store.Setting(settingRequestPolicy)
	if err != nil || len(b) != 1 || RequestPolicy(b[0]) > RequestsFromNobody {
		return RequestsFromAnyone
	}
	return RequestPolicy(b[0])
}

// SetRequestPolicy changes who may send me requests, at once.
func (p *People) SetRequestPolicy(pol RequestPolicy) error {
	if pol < RequestsFromAnyone || pol > RequestsFromNobody {
		return ErrBadPolicy
	}
	if err := p.d.Store.SetSetting(settingRequestPolicy, []byte{byte(pol)}); err != nil {
		return fmt.Errorf("saving privacy setting: %w", err)
	}
	return nil
}

// requestConfig fills the contact protocol's configuration: my decision
// callback, and no rate limit for contacts and people I asked.
func (p *People) requestConfig() contactreq.Config {
	cfg := p.cfg.Limits
	cfg.OnRequest = p.onRequest
	cfg.Trusted = func(id peer.ID) bool {
		c, ok := p.d.Book.Get(id)
		return ok && (c.State == contacts.Accepted || c.State == contacts.Outgoing)
	}
	return cfg
}

// refuseStranger reports whether a request from someone I do not know must
// be dropped unseen: requests are off, or an invite code is required and
// this one has none (a wrong code is caught later, when it fails). m.cmu
// is held.
func (p *People) refuseStranger(r wire.ContactRequest) bool {
	switch p.RequestPolicy() {
	case RequestsFromNobody:
		return true
	case RequestsWithInvite:
		return r.Secret == ""
	}
	return false
}

// RequestExpiry is how long a stranger's request waits for my answer;
// after that it is forgotten (they may ask again).
const RequestExpiry = 14 * 24 * time.Hour

// mayWait reports whether a stranger's request may be kept waiting for my
// answer: the policy lets anyone ask. Requests older than RequestExpiry
// go first; when the list is still full, the oldest request waiting is
// dropped to make room, so a flood of strangers cannot close the door for
// good (a request with a valid invite code never needs room: it is
// accepted before this). The book's edit lock is held.
func (p *People) mayWait() bool {
	if p.RequestPolicy() != RequestsFromAnyone {
		return false
	}
	limit := p.cfg.MaxPending
	if limit <= 0 {
		limit = DefaultMaxPendingRequests
	}
	waiting := p.expireRequestsLocked()
	for len(waiting) >= limit {
		oldest := waiting[0]
		if err := p.d.Book.Delete(oldest.id); err != nil {
			return false
		}
		waiting = waiting[1:]
	}
	return true
}

type waitingRequest struct {
	id peer.ID
	at time.Time
}

// expireRequestsLocked forgets the requests older than RequestExpiry and
// returns the others, oldest first. The book's edit lock is held.
func (p *People) expireRequestsLocked() []waitingRequest {
	now := p.d.Now()
	var out []waitingRequest
	expired := false
	for id, c := range p.d.Book.Snapshot() {
		if c.State != contacts.Incoming {
			continue
		}
		if now.Sub(c.AddedAt) > RequestExpiry {
			if p.d.Book.Delete(id) == nil {
				expired = true
			}
			continue
		}
		out = append(out, waitingRequest{id, c.AddedAt})
	}
	if expired {
		p.d.Publish(event.ContactsChanged{})
	}
	slices.SortFunc(out, func(a, b waitingRequest) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(string(a.id), string(b.id))
	})
	return out
}

// ExpireRequests forgets the requests that waited longer than
// RequestExpiry (at start and on every stranger's request).
func (p *People) ExpireRequests() {
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	p.expireRequestsLocked()
}
