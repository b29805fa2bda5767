package core

import (
	"errors"
	"time"

	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/peer"
)

// NearbyVisibility is the privacy setting for being seen on the LAN.
type NearbyVisibility int

const (
	// NearbyWhilePairing (the default): this device is announced, with my
	// display name, only for NearbyWindow after I press "Pair with
	// someone nearby"; otherwise it announces nothing at all.
	NearbyWhilePairing NearbyVisibility = iota
	// NearbyNever: never announced; "Pair with someone nearby" is off.
	NearbyNever
	// NearbyAlways: always announced with my name (an office LAN where
	// everyone may see me).
	NearbyAlways
)

func (v NearbyVisibility) String() string {
	switch v {
	case NearbyNever:
		return "Never"
	case NearbyAlways:
		return "Always"
	default:
		return "Only while I pair"
	}
}

// NearbyWindow is how long "Pair with someone nearby" keeps this device
// visible on the LAN.
const NearbyWindow = 5 * time.Minute

const settingNearbyVisibility = "nearby.visibility"

var (
	// ErrNoLAN: LAN discovery is off for this run (--no-mdns) or failed to
	// start.
	ErrNoLAN = errors.New("finding people on this network is off in this session")
	// ErrNearbyNever: the privacy setting forbids being seen on the LAN.
	ErrNearbyNever = errors.New("your privacy settings keep this device hidden on the network; change \"Visible nearby\" in Settings first")
)

// nearbyState is guarded by Messenger.mu.
type nearbyState struct {
	vis   NearbyVisibility
	until time.Time     // end of the pairing window; zero when closed
	stop  chan struct{} // closes the running window early
}

// alwaysUntil stands for "no end" in NearbyVisibilityChanged.
var alwaysUntil = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// startNearby loads the visibility setting and announces at once when it
// is NearbyAlways. Called from New after mDNS started.
func (m *Messenger) startNearby() {
	if b, err := m.store.Setting(settingNearbyVisibility); err == nil && len(b) == 1 && b[0] <= byte(NearbyAlways) {
		m.near.vis = NearbyVisibility(b[0])
	}
	if m.near.vis == NearbyAlways && m.mdns != nil {
		if err := m.mdns.Announce(m.MyName()); err != nil {
			m.publish(event.Notice{Text: "Could not make this device visible nearby: " + err.Error(), At: time.Now()})
		}
	}
}

// NearbyVisibility returns the setting and, while this device is visible,
// until when (far ahead for NearbyAlways).
func (m *Messenger) NearbyVisibility() (NearbyVisibility, time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.near.vis == NearbyAlways && m.mdns != nil {
		return m.near.vis, alwaysUntil
	}
	return m.near.vis, m.near.until
}

// SetNearbyVisibility changes and persists the setting, and starts or
// stops announcing to match.
func (m *Messenger) SetNearbyVisibility(v NearbyVisibility) error {
	if v < NearbyWhilePairing || v > NearbyAlways {
		return errors.New("unknown visibility")
	}
	if err := m.store.SetSetting(settingNearbyVisibility, []byte{byte(v)}); err != nil {
		return err
	}
	m.mu.Lock()
	m.near.vis = v
	m.mu.Unlock()
	m.StopPairNearby()
	if m.mdns == nil {
		return nil
	}
	if v == NearbyAlways {
		if err := m.mdns.Announce(m.MyName()); err != nil {
			return err
		}
		m.publish(event.NearbyVisibilityChanged{Until: alwaysUntil})
	}
	return nil
}

// PairNearby makes this device visible on the LAN, with my display name,
// for NearbyWindow, so someone nearby can find me under Nearby and send a
// request. It returns when the window closes.
func (m *Messenger) PairNearby() (time.Time, error) {
	if m.mdns == nil {
		return time.Time{}, ErrNoLAN
	}
	m.mu.Lock()
	vis := m.near.vis
	m.mu.Unlock()
	switch vis {
	case NearbyNever:
		return time.Time{}, ErrNearbyNever
	case NearbyAlways:
		return alwaysUntil, nil
	}
	if err := m.mdns.Announce(m.MyName()); err != nil {
		return time.Time{}, err
	}
	until := time.Now().Add(NearbyWindow)
	stop := make(chan struct{})
	m.mu.Lock()
	if m.near.stop != nil {
		close(m.near.stop) // the older window's timer ends without hiding
	}
	m.near.until, m.near.stop = until, stop
	m.mu.Unlock()
	m.publish(event.NearbyVisibilityChanged{Until: until})
	started := m.spawn(func() {
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		select {
		case <-m.d.Ctx().Done():
		case <-stop:
		case <-t.C:
			m.endWindow(stop)
		}
	})
	if !started {
		return time.Time{}, ErrNoLAN
	}
	return until, nil
}

// StopPairNearby closes the pairing window now.
func (m *Messenger) StopPairNearby() {
	m.mu.Lock()
	stop := m.near.stop
	m.mu.Unlock()
	if stop != nil {
		m.endWindow(stop)
	}
}

// endWindow hides this device again, if stop is still the current window
// and visibility is not NearbyAlways.
func (m *Messenger) endWindow(stop chan struct{}) {
	m.mu.Lock()
	if m.near.stop != stop {
		m.mu.Unlock()
		return
	}
	close(stop)
	m.near.stop, m.near.until = nil, time.Time{}
	hide := m.near.vis != NearbyAlways
	m.mu.Unlock()
	if hide && m.mdns != nil {
		m.mdns.StopAnnouncing()
	}
	m.publish(event.NearbyVisibilityChanged{})
}

// nearbyName is the display name a peer announced on the LAN.
func (m *Messenger) nearbyName(id peer.ID) string {
	if m.mdns == nil {
		return ""
	}
	return m.mdns.Name(id)
}
