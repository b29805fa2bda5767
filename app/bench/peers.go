package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"hearth/app/core"
	"hearth/app/core/event"
	"hearth/contacts"
)

// benchPeer is a full Hearth node (profile, store, libp2p, protocols) without GUI.
type benchPeer struct {
	dir string
	m   *core.Messenger

	mu      sync.Mutex
	waiters map[string]chan struct{} // message ID → closed when delivered
	onEvent func(event.Event)
}

func newPeer(root, name string, opts core.Options) (*benchPeer, error) {
	dir := filepath.Join(root, name)
	m, err := core.Opener{Dir: dir, Opts: opts}.Create(name, "")
	if err != nil {
		return nil, err
	}
	p := &benchPeer{dir: dir, m: m, waiters: map[string]chan struct{}{}}
	go p.read()
	return p, nil
}

// restart opens the profile again after Close.
func (p *benchPeer) restart(opts core.Options) error {
	m, err := core.Opener{Dir: p.dir, Opts: opts}.Unlock("")
	if err != nil {
		return err
	}
	p.m = m
	go p.read()
	return nil
}

func (p *benchPeer) read() {
	for e := range p.m.Events() {
		p.mu.Lock()
		if s, ok := e.(event.MessageStatusChanged); ok && s.Status == contacts.Delivered {
			if w, ok := p.waiters[s.ID]; ok {
				close(w)
				delete(p.waiters, s.ID)
			}
		}
		f := p.onEvent
		p.mu.Unlock()
		if f != nil {
			f(e)
		}
	}
}

// send sends and returns a channel closed on delivery.
func (p *benchPeer) send(to, body string) (<-chan struct{}, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	msg, err := p.m.Chat.Send(to, body)
	if err != nil {
		return nil, err
	}
	w := make(chan struct{})
	p.waiters[msg.ID] = w
	return w, nil
}

func presenceOf(m *core.Messenger, id string) contacts.Presence {
	cs, _ := m.People.Contacts()
	for _, c := range cs {
		if c.PeerID == id {
			return c.Presence
		}
	}
	return contacts.Offline
}

func waitFor(what string, d time.Duration, cond func() bool) error {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}

// pair makes a and b mutual contacts by invite code and waits until each
// shows the other online.
func pair(a, b *benchPeer) error {
	code, err := a.m.People.InviteCode()
	if err != nil {
		return err
	}
	if err := b.m.People.AddByInvite(code, ""); err != nil {
		return err
	}
	return waitFor("pairing", 30*time.Second, func() bool {
		return presenceOf(a.m, b.m.MyPeerID()) == contacts.Online && presenceOf(b.m, a.m.MyPeerID()) == contacts.Online
	})
}

// twoPeers starts two paired nodes on loopback in a temporary folder.
func twoPeers(opts core.Options) (a, b *benchPeer, cleanup func(), err error) {
	root, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return nil, nil, nil, err
	}
	ps, err := newPeers(root, opts, "alice", "bob")
	if err != nil {
		os.RemoveAll(root)
		return nil, nil, nil, err
	}
	cleanup = func() {
		closePeers(ps...)
		os.RemoveAll(root)
	}
	if err = pair(ps[0], ps[1]); err != nil {
		cleanup()
		return nil, nil, nil, err
	}
	return ps[0], ps[1], cleanup, nil
}

// newPeers starts fresh, unpaired nodes with the given names under root;
// on an error it closes those it had started.
func newPeers(root string, opts core.Options, names ...string) ([]*benchPeer, error) {
	var ps []*benchPeer
	for _, n := range names {
		p, err := newPeer(root, n, opts)
		if err != nil {
			closePeers(ps...)
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// closePeers closes every node that is running.
func closePeers(ps ...*benchPeer) {
	for _, p := range ps {
		if p != nil && p.m != nil {
			p.m.Close()
		}
	}
}

// timedPair starts two fresh nodes named an and bn, times how they become
// contacts with how, and closes both.
func timedPair(root string, opts core.Options, an, bn string, how func(a, b *benchPeer) (time.Duration, error)) (time.Duration, error) {
	ps, err := newPeers(root, opts, an, bn)
	if err != nil {
		return 0, err
	}
	defer closePeers(ps...)
	return how(ps[0], ps[1])
}

func loopbackOpts() core.Options {
	return core.Options{Loopback: true, NoMDNS: true, Port: -1, FakeMedia: true, RetryInterval: 200 * time.Millisecond}
}
