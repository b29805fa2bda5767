package core

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/contacts/store"
	pprofile "hearth/p2p/profile"
	"hearth/p2p/wire"
)

// Settings keys for profiles: my avatar (its MIME type, a NUL, the bytes)
// and, per contact, the last wire.Profile it sent.
const (
	settingMyAvatar   = "profile.avatar"
	settingPeerPrefix = "peer.profile."
)

// startProfiles registers the profile protocol and loads the avatars of
// my contacts. Called from New.
func (m *Messenger) startProfiles() {
	m.mu.Lock()
	ids := make([]peer.ID, 0, len(m.contacts))
	for id := range m.contacts {
		ids = append(ids, id)
	}
	m.avatars = map[peer.ID]image.Image{}
	m.mu.Unlock()
	for _, id := range ids {
		if p, ok := m.peerProfile(id); ok && len(p.Avatar) > 0 {
			if img, err := decodePeerAvatar(p.AvatarType, p.Avatar); err == nil {
				m.mu.Lock()
				m.avatars[id] = img
				m.mu.Unlock()
			}
		}
	}
	m.profiles = pprofile.New(m.node.Host, pprofile.Config{Allow: m.isAccepted, OnProfile: m.onProfile})
}

// myProfile is what my contacts are told about me.
func (m *Messenger) myProfile() wire.Profile {
	p := wire.Profile{Name: m.MyName()}
	if b, err := m.store.Setting(settingMyAvatar); err == nil {
		if typ, img, ok := splitAvatar(b); ok {
			p.AvatarType, p.Avatar = typ, img
		}
	}
	return p
}

func splitAvatar(b []byte) (typ string, img []byte, ok bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), b[i+1:], i > 0 && i+1 < len(b)
		}
	}
	return "", nil, false
}

// MyAvatar returns my avatar image, or nil when I have none.
func (m *Messenger) MyAvatar() image.Image {
	p := m.myProfile()
	if len(p.Avatar) == 0 {
		return nil
	}
	img, err := decodePeerAvatar(p.AvatarType, p.Avatar)
	if err != nil {
		return nil
	}
	return img
}

// SetAvatar makes the picture in the file at path my avatar: it is cropped
// to a square, scaled to AvatarSize and re-encoded before it is stored and
// sent to my connected contacts.
func (m *Messenger) SetAvatar(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening picture: %w", err)
	}
	defer f.Close()
	b, typ, err := encodeAvatar(f)
	if err != nil {
		return err
	}
	if err := m.store.SetSetting(settingMyAvatar, append([]byte(typ+"\x00"), b...)); err != nil {
		return fmt.Errorf("saving avatar: %w", err)
	}
	m.broadcastProfile()
	return nil
}

// ClearAvatar removes my avatar; contacts then show my initials.
func (m *Messenger) ClearAvatar() error {
	if err := m.store.SetSetting(settingMyAvatar, nil); err != nil {
		return fmt.Errorf("removing avatar: %w", err)
	}
	m.broadcastProfile()
	return nil
}

// broadcastProfile sends my profile to every connected contact that knows
// I am online (none while I am invisible: sendPresenceTo sends it when
// they learn I am back). It holds the contact's presence lock, as
// sendPresenceTo does: either that send already told them I am here and
// this one follows it with the new profile, or it has yet to run and will
// read the new profile itself. No change is lost to a connect in progress.
func (m *Messenger) broadcastProfile() {
	for _, id := range m.connectedContacts() {
		m.spawn(func() {
			lock, _ := m.presMu.LoadOrStore(id, &sync.Mutex{})
			lock.(*sync.Mutex).Lock()
			defer lock.(*sync.Mutex).Unlock()
			m.mu.Lock()
			told := m.toldOnline[id]
			m.mu.Unlock()
			if told {
				m.sendProfileTo(id)
			}
		})
	}
}

// connectedContacts lists the accepted contacts with a connection now.
func (m *Messenger) connectedContacts() []peer.ID {
	m.mu.Lock()
	defer m.mu.Unlock()
	var peers []peer.ID
	for id, c := range m.contacts {
		if c.State == contacts.Accepted && m.connected(id) {
			peers = append(peers, id)
		}
	}
	return peers
}

// sendProfileTo gives one accepted contact my profile. Anyone else gets
// nothing, and nobody does while I am invisible.
func (m *Messenger) sendProfileTo(id peer.ID) {
	m.mu.Lock()
	invisible := m.myPresence == contacts.Invisible
	m.mu.Unlock()
	if invisible || !m.isAccepted(id) {
		return
	}
	ctx, cancel := context.WithTimeout(m.ctx, 15*time.Second)
	defer cancel()
	m.profiles.Send(ctx, id, m.myProfile())
}

// onProfile takes a contact's profile (already within the wire limits): the
// avatar is decoded here, on the stream's goroutine, and a profile whose
// avatar is not a small valid PNG or JPEG is refused whole.
func (m *Messenger) onProfile(from peer.ID, p wire.Profile) bool {
	var img image.Image
	if len(p.Avatar) > 0 {
		var err error
		if img, err = decodePeerAvatar(p.AvatarType, p.Avatar); err != nil {
			return false
		}
	}
	m.cmu.Lock()
	defer m.cmu.Unlock()
	c, ok := m.contact(from)
	if !ok || c.State != contacts.Accepted {
		return false
	}
	old, had := m.peerProfile(from)
	if err := m.store.SetSetting(settingPeerPrefix+from.String(), p.Marshal()); err != nil {
		return false
	}
	// The name they chose replaces the one I know them by unless I renamed
	// them (Rename): only a name that is still what they last told me, or
	// no name at all, follows them.
	if p.Name != c.Name && (c.Name == "" || had && c.Name == old.Name) {
		c.Name = p.Name
		if m.putContact(c) != nil {
			return false
		}
	}
	m.mu.Lock()
	if img != nil {
		m.avatars[from] = img
	} else {
		delete(m.avatars, from)
	}
	m.mu.Unlock()
	m.publish(ContactsChanged{})
	return true
}

// peerProfile is the last profile a contact sent, if any.
func (m *Messenger) peerProfile(id peer.ID) (wire.Profile, bool) {
	b, err := m.store.Setting(settingPeerPrefix + id.String())
	if err != nil || len(b) == 0 {
		return wire.Profile{}, false
	}
	var p wire.Profile
	if p.Unmarshal(b) != nil {
		return wire.Profile{}, false
	}
	return p, true
}

// Avatar returns a contact's avatar, or nil when it has none (the UI
// shows initials).
func (m *Messenger) Avatar(peerID string) image.Image {
	id, err := peer.Decode(peerID)
	if err != nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.avatars[id]
}

// forgetProfile drops what a contact told me about itself (it was removed).
func (m *Messenger) forgetProfile(id peer.ID) {
	m.mu.Lock()
	delete(m.avatars, id)
	m.mu.Unlock()
	if err := m.store.SetSetting(settingPeerPrefix+id.String(), nil); err != nil && !errors.Is(err, store.ErrNotFound) {
		m.publish(Notice{Text: "Could not forget a removed contact's picture: " + err.Error(), At: time.Now()})
	}
}
