package ui

import (
	"image"
	"sync"

	"hearth/app/core/calls"
)

// fakeCalls is the fake CallsBackend: it records the calls started and
// answered; fields guarded by mu.
type fakeCalls struct {
	*fakeHub
	calls    []*fakeCall
	accCalls []string
	decCalls []string
}

func (f *fakeCalls) StartCall(peerID string) (calls.Call, error) {
	defer f.lock()()
	c := &fakeCall{id: "call-out", peer: peerID}
	f.calls = append(f.calls, c)
	return c, nil
}

func (f *fakeCalls) AcceptCall(callID string) (calls.Call, error) {
	defer f.lock()()
	f.accCalls = append(f.accCalls, callID)
	c := &fakeCall{id: callID, peer: "peer-bob"}
	f.calls = append(f.calls, c)
	return c, nil
}

func (f *fakeCalls) DeclineCall(callID string) error {
	defer f.lock()()
	f.decCalls = append(f.decCalls, callID)
	return nil
}

// fakeCall records what the call window does with it.
type fakeCall struct {
	id, peer string
	notice   string

	mu            sync.Mutex // guards the fields below
	remote, local func(image.Image)
	muted, camOff bool
	hungUp        int
}

func (c *fakeCall) ID() string          { return c.id }
func (c *fakeCall) PeerID() string      { return c.peer }
func (c *fakeCall) MediaNotice() string { return c.notice }

func (c *fakeCall) SetVideoSinks(remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remote, c.local = remote, local
}

func (c *fakeCall) SetMuted(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.muted = b
}

func (c *fakeCall) SetCameraOff(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.camOff = b
}

func (c *fakeCall) Hangup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hungUp++
}

func (c *fakeCall) sinks() (remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote, c.local
}
