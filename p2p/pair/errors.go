package pair

import "errors"

var (
	// ErrNoCode: nothing was typed.
	ErrNoCode = errors.New("type the code the other person sees, like 7-orbit-maple-sugar")
	// ErrBadCode: what was typed is not a code; the wrapped text says why.
	ErrBadCode = errors.New("that is not a pairing code")
	// ErrWrongCode: the PAKE ran and the codes differ. The waiting side's
	// code is spent.
	ErrWrongCode = errors.New("the code did not match; the other person needs to make a new code, then try again")
	// ErrInterrupted: the pairing broke off before both sides confirmed
	// (connection lost, refused, timed out). The code is spent.
	ErrInterrupted = errors.New("the pairing was interrupted; the other person needs to make a new code, then try again")
	// ErrExpired: a code nobody used in time.
	ErrExpired = errors.New("the code expired unused; make a new one")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("pairing service closed")
)

// ErrNotWaiting: the node asked has no open code with that number (it may
// have expired, been cancelled or used).
var ErrNotWaiting = errors.New("nobody is waiting for this code any more; ask for a new code")
