package call

import (
	"context"
	"time"

	"github.com/pion/webrtc/v4"
)

// SetMuted sends silence instead of the microphone while muted, and tells
// the other side.
func (c *Call) SetMuted(muted bool) {
	c.capture.SetMuted(muted)
	c.stateCh.update(func(s *RemoteState) { s.Muted = muted })
}

// SetCameraOff sends a black picture instead of the camera while off, and
// tells the other side (which shows my avatar instead).
func (c *Call) SetCameraOff(off bool) {
	c.capture.SetCameraOff(off)
	c.stateCh.update(func(s *RemoteState) { s.CameraOff = off })
}

// Notice is user text about stand-ins in use (synthetic media, no speaker);
// empty when the call uses real devices.
func (c *Call) Notice() string { return c.notice }

// State returns the current state and its reason.
func (c *Call) State() (State, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state, c.reason
}

// Stats returns a snapshot of the call's counters.
func (c *Call) Stats() Stats {
	c.smu.Lock()
	s := c.stats
	c.smu.Unlock()
	if c.rate != nil {
		s.SendEstimate, s.SendVideoRate, s.SendRung = c.rate.Total(), c.rate.Video(), c.rate.Rung()
		_, s.RemoteLoss = c.rate.Audio()
	}
	return s
}

// Done is closed once the call has ended and released its devices.
func (c *Call) Done() <-chan struct{} { return c.done }

// Hangup ends the call, tells the other side, and waits until the call has
// released everything. It is idempotent and safe from any goroutine except
// the OnRemoteVideo/OnRemoteAudio callbacks.
func (c *Call) Hangup() {
	if c.end(ReasonHungUp) {
		ctx, cancel := context.WithTimeout(context.Background(), signalTimeout)
		_ = c.cfg.Signaler.SendSignal(ctx, Signal{Kind: SignalHangup, CallID: c.cfg.CallID})
		cancel()
	}
	c.wait()
}

// Close is Hangup, for owners that close services.
func (c *Call) Close() error {
	c.Hangup()
	return nil
}

func (c *Call) wait() {
	<-c.done
	if !c.inOnState.Load() {
		<-c.evDone
	}
}

// fail ends a call that never got going and waits for it.
func (c *Call) fail() {
	c.end(ReasonFailed)
	c.wait()
}

// setState moves the call forward; it never moves back, and Ended is final.
func (c *Call) setState(s State, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended || s < c.state || (s == c.state && reason == c.reason) {
		return
	}
	c.state, c.reason = s, reason
	c.events <- stateEvent{s, reason} // never blocks: each state is entered about once
}

// end moves the call to Ended and starts the teardown; it reports whether
// this call did it. It never blocks, so it is safe inside Pion's callbacks.
func (c *Call) end(reason string) bool {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return false
	}
	c.ended = true
	c.state, c.reason = Ended, reason
	if c.lostTimer != nil {
		c.lostTimer.Stop()
	}
	c.events <- stateEvent{Ended, reason}
	close(c.events)
	c.mu.Unlock()
	go c.teardown()
	return true
}

// teardown closes the PeerConnection before the capture: closing a track
// still bound to a live PeerConnection can deadlock in mediadevices.
func (c *Call) teardown() {
	close(c.ccStop)
	c.ccDone.Wait()
	if c.pc != nil {
		_ = c.pc.Close()
	}
	c.media.Wait()
	c.closeDevices()
	c.preview.Wait()
	close(c.done)
}

func (c *Call) closeDevices() {
	if c.capture != nil {
		_ = c.capture.Close()
	}
	if c.speaker != nil {
		_ = c.speaker.Close()
	}
}

func (c *Call) deliverStates() {
	defer close(c.evDone)
	for ev := range c.events {
		if c.cfg.OnState != nil {
			c.inOnState.Store(true)
			c.cfg.OnState(ev.state, ev.reason)
			c.inOnState.Store(false)
		}
	}
}

func (c *Call) onConnectionState(s webrtc.PeerConnectionState) {
	switch s {
	case webrtc.PeerConnectionStateConnected:
		c.mu.Lock()
		if c.lostTimer != nil {
			c.lostTimer.Stop()
			c.lostTimer = nil
		}
		c.mu.Unlock()
		c.smu.Lock()
		if c.stats.ConnectedAt.IsZero() {
			c.stats.ConnectedAt = time.Now()
		}
		c.smu.Unlock()
		c.setState(Connected, ReasonConnected)
	case webrtc.PeerConnectionStateDisconnected:
		c.mu.Lock()
		if !c.ended && c.lostTimer == nil {
			c.lostTimer = time.AfterFunc(lostAfter, func() { c.end(ReasonConnectionLost) })
		}
		c.mu.Unlock()
	case webrtc.PeerConnectionStateFailed:
		c.mu.Lock()
		wasConnected := c.state == Connected
		c.mu.Unlock()
		if wasConnected {
			c.end(ReasonConnectionLost)
		} else {
			c.end(ReasonFailed)
		}
	}
}
