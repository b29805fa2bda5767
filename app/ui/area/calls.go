package area

import "hearth/app/core/calls"

// CallsBackend starts and answers video calls; the call itself is the
// calls.Call it returns (callwindow.go).
type CallsBackend interface {
	StartCall(peerID string) (calls.Call, error)
	AcceptCall(callID string) (calls.Call, error)
	DeclineCall(callID string) error
}
