// Package transfers is files between people: offers, pull-based downloads
// that resume across restarts, the team's policy and the virus scanner on
// both sides, voice notes, files into groups (one transfer, a copy per
// member), and small files through carriers while the other side is away.
// The wire protocol is p2p/files; the state of every transfer is in the
// store.
package transfers

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/carry"
	"hearth/app/core/groups"
	"hearth/app/policy"
	"hearth/app/scan"
	"hearth/p2p/files"
)

// Config tunes transfers beyond the shared deps.
type Config struct {
	// DownloadDir is where received files go unless the user chose a
	// folder (default: Hearth in the XDG download folder, ~/Downloads/Hearth).
	DownloadDir string
	// ClamdAddr is the ClamAV daemon to scan received files with, unless
	// the team's policy names one; empty: look at the usual sockets.
	ClamdAddr string
	// FakeMedia records voice notes from a synthetic tone.
	FakeMedia bool
}

// Transfers owns the files protocol and every running download.
//
// tmu serialises each read-modify-write of a transfer in the store, so
// concurrent changes (a pause racing the last chunk, progress racing a
// cancel) never write back a stale copy. recall serialises taking a
// carried file with noting a cancel of a transfer not received yet, and
// guards that list. mu guards the maps below it.
type Transfers struct {
	d       *base.Deps
	cfg     Config
	svc     *files.Service
	groups  *groups.Groups
	carry   atomic.Pointer[carry.Carry] // set by SetCarry once the engine exists
	policy  policy.Policy
	scanner *scan.Scanner // nil when no ClamAV daemon answered

	tmu    sync.Mutex
	recall sync.Mutex

	mu       sync.Mutex
	fetches  map[string]*fetchRun
	reported map[string]time.Time
	served   map[string]map[string]int64 // group file → member → bytes sent (groupfiles.go)
	offering map[string]bool             // "transfer member" group offers under way (groupfiles.go)
}

// fetchRun is one running download.
type fetchRun struct{ cancel context.CancelFunc }

// New loads the team's policy (a policy that cannot be read turns
// transfers off, and says why), finds the virus scanner, registers the
// files protocol and starts the loop that offers group files to members
// not told yet.
func New(d *base.Deps, gs *groups.Groups, cfg Config) *Transfers {
	x := &Transfers{d: d, cfg: cfg, groups: gs, fetches: map[string]*fetchRun{}, reported: map[string]time.Time{}}
	pol, err := policy.Load(d.Dir)
	if err != nil {
		pol = policy.Default()
		pol.TransfersOff = true
		d.Notice("File transfers are off: " + err.Error())
	}
	x.policy = pol
	// A team's scanner wins over the one given on the command line.
	clamd := cfg.ClamdAddr
	if pol.Scanner != "" {
		clamd = pol.Scanner
	}
	x.scanner = scan.Find(clamd)
	x.svc = files.New(d.Host, files.Config{Allow: gs.AllowPeer, OnOffer: x.onOffer, OnControl: x.OnControl,
		OnFetch: x.onFetch, OnServed: x.onServed})
	// Members who are not my contacts get their pending offers and resume
	// their downloads when they connect (contacts do in Connected).
	d.Host.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			if id := c.RemotePeer(); !d.Book.IsAccepted(id) && gs.AllowPeer(id) {
				d.Go(func() { x.resumeTransfers(id) })
			}
		},
	})
	d.Go(x.groupFileLoop)
	return x
}

// SetCarry gives transfers the store-and-forward engine (built after it,
// since the engine takes transfers' provider).
func (x *Transfers) SetCarry(c *carry.Carry) { x.carry.Store(c) }

// Close stops the files protocol.
func (x *Transfers) Close() { x.svc.Close() }

// Connected runs when an accepted contact connects: offers that never
// reached it go out again, and my interrupted downloads from it go on.
func (x *Transfers) Connected(id peer.ID) { x.resumeTransfers(id) }
