package core

import (
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/event"
	"hearth/contacts"
)

// retry runs on every pass of the connect loop: a flush that failed (a
// store error on their side, a reset stream) is retried while both stay
// connected, and whoever is not connected gets messages through carriers,
// at once.
func (m *Messenger) retry(online []peer.ID) {
	for _, id := range online {
		if waiting, _ := m.Chat.HasUndelivered(id.String()); waiting {
			m.Chat.RequestFlush(id)
		}
		if m.Chat.HasPendingUpdates(id) {
			m.Chat.RequestUpdates(id)
		}
	}
	m.Carry.Tick()
}

// onConnected runs in the swarm's notification path: do the work elsewhere.
func (m *Messenger) onConnected(id peer.ID) {
	c, ok := m.book.Get(id)
	if !ok || c.State != contacts.Accepted {
		m.People.Connected(id) // a request to resend, or a removal to retell
		return
	}
	m.d.Go(func() {
		switch c.State {
		case contacts.Accepted:
			m.Presence.SendTo(id)
			m.Chat.Flush(id)
			m.Chat.FlushUpdates(id)
			m.Transfers.Connected(id)
			m.Archive.SendFlag(id) // a compliance flag they have not heard of yet
			m.Carry.OnConnect(id)
		}
	})
}

func (m *Messenger) onDisconnected(id peer.ID) {
	if m.d.Connected(id) {
		return // another connection is still up
	}
	if m.Presence.Disconnected(id) {
		m.d.Publish(event.ContactsChanged{})
	}
}
