// Package pairing is pairing by a short spoken code (p2p/pair) and reading
// invite codes from QR pictures. One side shows a code such as
// "7-orbit-maple-sugar" and waits; the other types it, finds the waiting
// node through every Rendezvous (mDNS on the LAN, the DHT when configured),
// and the two run the PAKE. Both end as accepted contacts, the same end
// state as an invite code.
package pairing

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/app/core/people"
	"hearth/p2p/discovery"
	paircode "hearth/p2p/pair"
)

// Rendezvous is one way for the two sides of a short code to meet.
type Rendezvous interface {
	// Announce makes h findable under the code until stop is called.
	Announce(h host.Host, c paircode.Code) (stop func(), err error)
	// Find reports nodes announcing the code until ctx ends, then closes
	// the channel.
	Find(ctx context.Context, c paircode.Code) (<-chan peer.AddrInfo, error)
}

var (
	// ErrOwnCode: the code typed is the one this profile shows.
	ErrOwnCode = errors.New("this is your own code: read it out to the other person, and type theirs here")
	// ErrNoRendezvous: LAN discovery and the DHT are both turned off.
	ErrNoRendezvous = errors.New("pairing by a short code needs finding people on this network or over the internet, and both are turned off")
	// ErrNobodyWaiting: no node announcing the code was found in time.
	ErrNobodyWaiting = errors.New("no one is waiting with this code; check the number and the first word, and that the code still shows on the other screen")
)

const (
	// pairFindTimeout bounds PairWithCode when its context has none.
	pairFindTimeout = 2 * time.Minute
	// pairAttemptTimeout bounds one attempt at one node found.
	pairAttemptTimeout = 20 * time.Second
)

// Config chooses how the two sides of a code meet and what pairing does.
type Config struct {
	// Rendezvous are the ways two sides of a short code meet; nil: mDNS
	// unless NoMDNS, plus the DHT when DHTBootstrap is set. Tests pass
	// their own.
	Rendezvous []Rendezvous
	NoMDNS     bool
	// DHTBootstrap are the DHT peers joined while pairing by code (main.go:
	// the public bootstrap peers); empty: no DHT.
	DHTBootstrap []peer.AddrInfo
	// Paired makes someone I paired with an accepted contact.
	Paired func(id peer.ID, name string) error
}

// Pairing is short-code pairing: the code I show (at most one at a time)
// and the announcements that make it findable. mu guards stops.
type Pairing struct {
	d   *base.Deps
	cfg Config
	svc *paircode.Service
	rvs []Rendezvous

	mu    sync.Mutex
	stops []func() // announcements of the code I show
}

// New registers the pairing protocol.
func New(d *base.Deps, cfg Config) *Pairing {
	p := &Pairing{d: d, cfg: cfg, rvs: cfg.Rendezvous}
	if p.rvs == nil {
		if !cfg.NoMDNS {
			p.rvs = append(p.rvs, mdnsRendezvous{})
		}
		if len(cfg.DHTBootstrap) > 0 {
			p.rvs = append(p.rvs, newDHTRendezvous(d.Host, cfg.DHTBootstrap))
		}
	}
	p.svc = paircode.New(d.Host, paircode.Config{
		Name:   d.Name,
		Accept: cfg.Paired,
		Ended:  p.ended,
	})
	return p
}

// NewPairingCode starts waiting with a fresh short code, replacing any
// earlier one, and returns it to be read out. The outcome comes as a
// PairingSucceeded or PairingFailed event; the code expires unused after
// ten minutes.
func (p *Pairing) NewPairingCode() (string, error) {
	if len(p.rvs) == 0 {
		return "", ErrNoRendezvous
	}
	c, err := paircode.NewCode()
	if err != nil {
		return "", err
	}
	p.CancelPairingCode()
	if err := p.svc.Wait(c); err != nil {
		return "", err
	}
	var stops []func()
	var errs []error
	for _, rv := range p.rvs {
		stop, err := rv.Announce(p.d.Host, c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		stops = append(stops, stop)
	}
	if len(stops) == 0 && len(errs) > 0 {
		p.svc.Cancel()
		return "", fmt.Errorf("others cannot find this computer to pair: %w", errors.Join(errs...))
	}
	p.mu.Lock()
	p.stops = stops
	p.mu.Unlock()
	return c.String(), nil
}

// CancelPairingCode stops waiting with the code shown, if any.
func (p *Pairing) CancelPairingCode() {
	p.svc.Cancel()
	p.unannounce()
}

func (p *Pairing) unannounce() {
	p.mu.Lock()
	stops := p.stops
	p.stops = nil
	p.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
}

// Close stops the protocol and the announcements.
func (p *Pairing) Close() {
	p.svc.Close()
	p.unannounce()
}

// ended runs when the code I show is used up or expires.
func (p *Pairing) ended(c paircode.Code, from peer.ID, err error) {
	p.unannounce()
	if err == nil {
		name := ""
		if ct, ok := p.d.Book.Get(from); ok {
			name = book.DisplayName(ct)
		}
		p.d.Publish(event.PairingSucceeded{Code: c.String(), PeerID: from.String(), Name: name})
		return
	}
	reason := err.Error()
	switch {
	case errors.Is(err, paircode.ErrWrongCode):
		reason = "The code did not match: someone typed it wrong. Make a new code and try again."
	case errors.Is(err, paircode.ErrExpired):
		reason = "The code expired unused. Make a new code when you are ready."
	case errors.Is(err, paircode.ErrInterrupted):
		reason = "The pairing was interrupted. Make a new code and try again."
	}
	p.d.Publish(event.PairingFailed{Code: c.String(), Reason: reason, Err: err})
}

// PairWithCode finds the node waiting with code (a short code read out by
// the other person), runs the PAKE with it and makes it a contact. It
// returns paircode.ErrWrongCode when the code did not match (the other side's
// code is then spent), ErrNobodyWaiting when nobody with the code was
// found before ctx ended (two minutes when ctx has no deadline). On
// success it returns the name the other person announced.
func (p *Pairing) PairWithCode(ctx context.Context, code string) (string, error) {
	c, err := paircode.ParseCode(code)
	if err != nil {
		return "", err
	}
	if mine, ok := p.svc.Waiting(); ok && mine == c {
		return "", ErrOwnCode
	}
	if len(p.rvs) == 0 {
		return "", ErrNoRendezvous
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, pairFindTimeout)
		defer cancel()
	}
	// Closing the Messenger ends the search too.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(p.d.Ctx(), cancel)()
	found := make(chan peer.AddrInfo, 16)
	var wg sync.WaitGroup
	for _, rv := range p.rvs {
		ch, err := rv.Find(ctx, c)
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pi := range ch {
				select {
				case found <- pi:
				case <-ctx.Done():
				}
			}
		}()
	}
	// Stop the finders and wait for them before returning.
	defer wg.Wait()
	defer cancel()
	tried := map[peer.ID]bool{p.d.Self: true}
	var last error
	for {
		select {
		case <-ctx.Done():
			if p.d.Ctx().Err() != nil {
				return "", paircode.ErrClosed
			}
			if last != nil {
				return "", last
			}
			return "", ErrNobodyWaiting
		case pi := <-found:
			if tried[pi.ID] {
				continue
			}
			tried[pi.ID] = true
			p.d.Host.Peerstore().AddAddrs(pi.ID, pi.Addrs, peerstore.TempAddrTTL)
			name, err := p.pairAt(ctx, pi.ID, c)
			switch {
			case err == nil:
				return name, nil
			case errors.Is(err, paircode.ErrWrongCode), errors.Is(err, paircode.ErrInterrupted), errors.Is(err, people.ErrBlocked):
				return "", err
			default:
				// Not reachable, or not waiting (any more): keep looking.
				last = err
			}
		}
	}
}

// pairAt runs one attempt at one node.
func (p *Pairing) pairAt(ctx context.Context, id peer.ID, c paircode.Code) (string, error) {
	if p.d.Book.IsBlocked(id) {
		return "", people.ErrBlocked
	}
	actx, cancel := context.WithTimeout(ctx, pairAttemptTimeout)
	defer cancel()
	name, err := p.svc.Pair(actx, id, c)
	if err != nil {
		return "", err
	}
	return name, p.cfg.Paired(id, name)
}

// mdnsRendezvous meets on the LAN (p2p/discovery), under the code's tag.
type mdnsRendezvous struct{}

func (mdnsRendezvous) Announce(h host.Host, c paircode.Code) (func(), error) {
	a, err := discovery.Announce(h, c.Tag())
	if err != nil {
		return nil, err
	}
	return func() { a.Close() }, nil
}

func (mdnsRendezvous) Find(ctx context.Context, c paircode.Code) (<-chan peer.AddrInfo, error) {
	return discovery.Lookup(ctx, c.Tag())
}
