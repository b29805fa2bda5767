package call

import (
	"context"
	"fmt"
	"time"

	"github.com/pion/webrtc/v4"
)

// setLocal sets the local description and waits for ICE gathering, so the
// SDP sent carries every candidate.
func (c *Call) setLocal(ctx context.Context, desc webrtc.SessionDescription) (string, error) {
	gathered := webrtc.GatheringCompletePromise(c.pc)
	if err := c.pc.SetLocalDescription(desc); err != nil {
		return "", fmt.Errorf("setting local description: %w", err)
	}
	t := time.NewTimer(gatherTimeout)
	defer t.Stop()
	select {
	case <-gathered:
	case <-t.C: // send what we have; slow STUN servers must not stall the call
	case <-ctx.Done():
		return "", fmt.Errorf("gathering candidates: %w", ctx.Err())
	}
	return c.pc.LocalDescription().SDP, nil
}

// HandleSignal applies a signal from the other side. Errors describe bad or
// unexpected signals; none of them panics or blocks for long.
func (c *Call) HandleSignal(s Signal) error {
	if s.CallID != c.cfg.CallID {
		return fmt.Errorf("signal for call %q: %w", s.CallID, ErrWrongCall)
	}
	c.mu.Lock()
	ended := c.ended
	c.mu.Unlock()
	if ended {
		if s.Kind == SignalHangup || s.Kind == SignalCandidate {
			return nil
		}
		return ErrCallEnded
	}
	switch s.Kind {
	case SignalAnswer:
		return c.handleAnswer(s.SDP)
	case SignalCandidate:
		return c.handleCandidate(s.Candidate)
	case SignalRinging:
		if c.caller {
			c.setState(Ringing, ReasonRinging)
		}
		return nil
	case SignalHangup:
		c.end(ReasonRemoteHungUp)
		return nil
	case SignalDecline:
		c.end(ReasonDeclined)
		return nil
	case SignalBusy:
		c.end(ReasonBusy)
		return nil
	default:
		return fmt.Errorf("%v during a call: %w", s.Kind, ErrUnexpectedSignal)
	}
}

func (c *Call) handleAnswer(sdp string) error {
	c.mu.Lock()
	if !c.caller || c.remoteSet {
		c.mu.Unlock()
		return fmt.Errorf("answer: %w", ErrUnexpectedSignal)
	}
	c.remoteSet = true
	c.mu.Unlock()
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
		c.end(ReasonFailed)
		return fmt.Errorf("setting answer: %w: %w", ErrBadSDP, err)
	}
	c.mu.Lock()
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	for _, cand := range pending {
		_ = c.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: cand})
	}
	c.setState(Connecting, ReasonConnecting)
	return nil
}

func (c *Call) handleCandidate(cand string) error {
	if cand == "" {
		return nil // end of candidates
	}
	c.mu.Lock()
	if !c.remoteSet {
		defer c.mu.Unlock()
		if len(c.pending) >= maxPendingCands {
			return fmt.Errorf("too many early candidates: %w", ErrUnexpectedSignal)
		}
		c.pending = append(c.pending, cand)
		return nil
	}
	c.mu.Unlock()
	if err := c.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: cand}); err != nil {
		return fmt.Errorf("adding candidate: %w", err)
	}
	return nil
}
