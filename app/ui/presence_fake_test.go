package ui

import (
	"image"
	"time"

	"hearth/app/core/event"
	"hearth/app/core/presence"

	"hearth/app/core"
)

// presenceFake is the fake backend's profile, auto-away and nearby state;
// guarded by fakeBackend.mu.
type presenceFake struct {
	activity   int
	avatar     image.Image
	avatarPath string
	avatarErr  error
	awayAfter  time.Duration
	vis        core.NearbyVisibility
	until      time.Time
	pairErr    error
}

func (f *fakeBackend) Activity() {
	f.mu.Lock()
	f.pres.activity++
	f.mu.Unlock()
}

func (f *fakeBackend) MyAvatar() image.Image {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pres.avatar
}

func (f *fakeBackend) SetAvatar(path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pres.avatarErr != nil {
		return f.pres.avatarErr
	}
	f.pres.avatarPath = path
	f.pres.avatar = image.NewNRGBA(image.Rect(0, 0, presence.AvatarSize, presence.AvatarSize))
	return nil
}

func (f *fakeBackend) ClearAvatar() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pres.avatar, f.pres.avatarPath = nil, ""
	return nil
}

func (f *fakeBackend) AwayAfter() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pres.awayAfter
}

func (f *fakeBackend) SetAwayAfter(d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pres.awayAfter = d
	return nil
}

func (f *fakeBackend) NearbyVisibility() (core.NearbyVisibility, time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pres.vis, f.pres.until
}

func (f *fakeBackend) SetNearbyVisibility(v core.NearbyVisibility) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pres.vis = v
	return nil
}

func (f *fakeBackend) PairNearby() (time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pres.pairErr != nil {
		return time.Time{}, f.pres.pairErr
	}
	f.pres.until = time.Date(2026, 3, 1, 15, 4, 0, 0, time.Local)
	f.events <- event.NearbyVisibilityChanged{Until: f.pres.until}
	return f.pres.until, nil
}

func (f *fakeBackend) StopPairNearby() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.pres.until.IsZero() {
		f.pres.until = time.Time{}
		f.events <- event.NearbyVisibilityChanged{}
	}
}
