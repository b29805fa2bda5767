// Package presence is the core's presence mechanism: my own presence and
// status text (with auto-away on idle), my profile (name and avatar) as my
// contacts see it, and what each contact told me of theirs. Presence and
// profiles go to accepted contacts only, never to strangers, and nothing
// leaves while I am invisible except one Offline to those who saw me
// online.
package presence

import (
	"image"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/event"
	"hearth/contacts"
	ppresence "hearth/p2p/presence"
	pprofile "hearth/p2p/profile"
	"hearth/p2p/wire"
)

const (
	settingPresence = "presence.state"
	settingStatus   = "presence.text"
	// maxStatusText is how much status text travels; longer text is cut.
	maxStatusText = 140
)

// Presence owns my presence, the idle timer, and the presence and avatars
// my contacts told me.
//
// mu guards the fields below it. sends serialises what goes to one
// contact (a presence and the profile that follows it), so an older state
// never arrives after a newer one.
type Presence struct {
	d     *base.Deps
	pres  *ppresence.Service
	profs *pprofile.Service
	// firstWord runs (on a goroutine of its own) when a contact tells me
	// its presence for the first time on a connection: it may have missed
	// what waits for it while it did not count me as a contact.
	firstWord func(id peer.ID)

	sends base.PerPeer

	mu         sync.Mutex
	mine       contacts.Presence
	text       string
	remote     map[peer.ID]remote
	toldOnline map[peer.ID]bool // contacts my last presence told I was online
	avatars    map[peer.ID]image.Image
	idle       idleState
}

type remote struct {
	p    contacts.Presence
	text string
}

// New loads my presence and my contacts' avatars and registers the
// presence and profile protocols. firstWord runs when a contact first
// tells me its presence on a connection (what waits for it goes out).
func New(d *base.Deps, firstWord func(id peer.ID)) *Presence {
	p := &Presence{d: d, firstWord: firstWord, mine: contacts.Online, remote: map[peer.ID]remote{},
		toldOnline: map[peer.ID]bool{}, avatars: map[peer.ID]image.Image{}}
	if b, err := d.Store.Setting(settingPresence); err == nil && len(b) == 1 {
		p.mine = contacts.Presence(b[0])
	}
	if b, err := d.Store.Setting(settingStatus); err == nil {
		p.text = string(b)
	}
	p.loadAvatars()
	p.startIdle()
	p.pres = ppresence.New(d.Host, ppresence.Config{Allow: d.Book.IsAccepted, OnPresence: p.onPresence})
	p.profs = pprofile.New(d.Host, pprofile.Config{Allow: d.Book.IsAccepted, OnProfile: p.onProfile})
	return p
}

// Close stops both protocols.
func (p *Presence) Close() {
	p.pres.Close()
	p.profs.Close()
}

// Presence returns my own presence and status text.
func (p *Presence) Presence() (contacts.Presence, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mine, p.text
}

// Invisible reports whether I am invisible (nothing may show me online).
func (p *Presence) Invisible() bool {
	s, _ := p.Presence()
	return s == contacts.Invisible
}

// SetPresence changes my presence and tells every connected contact.
// Invisible tells those who saw me online that I went offline, and from
// then on sends nothing.
func (p *Presence) SetPresence(s contacts.Presence, text string) error {
	text = base.TruncateUTF8(text, maxStatusText)
	if err := p.d.Store.SetSetting(settingPresence, []byte{byte(s)}); err != nil {
		return err
	}
	if err := p.d.Store.SetSetting(settingStatus, []byte(text)); err != nil {
		return err
	}
	p.mu.Lock()
	p.mine, p.text = s, text
	p.idle.auto = false // a choice made by hand is never undone by the idle timer
	p.idle.lastActive = p.d.Now()
	p.mu.Unlock()
	p.broadcast()
	return nil
}

// Of returns what a contact told me: its presence, status text and
// avatar (Offline and nil when it told nothing on this connection).
func (p *Presence) Of(id peer.ID) (contacts.Presence, string, image.Image) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.remote[id]
	if !ok {
		r.p = contacts.Offline
	}
	return r.p, r.text, p.avatars[id]
}

// Disconnected forgets what a contact's connection told (it is offline
// now) and reports whether there was anything to forget.
func (p *Presence) Disconnected(id peer.ID) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, had := p.remote[id]
	delete(p.remote, id)
	delete(p.toldOnline, id) // a new connection starts from nothing
	return had
}

// broadcast brings every connected contact up to date.
func (p *Presence) broadcast() {
	online, _ := p.d.Book.Accepted()
	for _, id := range online {
		p.d.Go(func() { p.SendTo(id) })
	}
}

// SendTo brings one contact up to date with my presence. Sends to one
// contact are serialised and each reads the state it sends under that
// lock, so an older state can never arrive after a newer one. While I am
// invisible it sends nothing at all, except one Offline to a contact that
// was told I was online.
func (p *Presence) SendTo(id peer.ID) {
	if !p.d.Book.IsAccepted(id) {
		return
	}
	p.sends.Lock(id, func() {
		p.mu.Lock()
		s, text, told := p.mine, p.text, p.toldOnline[id]
		p.mu.Unlock()
		msg := wire.Presence{State: uint32(s), Text: text}
		if s == contacts.Invisible {
			if !told {
				return
			}
			msg = wire.Presence{State: uint32(contacts.Offline)}
		}
		ctx, cancel := p.d.Timeout(5 * time.Second)
		defer cancel()
		if p.pres.Send(ctx, id, msg) == nil {
			p.mu.Lock()
			p.toldOnline[id] = s != contacts.Invisible
			p.mu.Unlock()
			if !told && s != contacts.Invisible {
				// They just learnt I am here (on this connection, or since I
				// was invisible): my profile follows. While I am invisible it
				// does not go, since its arrival would tell that I am online.
				p.SendProfileTo(id)
			}
		}
	})
}

func (p *Presence) onPresence(from peer.ID, w wire.Presence) {
	state := contacts.Presence(w.State)
	switch state {
	case contacts.Online, contacts.Away, contacts.Busy:
	default:
		state = contacts.Offline
	}
	text := base.TruncateUTF8(w.Text, maxStatusText)
	p.mu.Lock()
	_, known := p.remote[from]
	if state == contacts.Offline {
		delete(p.remote, from)
	} else {
		p.remote[from] = remote{p: state, text: text}
	}
	p.mu.Unlock()
	p.d.Publish(event.ContactsChanged{})
	if !known && state != contacts.Offline {
		// First word from this contact since it connected (or since it
		// accepted me): answer with my presence, which it may have missed
		// while it did not yet count me as a contact, and send what waits.
		p.d.Go(func() {
			p.SendTo(from)
			if p.firstWord != nil {
				p.firstWord(from)
			}
		})
	}
}

// Forget drops what I know of a contact's presence (blocked, removed).
func (p *Presence) Forget(id peer.ID) {
	p.mu.Lock()
	delete(p.remote, id)
	delete(p.toldOnline, id)
	p.mu.Unlock()
}
