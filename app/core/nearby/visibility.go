package nearby

import (
	"errors"
	"time"

	"hearth/app/core/event"
)

// Visibility is the privacy setting for being seen on the LAN.
type Visibility int

const (
	// WhilePairing (the default): this device is announced, with my
	// display name, only for Window after I press "Pair with
	// someone nearby"; otherwise it announces nothing at all.
	WhilePairing Visibility = iota
	// Never: never announced; "Pair with someone nearby" is off.
	Never
	// Always: always announced with my name (an office LAN where
	// everyone may see me).
	Always
)

func (v Visibility) String() string {
	switch v {
	case Never:
		return "Never"
	case Always:
		return "Always"
	default:
		return "Only while I pair"
	}
}

// Window is how long "Pair with someone nearby" keeps this device
// visible on the LAN.
const Window = 5 * time.Minute

var (
	// ErrNoLAN: LAN discovery is off for this run (--no-mdns) or failed to
	// start.
	ErrNoLAN = errors.New("finding people on this network is off in this session")
	// ErrNearbyNever: the privacy setting forbids being seen on the LAN.
	ErrNearbyNever = errors.New("your privacy settings keep this device hidden on the network; change \"Visible nearby\" in Settings first")
)

// alwaysUntil stands for "no end" in NearbyVisibilityChanged.
var alwaysUntil = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// NearbyVisibility returns the setting and, while this device is visible,
// until when (far ahead for Always).
func (n *Nearby) NearbyVisibility() (Visibility, time.Time) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.vis == Always && n.mdns != nil {
		return n.vis, alwaysUntil
	}
	return n.vis, n.until
}

// SetNearbyVisibility changes and persists the setting, and starts or
// stops announcing to match.
func (n *Nearby) SetNearbyVisibility(v Visibility) error {
	if v < WhilePairing || v > Always {
		return errors.New("unknown visibility")
	}
	if err := n.d.Store.SetSetting(settingNearbyVisibility, []byte{byte(v)}); err != nil {
		return err
	}
	n.mu.Lock()
	n.vis = v
	n.mu.Unlock()
	n.StopPairNearby()
	if n.mdns == nil {
		return nil
	}
	if v == Always {
		if err := n.mdns.Announce(n.d.Name()); err != nil {
			return err
		}
		n.d.Publish(event.NearbyVisibilityChanged{Until: alwaysUntil})
	}
	return nil
}

// PairNearby makes this device visible on the LAN, with my display name,
// for Window, so someone nearby can find me under Nearby and send a
// request. It returns when the window closes.
func (n *Nearby) PairNearby() (time.Time, error) {
	if n.mdns == nil {
		return time.Time{}, ErrNoLAN
	}
	n.mu.Lock()
	vis := n.vis
	n.mu.Unlock()
	switch vis {
	case Never:
		return time.Time{}, ErrNearbyNever
	case Always:
		return alwaysUntil, nil
	}
	if err := n.mdns.Announce(n.d.Name()); err != nil {
		return time.Time{}, err
	}
	until := time.Now().Add(Window)
	stop := make(chan struct{})
	n.mu.Lock()
	if n.stop != nil {
		close(n.stop) // the older window's timer ends without hiding
	}
	n.until, n.stop = until, stop
	n.mu.Unlock()
	n.d.Publish(event.NearbyVisibilityChanged{Until: until})
	started := n.d.Go(func() {
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		select {
		case <-n.d.Ctx().Done():
		case <-stop:
		case <-t.C:
			n.endWindow(stop)
		}
	})
	if !started {
		return time.Time{}, ErrNoLAN
	}
	return until, nil
}

// StopPairNearby closes the pairing window now.
func (n *Nearby) StopPairNearby() {
	n.mu.Lock()
	stop := n.stop
	n.mu.Unlock()
	if stop != nil {
		n.endWindow(stop)
	}
}

// endWindow hides this device again, if stop is still the current window
// and visibility is not Always.
func (n *Nearby) endWindow(stop chan struct{}) {
	n.mu.Lock()
	if n.stop != stop {
		n.mu.Unlock()
		return
	}
	close(stop)
	n.stop, n.until = nil, time.Time{}
	hide := n.vis != Always
	n.mu.Unlock()
	if hide && n.mdns != nil {
		n.mdns.StopAnnouncing()
	}
	n.d.Publish(event.NearbyVisibilityChanged{})
}
