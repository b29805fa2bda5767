package core

import (
	"errors"

	"hearth/app/profile"
)

var (
	// ErrNotContact: chat and calls are for accepted contacts only.
	ErrNotContact = errors.New("this person has not accepted your request yet")
	// ErrOffline: the contact cannot be reached right now.
	ErrOffline = errors.New("this contact is offline")
	// ErrInCall: one call at a time.
	ErrInCall = errors.New("you are already in a call")
	// ErrNoSuchCall: the call has ended or never existed.
	ErrNoSuchCall = errors.New("that call has ended")
	// ErrEmptyMessage: nothing to send.
	ErrEmptyMessage = errors.New("the message is empty")
	// ErrMessageTooLong: over the chat protocol's limit.
	ErrMessageTooLong = errors.New("the message is too long")
	// ErrNotAFile: only regular files can be sent.
	ErrNotAFile = errors.New("only files can be sent, not folders or devices")
	// ErrUnknownTransfer: no such transfer in this conversation.
	ErrUnknownTransfer = errors.New("unknown file transfer")
	// ErrTransferState: the transfer cannot do that now.
	ErrTransferState = errors.New("the transfer cannot do that in its current state")
	// ErrTransferPaused: the sender paused it.
	ErrTransferPaused = errors.New("the transfer is paused")
	// ErrPolicyFixed: the team's policy sets this; the user cannot change it.
	ErrPolicyFixed = errors.New("your team's policy sets this")
)

// IsWrongPassphrase reports whether err means the passphrase did not open
// the profile, so the user should be asked again.
func IsWrongPassphrase(err error) bool { return errors.Is(err, profile.ErrWrongPassphrase) }
