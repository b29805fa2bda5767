package core

import (
	"image"
	"sync/atomic"
	"testing"

	"hearth/app/core/event"
	"hearth/media/call"
)

// TestCallWithSyntheticMedia: Alice calls Bob over real libp2p hosts on
// loopback, Bob accepts, both decode the other's synthetic video and audio,
// and Bob hangs up.
func TestCallWithSyntheticMedia(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	ac, err := alice.m.Calls.StartCall(bob.m.MyPeerID())
	if err != nil {
		t.Fatal(err)
	}
	var ring event.IncomingCall
	waitFor(t, "ringing at bob", func() bool {
		e, ok := bob.log.find(func(e event.Event) bool { _, ok := e.(event.IncomingCall); return ok })
		if ok {
			ring = e.(event.IncomingCall)
		}
		return ok
	})
	if ring.CallID != ac.ID() || ring.Name != "Alice" {
		t.Fatalf("ring %+v", ring)
	}
	bc, err := bob.m.Calls.AcceptCall(ring.CallID)
	if err != nil {
		t.Fatal(err)
	}
	var aliceFrames, bobFrames atomic.Int64
	ac.SetVideoSinks(func(image.Image) { aliceFrames.Add(1) }, nil)
	bc.SetVideoSinks(func(image.Image) { bobFrames.Add(1) }, nil)
	if ac.MediaNotice() == "" {
		t.Error("synthetic media must be labelled")
	}
	waitFor(t, "60 frames each way", func() bool { return aliceFrames.Load() >= 60 && bobFrames.Load() >= 60 })
	waitFor(t, "2 s of audio each way", func() bool {
		return ac.(interface{ Stats() call.Stats }).Stats().AudioSamplesDecoded >= 96000 && bc.(interface{ Stats() call.Stats }).Stats().AudioSamplesDecoded >= 96000
	})
	bc.Hangup()
	waitFor(t, "alice sees the end", func() bool {
		_, ok := alice.log.find(func(e event.Event) bool { c, ok := e.(event.CallEnded); return ok && c.CallID == ac.ID() })
		return ok
	})
	if alice.m.Calls.InCall() || bob.m.Calls.InCall() {
		t.Fatal("call still listed after hang-up")
	}
}

func TestDeclinedCall(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	ac, err := alice.m.Calls.StartCall(bob.m.MyPeerID())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "ringing at bob", func() bool {
		_, ok := bob.log.find(func(e event.Event) bool { _, ok := e.(event.IncomingCall); return ok })
		return ok
	})
	if err := bob.m.Calls.DeclineCall(ac.ID()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "alice told", func() bool {
		_, ok := alice.log.find(func(e event.Event) bool { c, ok := e.(event.CallEnded); return ok && c.CallID == ac.ID() })
		return ok
	})
}
