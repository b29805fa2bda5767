package call

import (
	"bytes"
	"testing"
)

func TestStateMessage(t *testing.T) {
	for _, s := range []RemoteState{{}, {Muted: true}, {CameraOff: true}, {Muted: true, CameraOff: true}} {
		got, err := decodeState(encodeState(s))
		if err != nil || got != s {
			t.Errorf("%+v came back as %+v, %v", s, got, err)
		}
	}
	// Frozen encoding.
	if b := encodeState(RemoteState{Muted: true, CameraOff: true}); !bytes.Equal(b, []byte{1, 3}) {
		t.Errorf("encoding %x", b)
	}
	for _, b := range [][]byte{nil, {1}, {2, 0}, {1, 4}, {1, 0, 0}} {
		if _, err := decodeState(b); err == nil {
			t.Errorf("%x accepted", b)
		}
	}
}

func FuzzDecodeState(f *testing.F) {
	f.Add([]byte{1, 3})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeState(b)
		if err == nil && !bytes.Equal(encodeState(s), b) {
			t.Errorf("%x decoded to %+v which encodes differently", b, s)
		}
	})
}

// TestRemoteStateReachesTheOtherSide: muting and turning the camera off
// at one end shows at the other, and back.
func TestRemoteStateReachesTheOtherSide(t *testing.T) {
	p := newPair(t, 160, 120)
	defer p.close()
	waitFor(t, "media", func() bool { return p.callerRec.frames.Load() > 0 && p.calleeRec.frames.Load() > 0 })
	p.caller.SetMuted(true)
	p.caller.SetCameraOff(true)
	waitFor(t, "remote muted, camera off", func() bool {
		return p.callee.Stats().Remote == RemoteState{Muted: true, CameraOff: true}
	})
	p.caller.SetMuted(false)
	waitFor(t, "remote unmuted", func() bool { return p.callee.Stats().Remote == RemoteState{CameraOff: true} })
	if p.caller.Stats().Remote != (RemoteState{}) {
		t.Errorf("the caller sees %+v of the callee, which changed nothing", p.caller.Stats().Remote)
	}
}
