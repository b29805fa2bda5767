package contacts

import "time"

// TransferState is where a file transfer stands.
type TransferState int

const (
	// Offered: waiting for the recipient to accept (outgoing) or for me to
	// accept (incoming).
	Offered TransferState = iota
	// Transferring: bytes are moving.
	Transferring
	// Paused: stopped by either side (or by a restart); it resumes from the
	// last verified chunk.
	Paused
	// Verifying: all bytes arrived; the SHA-256 and the virus scan run.
	Verifying
	// Done: complete and checked; incoming files may be opened.
	Done
	// Declined: the recipient said no, or the policy refused it.
	Declined
	// Cancelled: either side gave up.
	Cancelled
	// Failed: the hash did not match after retries, the disk is full, …
	Failed
	// Quarantined: the virus scanner found something; the file is kept
	// aside and cannot be opened from Hearth.
	Quarantined
)

func (s TransferState) String() string {
	switch s {
	case Offered:
		return "Offered"
	case Transferring:
		return "Transferring"
	case Paused:
		return "Paused"
	case Verifying:
		return "Verifying"
	case Done:
		return "Done"
	case Declined:
		return "Declined"
	case Cancelled:
		return "Cancelled"
	case Failed:
		return "Failed"
	case Quarantined:
		return "Quarantined"
	default:
		return "Unknown"
	}
}

// ScanResult is what the virus scanner said about a received file.
type ScanResult int

const (
	// NotScanned: no scanner was reachable (or the file is outgoing).
	NotScanned ScanResult = iota
	// Clean: the scanner found nothing.
	Clean
	// Infected: see Transfer.Signature.
	Infected
)

// Transfer is one file sent or received in a conversation.
type Transfer struct {
	ID           string // chosen by the sender, unique
	Conversation string // peer ID of the other person
	Outgoing     bool
	Name         string // file name as offered (base name only)
	Size         int64
	MIME         string // as sniffed by the sender
	SHA256       string // hex
	Path         string // outgoing: the file sent; incoming: where it was saved once Done
	Done         int64  // bytes verified so far
	State        TransferState
	Reason       string // why it was declined, cancelled, failed
	Scan         ScanResult
	Signature    string // the scanner's signature name when Infected
	VoiceNote    bool   // an Ogg Opus voice note
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Group files (Conversation is "g:<id>"). Sender: who sent an
	// incoming one. Recipients: for an outgoing one, each member it was
	// sent to and where their copy stands (Offered: not yet told;
	// Transferring: told, or fetching; then Done, Declined or Cancelled).
	Sender     string
	Recipients map[string]TransferState
}
