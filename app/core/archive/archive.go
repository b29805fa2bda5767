// Package archive is the record keeping of conversations: search across
// them, a message in its context, export (HTML, plain text), retention
// (keep N days, enforced hourly) and the "archived for compliance" flag,
// which both sides of a conversation share, newest setting wins
// (p2p/compliance).
package archive

import (
	"sync"

	"hearth/app/core/base"
	"hearth/p2p/compliance"
)

// Archive owns the compliance protocol and the retention loop. Its state
// is in the store (settings per conversation); mu serialises each
// read-modify-write of a conversation's compliance flag.
type Archive struct {
	d    *base.Deps
	comp *compliance.Service
	mu   sync.Mutex
}

// New registers the compliance protocol and starts enforcing retention
// (at once, then every hour).
func New(d *base.Deps) *Archive {
	a := &Archive{d: d}
	a.comp = compliance.New(d.Host, compliance.Config{Allow: d.Book.IsAccepted, OnNotice: a.onComplianceNotice})
	d.Go(a.retentionLoop)
	return a
}

// Close stops the compliance protocol.
func (a *Archive) Close() { a.comp.Close() }
