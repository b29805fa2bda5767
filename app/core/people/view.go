package people

import (
	"sort"
	"strings"

	"hearth/app/core/book"
	"hearth/contacts"
)

// Contacts lists everyone I know with their presence and unread counts:
// online first, then by name.
func (p *People) Contacts() ([]ContactView, error) {
	all := p.d.Book.Snapshot()
	views := make([]ContactView, 0, len(all))
	now := p.d.Now()
	for id, c := range all {
		if c.State == contacts.Incoming && now.Sub(c.AddedAt) > RequestExpiry {
			continue // expired: forgotten at the next request (mayWait)
		}
		v := ContactView{Contact: c}
		v.Presence, v.StatusText, v.Avatar = p.presenceOf(id)
		if c.State == contacts.Accepted && p.cfg.LinkOf != nil {
			v.Link = p.cfg.LinkOf(id)
		}
		views = append(views, v)
	}
	p.addWarnings(views)
	unread, err := p.d.Store.UnreadCounts() // one grouped query for everyone
	if err != nil {
		return nil, err
	}
	for i := range views {
		if views[i].State == contacts.Accepted {
			views[i].Unread = unread[views[i].PeerID]
			views[i].Muted = p.muted(views[i].PeerID)
		}
	}
	sort.Slice(views, func(i, j int) bool {
		a, b := views[i], views[j]
		if (a.Presence != contacts.Offline) != (b.Presence != contacts.Offline) {
			return a.Presence != contacts.Offline
		}
		an, bn := strings.ToLower(book.DisplayName(a.Contact)), strings.ToLower(book.DisplayName(b.Contact))
		if an != bn {
			return an < bn
		}
		return a.PeerID < b.PeerID
	})
	return views, nil
}
