package call

import (
	"context"
	"fmt"
)

// SignalKind says what a Signal carries.
type SignalKind int

// Signal kinds.
const (
	SignalOffer     SignalKind = iota + 1 // caller → callee: SDP offer
	SignalAnswer                          // callee → caller: SDP answer
	SignalCandidate                       // either way: one trickled ICE candidate
	SignalDecline                         // callee → caller: the user refused
	SignalHangup                          // either way: the call is over
	SignalBusy                            // callee → caller: already in a call
	SignalRinging                         // callee → caller: the offer arrived and rings
)

func (k SignalKind) String() string {
	switch k {
	case SignalOffer:
		return "offer"
	case SignalAnswer:
		return "answer"
	case SignalCandidate:
		return "candidate"
	case SignalDecline:
		return "decline"
	case SignalHangup:
		return "hangup"
	case SignalBusy:
		return "busy"
	case SignalRinging:
		return "ringing"
	}
	return fmt.Sprintf("SignalKind(%d)", int(k))
}

// Signal is one signalling message of a call.
type Signal struct {
	Kind      SignalKind
	CallID    string
	SDP       string // Offer and Answer
	Candidate string // Candidate: an ICE candidate line
}

// Signaler delivers signals to the other side of a call. app/core implements
// it over the p2p signalling protocol; tests implement it with channels.
type Signaler interface {
	SendSignal(ctx context.Context, s Signal) error
}

// Refuse tells a caller that its offer will not be answered, with Decline
// (the user said no) or Busy (already in a call), without creating a Call.
func Refuse(ctx context.Context, sig Signaler, callID string, kind SignalKind) error {
	if kind != SignalDecline && kind != SignalBusy {
		return fmt.Errorf("refusing with %v: %w", kind, ErrUnexpectedSignal)
	}
	if err := sig.SendSignal(ctx, Signal{Kind: kind, CallID: callID}); err != nil {
		return fmt.Errorf("sending %v: %w", kind, err)
	}
	return nil
}

// State is where a call is in its life.
type State int

// Call states.
const (
	New        State = iota // created, nothing sent yet
	Ringing                 // offer sent, waiting for the other side
	Connecting              // SDP exchanged, ICE and DTLS under way
	Connected               // media flowing
	Ended                   // over; see the reason given with it
)

func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Ringing:
		return "ringing"
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	case Ended:
		return "ended"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Reasons given with state changes, written for users.
const (
	ReasonCalling        = "Calling…"
	ReasonRinging        = "Ringing…"
	ReasonConnecting     = "Connecting…"
	ReasonConnected      = "Connected"
	ReasonHungUp         = "Hung up"
	ReasonRemoteHungUp   = "The other side hung up"
	ReasonDeclined       = "Declined"
	ReasonBusy           = "Busy"
	ReasonConnectionLost = "Connection lost"
	ReasonFailed         = "The call could not be set up"
)
