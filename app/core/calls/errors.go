package calls

import "errors"

var (
	// ErrOffline: the contact cannot be reached right now.
	ErrOffline = errors.New("this contact is offline")
	// ErrInCall: one call at a time.
	ErrInCall = errors.New("you are already in a call")
	// ErrNoSuchCall: the call has ended or never existed.
	ErrNoSuchCall = errors.New("that call has ended")
	// ErrNoSuchDevice: not a camera, microphone or speaker setting.
	ErrNoSuchDevice = errors.New("no such kind of device")
)
