package core

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/app/core/people"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"

	"hearth/p2p/discovery"
	paircode "hearth/p2p/pair"
)

// Pairing by a short spoken code (p2p/pair): one side shows a code such as
// "7-orbit-maple-sugar" and waits; the other types it, finds the waiting
// node through every PairRendezvous (mDNS on the LAN, the DHT when
// configured), and the two run the PAKE. Both end as Accepted contacts,
// the same end state as an invite code.

// PairRendezvous is one way for the two sides of a short code to meet.
type PairRendezvous interface {
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

// pairing is the Messenger's short-code state.
type pairing struct {
	svc *paircode.Service
	rvs []PairRendezvous

	mu    sync.Mutex // guards stops
	stops []func()   // announcements of the code I show
}

func (m *Messenger) newPairing() *pairing {
	p := &pairing{rvs: m.opts.PairRendezvous}
	if p.rvs == nil {
		if !m.opts.NoMDNS {
			p.rvs = append(p.rvs, mdnsRendezvous{})
		}
		if len(m.opts.PairDHTBootstrap) > 0 {
			p.rvs = append(p.rvs, newDHTRendezvous(m.node.Host, m.opts.PairDHTBootstrap))
		}
	}
	p.svc = paircode.New(m.node.Host, paircode.Config{
		Name:   func() string { return m.MyName() },
		Accept: func(from peer.ID, name string) error { return m.People.AddPaired(from, name) },
		Ended:  m.pairingEnded,
	})
	return p
}

// NewPairingCode starts waiting with a fresh short code, replacing any
// earlier one, and returns it to be read out. The outcome comes as a
// PairingSucceeded or PairingFailed event; the code expires unused after
// ten minutes.
func (m *Messenger) NewPairingCode() (string, error) {
	if len(m.pairing.rvs) == 0 {
		return "", ErrNoRendezvous
	}
	c, err := paircode.NewCode()
	if err != nil {
		return "", err
	}
	m.CancelPairingCode()
	if err := m.pairing.svc.Wait(c); err != nil {
		return "", err
	}
	var stops []func()
	var errs []error
	for _, rv := range m.pairing.rvs {
		stop, err := rv.Announce(m.node.Host, c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		stops = append(stops, stop)
	}
	if len(stops) == 0 && len(errs) > 0 {
		m.pairing.svc.Cancel()
		return "", fmt.Errorf("others cannot find this computer to pair: %w", errors.Join(errs...))
	}
	m.pairing.mu.Lock()
	m.pairing.stops = stops
	m.pairing.mu.Unlock()
	return c.String(), nil
}

// CancelPairingCode stops waiting with the code shown, if any.
func (m *Messenger) CancelPairingCode() {
	m.pairing.svc.Cancel()
	m.pairing.unannounce()
}

func (p *pairing) unannounce() {
	p.mu.Lock()
	stops := p.stops
	p.stops = nil
	p.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
}

func (p *pairing) close() {
	p.svc.Close()
	p.unannounce()
}

// pairingEnded runs when the code I show is used up or expires.
func (m *Messenger) pairingEnded(c paircode.Code, from peer.ID, err error) {
	m.pairing.unannounce()
	if err == nil {
		name := ""
		if ct, ok := m.contact(from); ok {
			name = book.DisplayName(ct)
		}
		m.publish(event.PairingSucceeded{Code: c.String(), PeerID: from.String(), Name: name})
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
	m.publish(event.PairingFailed{Code: c.String(), Reason: reason, Err: err})
}

// PairWithCode finds the node waiting with code (a short code read out by
// the other person), runs the PAKE with it and makes it a contact. It
// returns paircode.ErrWrongCode when the code did not match (the other side's
// code is then spent), ErrNobodyWaiting when nobody with the code was
// found before ctx ended (two minutes when ctx has no deadline). On
// success it returns the name the other person announced.
func (m *Messenger) PairWithCode(ctx context.Context, code string) (string, error) {
	c, err := paircode.ParseCode(code)
	if err != nil {
		return "", err
	}
	if mine, ok := m.pairing.svc.Waiting(); ok && mine == c {
		return "", ErrOwnCode
	}
	if len(m.pairing.rvs) == 0 {
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
	defer context.AfterFunc(m.d.Ctx(), cancel)()
	found := make(chan peer.AddrInfo, 16)
	var wg sync.WaitGroup
	for _, rv := range m.pairing.rvs {
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
	tried := map[peer.ID]bool{m.prof.ID: true}
	var last error
	for {
		select {
		case <-ctx.Done():
			if m.d.Ctx().Err() != nil {
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
			m.node.Host.Peerstore().AddAddrs(pi.ID, pi.Addrs, peerstore.TempAddrTTL)
			name, err := m.pairAt(ctx, pi.ID, c)
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
func (m *Messenger) pairAt(ctx context.Context, id peer.ID, c paircode.Code) (string, error) {
	if m.isBlocked(id) {
		return "", people.ErrBlocked
	}
	actx, cancel := context.WithTimeout(ctx, pairAttemptTimeout)
	defer cancel()
	name, err := m.pairing.svc.Pair(actx, id, c)
	if err != nil {
		return "", err
	}
	return name, m.People.AddPaired(id, name)
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
