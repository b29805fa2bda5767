package area

import (
	"image"
	"time"

	"hearth/app/core/calls"
	"hearth/app/core/nearby"
	"hearth/contacts"
)

// MeBackend is this profile and its settings: my name and picture,
// presence and auto-away, nearby visibility, carrying messages for
// contacts, read receipts. The sidebar's top and the settings use it.
type MeBackend interface {
	MyName() string
	SetMyName(name string) error
	MyPeerID() string
	MyAvatar() image.Image // nil when I have none
	SetAvatar(path string) error
	ClearAvatar() error

	Presence() (contacts.Presence, string)
	SetPresence(p contacts.Presence, text string) error
	// Activity reports a key press or similar in the app; it is cheap.
	Activity()
	AwayAfter() time.Duration // 0: never
	SetAwayAfter(d time.Duration) error

	NearbyVisibility() (nearby.Visibility, time.Time)
	SetNearbyVisibility(v nearby.Visibility) error
	// PairNearby makes this device visible on the LAN for a few minutes
	// and returns when that ends; StopPairNearby ends it now.
	PairNearby() (time.Time, error)
	StopPairNearby()

	// Store-and-forward: whether this profile carries sealed messages for
	// its contacts while they are offline, and how many (and bytes) it
	// holds now.
	CarryMessages() bool
	SetCarryMessages(on bool) error
	Carrying() (count int, bytes int64, err error)

	// Calls: echo cancellation, noise suppression and gain control on the
	// microphone (on by default).
	AudioProcessing() bool
	SetAudioProcessing(on bool) error
	// Devices for calls, by name: what is plugged in now, and the
	// remembered choice per kind (calls.Camera …; empty: the default).
	AvailableDevices() calls.Devices
	ChosenDevice(kind string) string
	ChooseDevice(kind, name string) error

	ReadReceipts() bool
	SetReadReceipts(on bool) error
}
