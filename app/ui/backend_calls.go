package ui

import "hearth/app/core"

// CallsBackend starts and answers video calls; the call itself is the
// core.Call it returns (callwindow.go).
type CallsBackend interface {
	StartCall(peerID string) (core.Call, error)
	AcceptCall(callID string) (core.Call, error)
	DeclineCall(callID string) error
}
