package transfers

import (
	"fmt"
	"strconv"

	"hearth/p2p/files"
)

// settingAutoAccept holds the user's auto-accept size, in bytes, as a
// decimal number.
const settingAutoAccept = "files.auto_accept_below"

// AutoAcceptBelow is the size under which a file offered by a contact is
// accepted without asking: the team policy's when it sets one, else the
// user's choice, else policy.DefaultAutoAccept. 0 asks for every file.
func (x *Transfers) AutoAcceptBelow() int64 {
	if x.policy.AutoAcceptFixed {
		return x.policy.AutoAcceptBelow
	}
	if b, err := x.d.Store.Setting(settingAutoAccept); err == nil && len(b) > 0 {
		if n, err := strconv.ParseInt(string(b), 10, 64); err == nil && n >= 0 {
			return n
		}
	}
	return x.policy.AutoAcceptBelow
}

// SetAutoAcceptBelow changes the size under which files from contacts are
// accepted without asking; 0 asks for every file. It fails with
// ErrPolicyFixed when the team policy sets the size.
func (x *Transfers) SetAutoAcceptBelow(n int64) error {
	if x.policy.AutoAcceptFixed {
		return ErrPolicyFixed
	}
	if n < 0 || n > files.MaxSize {
		return fmt.Errorf("the size must be between 0 and %d bytes", int64(files.MaxSize))
	}
	if err := x.d.Store.SetSetting(settingAutoAccept, []byte(strconv.FormatInt(n, 10))); err != nil {
		return fmt.Errorf("saving the auto-accept size: %w", err)
	}
	return nil
}
