package call

import (
	"fmt"
	"sync"

	"github.com/pion/webrtc/v4"
)

// The state channel tells the other side when I mute or turn my camera
// off, so it can show my avatar and a muted mark instead of a black,
// silent picture. It is a pre-negotiated data channel (both sides create
// it with the same ID: no extra signalling), reliable and ordered; each
// message is the whole current state, so a late or repeated one is
// harmless.
//
// A message is two bytes: the version (1), then flags (bit 0 muted,
// bit 1 camera off). Anything else is refused.
const (
	stateChannelLabel = "hearth-state"
	stateChannelID    = 0
	stateVersion      = 1
	stateMuted        = 1 << 0
	stateCameraOff    = 1 << 1
)

// RemoteState is what the other side said about its own media.
type RemoteState struct {
	Muted     bool
	CameraOff bool
}

func encodeState(s RemoteState) []byte {
	var f byte
	if s.Muted {
		f |= stateMuted
	}
	if s.CameraOff {
		f |= stateCameraOff
	}
	return []byte{stateVersion, f}
}

// decodeState parses a state message from the other side.
func decodeState(b []byte) (RemoteState, error) {
	if len(b) != 2 || b[0] != stateVersion || b[1]&^(stateMuted|stateCameraOff) != 0 {
		return RemoteState{}, fmt.Errorf("state message %x: %w", b, ErrBadState)
	}
	return RemoteState{Muted: b[1]&stateMuted != 0, CameraOff: b[1]&stateCameraOff != 0}, nil
}

// stateChannel keeps my state and sends it whenever it changes or the
// channel opens.
type stateChannel struct {
	dc *webrtc.DataChannel

	mu   sync.Mutex // guards mine and open
	mine RemoteState
	open bool
}

func (c *Call) openStateChannel() error {
	negotiated := true
	id := uint16(stateChannelID)
	dc, err := c.pc.CreateDataChannel(stateChannelLabel, &webrtc.DataChannelInit{Negotiated: &negotiated, ID: &id})
	if err != nil {
		return fmt.Errorf("creating state channel: %w", err)
	}
	sc := &stateChannel{dc: dc}
	c.stateCh = sc
	dc.OnOpen(func() {
		sc.mu.Lock()
		sc.open = true
		msg := encodeState(sc.mine)
		sc.mu.Unlock()
		_ = dc.Send(msg)
	})
	dc.OnMessage(func(m webrtc.DataChannelMessage) {
		s, err := decodeState(m.Data)
		if err != nil {
			return // a newer peer's message we do not know: keep the last state
		}
		c.smu.Lock()
		c.stats.Remote = s
		c.smu.Unlock()
		if c.cfg.OnRemoteState != nil {
			c.cfg.OnRemoteState(s)
		}
	})
	return nil
}

// update changes one part of my state and sends the whole of it.
func (sc *stateChannel) update(f func(*RemoteState)) {
	if sc == nil {
		return
	}
	sc.mu.Lock()
	f(&sc.mine)
	msg, open := encodeState(sc.mine), sc.open
	sc.mu.Unlock()
	if open {
		_ = sc.dc.Send(msg)
	}
}
