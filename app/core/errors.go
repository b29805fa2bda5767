package core

import (
	"errors"

	"hearth/app/profile"
)

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

// IsWrongPassphrase reports whether err means the passphrase did not open
// the profile, so the user should be asked again.
func IsWrongPassphrase(err error) bool { return errors.Is(err, profile.ErrWrongPassphrase) }

// Group conversations.
var (
	// ErrUnknownGroup: no such group on this profile.
	ErrUnknownGroup = errors.New("unknown group")
	// ErrNotGroupAdmin: only the group's creator can rename it or change
	// its members.
	ErrNotGroupAdmin = errors.New("only the person who created the group can change it")
	// ErrGroupFull: a group holds at most contacts.MaxGroupMembers people.
	ErrGroupFull = errors.New("a group can have at most 50 members")
	// ErrLeftGroup: I left the group or was removed from it.
	ErrLeftGroup = errors.New("you are no longer in this group")
	// ErrGroupNameTooLong: over the protocol's limit for names.
	ErrGroupNameTooLong = errors.New("the group name is too long")
	// ErrNoRecipients: "send to several" needs at least one contact.
	ErrNoRecipients = errors.New("choose at least one contact")
)
