package core

import (
	"context"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/wire"
)

// maxStatusText is how much status text travels; longer text is cut.
const maxStatusText = 140

// Presence returns my own presence and status text.
func (m *Messenger) Presence() (contacts.Presence, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.myPresence, m.myStatus
}

// SetPresence changes my presence and tells every connected contact.
// Invisible tells those who saw me online that I went offline, and from
// then on sends nothing.
func (m *Messenger) SetPresence(p contacts.Presence, text string) error {
	text = truncateUTF8(text, maxStatusText)
	if err := m.store.SetSetting(settingPresence, []byte{byte(p)}); err != nil {
		return err
	}
	if err := m.store.SetSetting(settingStatus, []byte(text)); err != nil {
		return err
	}
	m.mu.Lock()
	m.myPresence, m.myStatus = p, text
	m.idle.auto = false // a choice made by hand is never undone by the idle timer
	m.idle.lastActive = m.idle.now()
	m.mu.Unlock()
	m.broadcastPresence()
	return nil
}

// broadcastPresence brings every connected contact up to date.
func (m *Messenger) broadcastPresence() {
	for _, id := range m.connectedContacts() {
		m.spawn(func() { m.sendPresenceTo(id) })
	}
}

// sendPresenceTo brings one contact up to date with my presence. Sends to
// one contact are serialised and each reads the state it sends under that
// lock, so an older state can never arrive after a newer one. While I am
// invisible it sends nothing at all, except one Offline to a contact that
// was told I was online.
func (m *Messenger) sendPresenceTo(id peer.ID) {
	if !m.isAccepted(id) {
		return
	}
	lock, _ := m.presMu.LoadOrStore(id, &sync.Mutex{})
	lock.(*sync.Mutex).Lock()
	defer lock.(*sync.Mutex).Unlock()
	m.mu.Lock()
	p, text, told := m.myPresence, m.myStatus, m.toldOnline[id]
	m.mu.Unlock()
	msg := wire.Presence{State: uint32(p), Text: text}
	if p == contacts.Invisible {
		if !told {
			return
		}
		msg = wire.Presence{State: uint32(contacts.Offline)}
	}
	ctx, cancel := context.WithTimeout(m.ctx, 5*time.Second)
	defer cancel()
	if m.pres.Send(ctx, id, msg) == nil {
		m.mu.Lock()
		m.toldOnline[id] = p != contacts.Invisible
		m.mu.Unlock()
		if !told && p != contacts.Invisible {
			// They just learnt I am here (on this connection, or since I
			// was invisible): my profile follows. While I am invisible it
			// does not go, since its arrival would tell that I am online.
			m.sendProfileTo(id)
		}
	}
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (m *Messenger) onPresence(from peer.ID, p wire.Presence) {
	state := contacts.Presence(p.State)
	switch state {
	case contacts.Online, contacts.Away, contacts.Busy:
	default:
		state = contacts.Offline
	}
	text := truncateUTF8(p.Text, maxStatusText)
	m.mu.Lock()
	_, known := m.presence[from]
	if state == contacts.Offline {
		delete(m.presence, from)
	} else {
		m.presence[from] = remotePresence{p: state, text: text}
	}
	m.mu.Unlock()
	m.publish(ContactsChanged{})
	if !known && state != contacts.Offline {
		// First word from this contact since it connected (or since it
		// accepted me): answer with my presence, which it may have missed
		// while it did not yet count me as a contact, and send what waits.
		m.spawn(func() {
			m.sendPresenceTo(from)
			m.flush(from)
		})
	}
}
