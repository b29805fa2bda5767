package groups

import "errors"

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
)
