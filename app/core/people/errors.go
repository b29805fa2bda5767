package people

import (
	"errors"
	"fmt"

	"hearth/p2p/wire"
)

var (
	// ErrOwnInvite: the user pasted their own code.
	ErrOwnInvite = errors.New("this is your own invite code: send it to the other person, and paste theirs here")
	// ErrAlreadyContact: the person is already in the contact list.
	ErrAlreadyContact = errors.New("this person is already one of your contacts")
	// ErrNoteTooLong: the note sent with a request is over the limit.
	ErrNoteTooLong = fmt.Errorf("the note is too long (%d characters at most)", wire.MaxNoteLen)
	// ErrBlocked: the person is blocked.
	ErrBlocked = errors.New("you blocked this person")
)
