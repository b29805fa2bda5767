package core

import (
	"fmt"

	"hearth/app/core/event"
)

// SetMyName changes my display name (1 to 64 characters, trimmed). It is
// saved with the profile and sent to my connected contacts at once, and
// to the others when they next connect. Contacts who renamed me keep
// their name for me.
func (m *Messenger) SetMyName(name string) error {
	m.nameMu.Lock()
	defer m.nameMu.Unlock()
	if err := m.prof.SetName(name); err != nil {
		return fmt.Errorf("changing your name: %w", err)
	}
	m.name.Store(m.prof.Name)
	m.Presence.BroadcastProfile()
	m.Nearby.Renamed()                   // visible nearby: under the new name
	m.d.Publish(event.ContactsChanged{}) // the window shows my name with the list
	return nil
}
