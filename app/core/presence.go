package core

import (
	"context"
	"time"

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
// Invisible tells them I went offline and from then on sends nothing.
func (m *Messenger) SetPresence(p contacts.Presence, text string) error {
	if len(text) > maxStatusText {
		text = text[:maxStatusText]
	}
	if err := m.store.SetSetting(settingPresence, []byte{byte(p)}); err != nil {
		return err
	}
	if err := m.store.SetSetting(settingStatus, []byte(text)); err != nil {
		return err
	}
	m.mu.Lock()
	was := m.myPresence
	m.myPresence, m.myStatus = p, text
	var peers []peer.ID
	for id, c := range m.contacts {
		if c.State == contacts.Accepted && m.connected(id) {
			peers = append(peers, id)
		}
	}
	m.mu.Unlock()
	switch {
	case p == contacts.Invisible && was == contacts.Invisible:
		// Nothing to say, and nothing may be said.
	case p == contacts.Invisible:
		// Those who saw me online see me go offline, as if I had quit.
		for _, id := range peers {
			m.spawn(func() { m.sendPresence(id, wire.Presence{State: uint32(contacts.Offline)}) })
		}
	default:
		for _, id := range peers {
			m.spawn(func() { m.sendPresenceTo(id) })
		}
	}
	return nil
}

// sendPresenceTo tells one contact my presence, unless I am invisible: then
// it sends nothing at all, and the contact shows me offline because it
// never heard otherwise.
func (m *Messenger) sendPresenceTo(id peer.ID) {
	m.mu.Lock()
	p := wire.Presence{State: uint32(m.myPresence), Text: m.myStatus}
	invisible := m.myPresence == contacts.Invisible
	m.mu.Unlock()
	if invisible {
		return
	}
	m.sendPresence(id, p)
}

func (m *Messenger) sendPresence(id peer.ID, p wire.Presence) {
	if !m.isAccepted(id) {
		return
	}
	ctx, cancel := context.WithTimeout(m.ctx, 5*time.Second)
	defer cancel()
	m.pres.Send(ctx, id, p)
}

func (m *Messenger) onPresence(from peer.ID, p wire.Presence) {
	state := contacts.Presence(p.State)
	switch state {
	case contacts.Online, contacts.Away, contacts.Busy:
	default:
		state = contacts.Offline
	}
	text := p.Text
	if len(text) > maxStatusText {
		text = text[:maxStatusText]
	}
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
