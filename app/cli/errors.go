package cli

import "errors"

var (
	// ErrUsage: the command line is wrong; the usage text follows.
	ErrUsage = errors.New("usage")
	// ErrUnknownContact: no contact matches the name or peer ID given.
	ErrUnknownContact = errors.New("no contact matches")
	// ErrAmbiguousContact: several contacts match.
	ErrAmbiguousContact = errors.New("several contacts match; give more of the peer ID")
	// ErrNoProfile: the folder holds no profile.
	ErrNoProfile = errors.New("no profile in this folder: create one with `hearth create-profile --name NAME` or by starting Hearth")
	// ErrMissingMeta: the folder holds a database but not its profile.json.
	ErrMissingMeta = errors.New("profile.json is missing, but the message database hearth.db is here; " +
		"restore profile.json from a backup of this folder to open it (the database cannot be read without it), " +
		"or run `hearth create-profile --name NAME --force` to delete the database and start a new profile")
	// ErrInUse: the profile is open in another Hearth (a window, another
	// command still running, or a daemon that does not answer on its
	// control socket).
	ErrInUse = errors.New("this profile is open in another Hearth (a window, or a command still running); " +
		"close it, or run `hearth daemon` and use the commands against it")
	// ErrNeedPassphrase: the profile needs a passphrase and there is no
	// terminal to ask on.
	ErrNeedPassphrase = errors.New("this profile needs a passphrase: set HEARTH_PASSPHRASE or use --passphrase-file")
	// ErrRequestTooLarge: a control request over maxRequest.
	ErrRequestTooLarge = errors.New("request too large")
	// ErrDaemonStopped: the daemon ended (a crash) before it answered.
	ErrDaemonStopped = errors.New("the daemon stopped")
	// ErrDaemonRunning: a daemon already runs for this profile.
	ErrDaemonRunning = errors.New("a daemon is already running for this profile")
)
