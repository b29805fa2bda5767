package transfers

import "errors"

var (
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
