package presence

import (
	"errors"
	"fmt"
	"image"
	"os"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/contacts/store"
	"hearth/p2p/wire"
)

// Settings keys for profiles: my avatar (its MIME type, a NUL, the bytes)
// and, per contact, the last wire.Profile it sent.
const (
	settingMyAvatar   = "profile.avatar"
	settingPeerPrefix = "peer.profile."
)

// loadAvatars decodes the avatars my contacts sent before. Called from
// New.
func (p *Presence) loadAvatars() {
	for id := range p.d.Book.Snapshot() {
		if prof, ok := p.peerProfile(id); ok && len(prof.Avatar) > 0 {
			if img, err := decodePeerAvatar(prof.AvatarType, prof.Avatar); err == nil {
				p.avatars[id] = img
			}
		}
	}
}

// myProfile is what my contacts are told about me.
func (p *Presence) myProfile() wire.Profile {
	prof := wire.Profile{Name: p.d.Name()}
	if b, err := p.d.Store.Setting(settingMyAvatar); err == nil {
		if typ, img, ok := splitAvatar(b); ok {
			prof.AvatarType, prof.Avatar = typ, img
		}
	}
	return prof
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
func (p *Presence) MyAvatar() image.Image {
	prof := p.myProfile()
	if len(prof.Avatar) == 0 {
		return nil
	}
	img, err := decodePeerAvatar(prof.AvatarType, prof.Avatar)
	if err != nil {
		return nil
	}
	return img
}

// SetAvatar makes the picture in the file at path my avatar: it is cropped
// to a square, scaled to AvatarSize and re-encoded before it is stored and
// sent to my connected contacts.
func (p *Presence) SetAvatar(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening picture: %w", err)
	}
	defer f.Close()
	b, typ, err := encodeAvatar(f)
	if err != nil {
		return err
	}
	if err := p.d.Store.SetSetting(settingMyAvatar, append([]byte(typ+"\x00"), b...)); err != nil {
		return fmt.Errorf("saving avatar: %w", err)
	}
	p.BroadcastProfile()
	return nil
}

// ClearAvatar removes my avatar; contacts then show my initials.
func (p *Presence) ClearAvatar() error {
	if err := p.d.Store.SetSetting(settingMyAvatar, nil); err != nil {
		return fmt.Errorf("removing avatar: %w", err)
	}
	p.BroadcastProfile()
	return nil
}

// BroadcastProfile sends my profile to every connected contact that knows
// I am online (none while I am invisible: sendPresenceTo sends it when
// they learn I am back). It holds the contact's presence lock, as
// sendPresenceTo does: either that send already told them I am here and
// this one follows it with the new profile, or it has yet to run and will
// read the new profile itself. No change is lost to a connect in progress.
func (p *Presence) BroadcastProfile() {
	online, _ := p.d.Book.Accepted()
	for _, id := range online {
		p.d.Go(func() {
			p.sends.Lock(id, func() {
				p.mu.Lock()
				told := p.toldOnline[id]
				p.mu.Unlock()
				if told {
					p.SendProfileTo(id)
				}
			})
		})
	}
}

// SendProfileTo gives one accepted contact my profile. Anyone else gets
// nothing, and nobody does while I am invisible.
func (p *Presence) SendProfileTo(id peer.ID) {
	p.mu.Lock()
	invisible := p.mine == contacts.Invisible
	p.mu.Unlock()
	if invisible || !p.d.Book.IsAccepted(id) {
		return
	}
	ctx, cancel := p.d.Timeout(15 * time.Second)
	defer cancel()
	p.profs.Send(ctx, id, p.myProfile())
}

// onProfile takes a contact's profile (already within the wire limits): the
// avatar is decoded here, on the stream's goroutine, and a profile whose
// avatar is not a small valid PNG or JPEG is refused whole.
func (p *Presence) onProfile(from peer.ID, prof wire.Profile) bool {
	var img image.Image
	if len(prof.Avatar) > 0 {
		var err error
		if img, err = decodePeerAvatar(prof.AvatarType, prof.Avatar); err != nil {
			return false
		}
	}
	p.d.Book.Lock()
	defer p.d.Book.Unlock()
	c, ok := p.d.Book.Get(from)
	if !ok || c.State != contacts.Accepted {
		return false
	}
	old, had := p.peerProfile(from)
	if err := p.d.Store.SetSetting(settingPeerPrefix+from.String(), prof.Marshal()); err != nil {
		return false
	}
	// The name they chose replaces the one I know them by unless I renamed
	// them (Rename): only a name that is still what they last told me, or
	// no name at all, follows them.
	if prof.Name != c.Name && (c.Name == "" || had && c.Name == old.Name) {
		c.Name = prof.Name
		if p.d.Book.Put(c) != nil {
			return false
		}
	}
	p.mu.Lock()
	if img != nil {
		p.avatars[from] = img
	} else {
		delete(p.avatars, from)
	}
	p.mu.Unlock()
	p.d.Publish(event.ContactsChanged{})
	return true
}

// peerProfile is the last profile a contact sent, if any.
func (p *Presence) peerProfile(id peer.ID) (wire.Profile, bool) {
	b, err := p.d.Store.Setting(settingPeerPrefix + id.String())
	if err != nil || len(b) == 0 {
		return wire.Profile{}, false
	}
	var prof wire.Profile
	if prof.Unmarshal(b) != nil {
		return wire.Profile{}, false
	}
	return prof, true
}

// Avatar returns a contact's avatar, or nil when it has none (the UI
// shows initials).
func (p *Presence) Avatar(peerID string) image.Image {
	id, err := peer.Decode(peerID)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.avatars[id]
}

// Removed drops everything a removed contact told me: its presence on
// this connection, its avatar and its profile.
func (p *Presence) Removed(id peer.ID) {
	p.mu.Lock()
	delete(p.remote, id)
	delete(p.avatars, id)
	p.mu.Unlock()
	if err := p.d.Store.SetSetting(settingPeerPrefix+id.String(), nil); err != nil && !errors.Is(err, store.ErrNotFound) {
		p.d.Publish(event.Notice{Text: "Could not forget a removed contact's picture: " + err.Error(), At: time.Now()})
	}
}
