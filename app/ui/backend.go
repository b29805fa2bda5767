package ui

import (
	"context"
	"image"
	"io"
	"time"

	"hearth/app/core/archive"
	"hearth/app/core/calls"
	"hearth/app/core/event"

	"hearth/app/core"
	"hearth/contacts"
)

// Launcher opens or creates the profile before the main window exists.
// main.go fills it with app/core; view tests fill it with a fake.
type Launcher interface {
	// Exists reports whether the profile folder already holds a profile,
	// and whether opening it needs a passphrase.
	Exists() (exists, needsPassphrase bool, err error)
	// Create makes a new profile (first run). An empty passphrase is allowed.
	Create(name, passphrase string) (Backend, error)
	// Unlock opens an existing profile. A wrong passphrase returns an error
	// for which core.IsWrongPassphrase is true; the user may try again.
	Unlock(passphrase string) (Backend, error)
}

// Backend is what the windows need from the running messenger.
// *core.Messenger implements it.
type Backend interface {
	Events() <-chan event.Event
	MyName() string
	SetMyName(name string) error
	MyPeerID() string
	InviteCode() (string, error)
	// AddByInvite sends a contact request to the person whose invite code
	// this is, with an optional note.
	AddByInvite(code, note string) error
	// RequestNearby sends a contact request to a Hearth user found on the LAN.
	RequestNearby(peerID, note string) error
	// Pairing by a short spoken code: NewPairingCode shows a code and
	// waits (the outcome comes as event.PairingSucceeded/PairingFailed);
	// PairWithCode types someone else's and returns when paired or not.
	NewPairingCode() (string, error)
	CancelPairingCode()
	PairWithCode(ctx context.Context, code string) (name string, err error)
	Accept(peerID string) error
	Decline(peerID string) error
	Contacts() ([]core.ContactView, error)
	Nearby() []core.NearbyPeer
	History(peerID string, limit int) ([]contacts.Message, error)
	Send(peerID, text string) (contacts.Message, error)
	MarkRead(peerID string) error
	Presence() (contacts.Presence, string)
	SetPresence(p contacts.Presence, text string) error

	// Files. Transfers lists a conversation's transfers, oldest first.
	Transfers(peerID string) ([]contacts.Transfer, error)
	SendFile(peerID, path string) (contacts.Transfer, error)
	AcceptTransfer(id string) error
	DeclineTransfer(id string) error
	PauseTransfer(id string) error
	ResumeTransfer(id string) error
	CancelTransfer(id string) error
	DownloadDir() string
	SetDownloadDir(dir string) error
	Policy() core.PolicyView
	// SetAutoAcceptBelow sets the size under which files from contacts are
	// accepted without asking (0: never); core.ErrPolicyFixed when the
	// team's policy sets it.
	SetAutoAcceptBelow(n int64) error
	// Voice notes: record from the microphone (a synthetic tone where there
	// is none) and send as Ogg Opus; play one back.
	RecordVoiceNote(peerID string) (core.Recorder, error)
	PlayVoiceNote(transferID string) (stop func(), err error)
	// Store-and-forward: whether this profile carries sealed messages for
	// its contacts while they are offline (settings).
	CarryMessages() bool
	SetCarryMessages(on bool) error
	// Carrying reports how many sealed messages (and bytes) this profile
	// holds for its contacts.
	Carrying() (count int, bytes int64, err error)

	// Archive (archive.go): search across conversations, a message in its
	// context, export, retention and the "archived for compliance" flag.
	SearchArchive(query string, limit int) ([]archive.SearchHit, error)
	MessagesAround(peerID, messageID string, n int) ([]contacts.Message, error)
	Export(peerID string, f archive.ExportFormat, w io.Writer) error
	Retention(peerID string) int
	SetRetention(peerID string, days int) error
	Compliance(peerID string) bool
	SetCompliance(peerID string, on bool) error

	// Conversation features: replies, edit and delete for everyone (my
	// messages only), typing (throttled by the backend), read receipts,
	// per-conversation mute.
	Reply(peerID, replyTo, text string) (contacts.Message, error)
	Edit(messageID, text string) (contacts.Message, error)
	Delete(messageID string) error
	// Message returns one stored message (a reply's original).
	Message(id string) (contacts.Message, error)
	Typing(peerID string)
	ReadReceipts() bool
	SetReadReceipts(on bool) error
	SetMuted(peerID string, muted bool) error

	StartCall(peerID string) (calls.Call, error)
	AcceptCall(callID string) (calls.Call, error)
	DeclineCall(callID string) error
	Close() error

	// Contact management (contactmenu.go, verify.go): names, notes,
	// groups, block, remove, safety codes, who may send requests.
	Rename(peerID, name string) error
	SetNotes(peerID, notes string) error
	SetLabels(peerID string, labels []string) error
	Labels() []string
	Block(peerID string) error
	Unblock(peerID string) error
	Remove(peerID string) error
	SafetyCode(peerID string) (string, error)
	SafetyQR(peerID string) (string, error)
	CheckSafetyCode(peerID, text string) (bool, error)
	SetVerified(peerID string, verified bool) error
	RequestPolicy() core.RequestPolicy
	SetRequestPolicy(p core.RequestPolicy) error
	// Group conversations (their messages live under the conversation
	// contacts.GroupConversation(id); MarkRead takes that name too), and
	// one message to several contacts.
	Groups() ([]core.GroupView, error)
	CreateGroup(name string, peerIDs []string) (contacts.Group, error)
	RenameGroup(groupID, name string) error
	AddGroupMembers(groupID string, peerIDs []string) error
	RemoveGroupMember(groupID, peerID string) error
	LeaveGroup(groupID string) error
	SendGroup(groupID, text string) (contacts.Message, error)
	// GroupHistory is in display order: author's time, author, ID.
	GroupHistory(groupID string, limit int) ([]contacts.Message, error)
	SendToSeveral(peerIDs []string, text string) ([]contacts.Message, error)
	// Profile, auto-away and nearby visibility (the "presence" work).
	// Activity reports a key press or similar in the app; it is cheap.
	Activity()
	MyAvatar() image.Image // nil when I have none
	SetAvatar(path string) error
	ClearAvatar() error
	AwayAfter() time.Duration // 0: never
	SetAwayAfter(d time.Duration) error
	NearbyVisibility() (core.NearbyVisibility, time.Time)
	SetNearbyVisibility(v core.NearbyVisibility) error
	// PairNearby makes this device visible on the LAN for a few minutes
	// and returns when that ends; StopPairNearby ends it now.
	PairNearby() (time.Time, error)
	StopPairNearby()
}
