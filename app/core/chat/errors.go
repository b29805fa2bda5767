package chat

import "errors"

var (
	// ErrReactionTooLong: a reaction is one emoji.
	ErrReactionTooLong = errors.New("a reaction is one emoji")
	// ErrNotAuthor: only whoever wrote a message may edit or delete it.
	ErrNotAuthor = errors.New("only the author of a message can change it")
	// ErrMessageDeleted: a deleted message cannot be changed.
	ErrMessageDeleted = errors.New("this message was deleted")
)
