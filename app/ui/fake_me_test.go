package ui

import (
	"errors"
	"image"
	"strings"
	"time"

	"hearth/app/core/calls"
	"hearth/app/core/event"
	"hearth/app/core/nearby"
	"hearth/app/core/presence"
	"hearth/contacts"
)

// fakeMe is the fake MeBackend: my name, picture, presence, auto-away,
// nearby visibility, carrying and read receipts; fields guarded by mu.
type fakeMe struct {
	*fakeHub
	myName     string // "" means "Ann"
	presence   contacts.Presence
	status     string
	activity   int
	avatar     image.Image
	avatarPath string
	avatarErr  error
	awayAfter  time.Duration
	vis        nearby.Visibility
	until      time.Time
	pairErr    error
	carrying   bool // SetCarryMessages
	carried    int  // Carrying
	noReceipt  bool // read receipts off

	noAudioProcessing bool // SetAudioProcessing(false)
	devices           calls.Devices
	chosen            map[string]string // ChooseDevice
}

func (f *fakeMe) MyName() string {
	defer f.lock()()
	if f.myName == "" {
		return "Ann"
	}
	return f.myName
}

func (f *fakeMe) SetMyName(name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("a name must be 1 to 64 characters, without control characters")
	}
	f.mu.Lock()
	f.myName = name
	f.mu.Unlock()
	f.events <- event.ContactsChanged{}
	return nil
}

func (f *fakeMe) MyPeerID() string { return fakeMyID }

func (f *fakeMe) Presence() (contacts.Presence, string) {
	defer f.lock()()
	return f.presence, f.status
}

func (f *fakeMe) SetPresence(p contacts.Presence, text string) error {
	defer f.lock()()
	f.presence, f.status = p, text
	return nil
}

func (f *fakeMe) CarryMessages() bool {
	defer f.lock()()
	return f.carrying
}

func (f *fakeMe) Carrying() (int, int64, error) {
	defer f.lock()()
	return f.carried, int64(f.carried) * 400, nil
}

func (f *fakeMe) SetCarryMessages(on bool) error {
	defer f.lock()()
	f.carrying = on
	return nil
}

func (f *fakeMe) AudioProcessing() bool {
	defer f.lock()()
	return !f.noAudioProcessing
}

func (f *fakeMe) SetAudioProcessing(on bool) error {
	defer f.lock()()
	f.noAudioProcessing = !on
	return nil
}

func (f *fakeMe) AvailableDevices() calls.Devices {
	defer f.lock()()
	return f.devices
}

func (f *fakeMe) ChosenDevice(kind string) string {
	defer f.lock()()
	return f.chosen[kind]
}

func (f *fakeMe) ChooseDevice(kind, name string) error {
	defer f.lock()()
	if f.chosen == nil {
		f.chosen = map[string]string{}
	}
	f.chosen[kind] = name
	return nil
}

func (f *fakeMe) ReadReceipts() bool {
	defer f.lock()()
	return !f.noReceipt
}

func (f *fakeMe) SetReadReceipts(on bool) error {
	defer f.lock()()
	f.noReceipt = !on
	return nil
}

func (f *fakeMe) Activity() {
	f.mu.Lock()
	f.activity++
	f.mu.Unlock()
}

func (f *fakeMe) MyAvatar() image.Image {
	defer f.lock()()
	return f.avatar
}

func (f *fakeMe) SetAvatar(path string) error {
	defer f.lock()()
	if f.avatarErr != nil {
		return f.avatarErr
	}
	f.avatarPath = path
	f.avatar = image.NewNRGBA(image.Rect(0, 0, presence.AvatarSize, presence.AvatarSize))
	return nil
}

func (f *fakeMe) ClearAvatar() error {
	defer f.lock()()
	f.avatar, f.avatarPath = nil, ""
	return nil
}

func (f *fakeMe) AwayAfter() time.Duration {
	defer f.lock()()
	return f.awayAfter
}

func (f *fakeMe) SetAwayAfter(d time.Duration) error {
	defer f.lock()()
	f.awayAfter = d
	return nil
}

func (f *fakeMe) NearbyVisibility() (nearby.Visibility, time.Time) {
	defer f.lock()()
	return f.vis, f.until
}

func (f *fakeMe) SetNearbyVisibility(v nearby.Visibility) error {
	defer f.lock()()
	f.vis = v
	return nil
}

func (f *fakeMe) PairNearby() (time.Time, error) {
	defer f.lock()()
	if f.pairErr != nil {
		return time.Time{}, f.pairErr
	}
	f.until = time.Date(2026, 3, 1, 15, 4, 0, 0, time.Local)
	f.events <- event.NearbyVisibilityChanged{Until: f.until}
	return f.until, nil
}

func (f *fakeMe) StopPairNearby() {
	defer f.lock()()
	if !f.until.IsZero() {
		f.until = time.Time{}
		f.events <- event.NearbyVisibilityChanged{}
	}
}
