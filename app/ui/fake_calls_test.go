package ui

import (
	"hearth/app/core/calls"
	"hearth/app/ui/uitest"
)

// fakeCalls is the fake CallsBackend: it records the calls started and
// answered; fields guarded by mu.
type fakeCalls struct {
	*fakeHub
	calls    []*uitest.Call
	accCalls []string
	decCalls []string
}

func (f *fakeCalls) StartCall(peerID string) (calls.Call, error) {
	defer f.lock()()
	c := &uitest.Call{CallID: "call-out", Peer: peerID}
	f.calls = append(f.calls, c)
	return c, nil
}

func (f *fakeCalls) AcceptCall(callID string) (calls.Call, error) {
	defer f.lock()()
	f.accCalls = append(f.accCalls, callID)
	c := &uitest.Call{CallID: callID, Peer: "peer-bob"}
	f.calls = append(f.calls, c)
	return c, nil
}

func (f *fakeCalls) DeclineCall(callID string) error {
	defer f.lock()()
	f.decCalls = append(f.decCalls, callID)
	return nil
}
