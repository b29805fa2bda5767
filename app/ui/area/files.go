package area

import (
	"hearth/app/core/transfers"
	"hearth/contacts"
)

// FilesBackend is file transfers and voice notes (the chat pane's rows and
// composer) and the file settings (app/ui/settings).
type FilesBackend interface {
	// Transfers lists a conversation's transfers, oldest first.
	Transfers(conversation string) ([]contacts.Transfer, error)
	SendFile(peerID, path string) (contacts.Transfer, error)
	AcceptTransfer(id string) error
	DeclineTransfer(id string) error
	PauseTransfer(id string) error
	ResumeTransfer(id string) error
	CancelTransfer(id string) error

	// Voice notes: record from the microphone (a synthetic tone where there
	// is none) and send as Ogg Opus; play one back.
	RecordVoiceNote(peerID string) (transfers.Recorder, error)
	PlayVoiceNote(transferID string) (stop func(), err error)

	DownloadDir() string
	SetDownloadDir(dir string) error
	// Policy is the team's file policy as it applies here.
	Policy() transfers.PolicyView
	// SetAutoAcceptBelow sets the size under which files from contacts are
	// accepted without asking (0: never); transfers.ErrPolicyFixed when the
	// team's policy sets it.
	SetAutoAcceptBelow(n int64) error
}
