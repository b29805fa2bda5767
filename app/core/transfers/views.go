package transfers

import (
	"time"

	"hearth/contacts"
)

// Recorder is a voice note being recorded.
type Recorder interface {
	// Elapsed is how long it has been recording.
	Elapsed() time.Duration
	// Notice is non-empty when a synthetic tone stands in for a missing
	// microphone.
	Notice() string
	// Stop ends the recording and sends it as a voice note.
	Stop() (contacts.Transfer, error)
	// Cancel ends the recording and throws it away.
	Cancel()
}

// PolicyView is the team's file policy as the settings show it.
type PolicyView struct {
	// Installed is true when a policy file fixes these values; the
	// settings then show them read-only.
	Installed        bool
	Source           string // the policy file, when Installed
	TransfersOff     bool
	MaxSize          int64    // bytes; 0 means no limit
	AllowedKinds     []string // extensions or MIME types; empty means any
	BlockedKinds     []string
	AutoAcceptBelow  int64 // bytes; files from contacts below this are accepted without asking
	AutoAcceptFixed  bool  // the policy sets AutoAcceptBelow: the user cannot change it
	ScannerAvailable bool  // a ClamAV daemon answered, or one is configured
	// ScannerAddr is that daemon's address ("unix:/path", "tcp:host:port").
	ScannerAddr string
}
