package call

import "errors"

var (
	// ErrCallEnded is returned by operations on a call that has ended.
	ErrCallEnded = errors.New("call ended")
	// ErrWrongCall is returned for a signal carrying another call's ID.
	ErrWrongCall = errors.New("signal for another call")
	// ErrUnexpectedSignal is returned for a signal that makes no sense now
	// (an Answer to the callee, a second Offer …).
	ErrUnexpectedSignal = errors.New("unexpected signal")
	// ErrBadConfig is returned by Dial and Answer for an unusable Config.
	ErrBadConfig = errors.New("bad call config")
	// ErrBadSDP is returned for a session description that cannot be used.
	ErrBadSDP = errors.New("bad session description")
	// ErrBadState is returned for a state-channel message that cannot be read.
	ErrBadState = errors.New("bad call state message")
)
