package area

import (
	"context"

	"hearth/app/core/nearby"
	"hearth/app/core/people"
)

// ContactsBackend is the contact list and everything done to its people:
// requests, invites, pairing, management, verification and who may send
// requests. The sidebar, the contact menu and the privacy settings use it.
type ContactsBackend interface {
	Contacts() ([]people.ContactView, error)
	Nearby() []nearby.Peer
	Accept(peerID string) error
	Decline(peerID string) error
	// RequestNearby sends a contact request to a Hearth user found on the LAN.
	RequestNearby(peerID, note string) error

	// Contact management (contactmenu.go): names, notes, groups, block,
	// remove.
	Rename(peerID, name string) error
	SetNotes(peerID, notes string) error
	SetLabels(peerID string, labels []string) error
	Labels() []string
	Block(peerID string) error
	Unblock(peerID string) error
	Remove(peerID string) error
	// Who may send me requests (app/ui/settings).
	RequestPolicy() people.RequestPolicy
	SetRequestPolicy(p people.RequestPolicy) error

	Inviter
	Pairer
	Verifier
}

// Inviter is what the add-contact dialog needs.
type Inviter interface {
	InviteCode() (string, error)
	// AddByInvite sends a contact request to the person whose invite code
	// this is, with an optional note.
	AddByInvite(code, note string) error
}

// Pairer is pairing by a short spoken code (app/ui/addcontact): NewPairingCode
// shows a code and waits (the outcome comes as event.PairingSucceeded or
// PairingFailed); PairWithCode types someone else's and returns when paired
// or not.
type Pairer interface {
	NewPairingCode() (string, error)
	CancelPairingCode()
	PairWithCode(ctx context.Context, code string) (name string, err error)
}

// Verifier is what the safety-code dialog needs (verify.go).
type Verifier interface {
	SafetyCode(peerID string) (string, error)
	SafetyQR(peerID string) (string, error)
	CheckSafetyCode(peerID, text string) (bool, error)
	SetVerified(peerID string, verified bool) error
}
