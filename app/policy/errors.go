package policy

import "errors"

// The errors Check returns wrap one of these; their full text (Error) is
// written for the user and says which limit or kind was involved.
var (
	// ErrTransfersOff: the policy turns file transfers off.
	ErrTransfersOff = errors.New("File transfers are turned off by your team's policy")

	// ErrTooLarge: the file is above the policy's maximum size.
	ErrTooLarge = errors.New("This file is larger than your team's policy allows")

	// ErrKindNotAllowed: the file's kind is blocked, or not among the
	// allowed kinds.
	ErrKindNotAllowed = errors.New("This kind of file is not allowed by your team's policy")

	// ErrInvalidSize: a negative size (only a broken or hostile peer offers
	// one).
	ErrInvalidSize = errors.New("The file's size is not valid")

	// ErrMalformed: a policy file exists but cannot be used. Load's error
	// wraps it and names the file, the line and the field.
	ErrMalformed = errors.New("the team's file policy cannot be read")
)

// refusal is an error for the user that wraps one of the sentinels above.
type refusal struct {
	sentinel error
	text     string
}

func (r *refusal) Error() string { return r.text }
func (r *refusal) Unwrap() error { return r.sentinel }
