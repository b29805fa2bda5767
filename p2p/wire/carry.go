package wire

import (
	"crypto/sha256"
	"fmt"
)

// Store-and-forward messages: sealed envelopes (see hearth/p2p/seal) and
// the carrier protocol (/hearth/carry/1.0.0). Field numbers, frozen by the
// fixtures in carry_test.go:
//
//	Envelope       1 version (uint32)  2 recipient (string, peer ID)  3 id (string)
//	               4 expires (int64, unix ms)  5 ephemeral (bytes, 32)  6 box (bytes)
//	SealedContent  1 sender (string, peer ID)  2 kind (uint32)  3 payload (bytes)
//	               4 signature (bytes, 64)
//	SealedAck      1 ids (repeated string)
//	CarriedFile    1 offer (FileOffer)  2 data (bytes)
//	CarryRequest   1 deposit (Envelope)  2 handover (Envelope); exactly one
//	CarryReply     1 id (string)  2 status (uint32)  3 reason (string)
//
// Only the Envelope's outside is readable by a carrier: whom it is for, its
// ID, when it expires, and its size. Everything else is inside box.

// Limits of sealed envelopes and the carrier protocol.
const (
	// MaxCarriedFile is the largest file that travels through carriers:
	// a photo or a voice note, not a film.
	MaxCarriedFile = 256 << 10
	// MaxSealedPayload bounds what one envelope carries (a chat message
	// with its ID, a list of acknowledged IDs, or a carried file with its
	// offer).
	MaxSealedPayload = MaxCarriedFile + 4<<10
	// MaxEnvelopeBox bounds the ciphertext: the payload, the sender's peer
	// ID, the signature, their tags and the AEAD tag.
	MaxEnvelopeBox = MaxSealedPayload + 1024
	// MaxEnvelope bounds an encoded Envelope.
	MaxEnvelope = MaxEnvelopeBox + 1024
	// MaxCarryFrame bounds a CarryRequest or CarryReply frame.
	MaxCarryFrame = MaxEnvelope + 16
	// MaxPeerIDLen bounds a peer ID in its text form.
	MaxPeerIDLen = 128
	// SealKeySize is the size of an X25519 public key.
	SealKeySize = 32
	// SignatureSize is the size of an Ed25519 signature.
	SignatureSize = 64
	// MaxSealedAcks bounds the IDs one SealedAck holds (the payload
	// limit would allow thousands; each costs the recipient a lookup).
	MaxSealedAcks = 100
)

// Kinds of sealed content.
const (
	SealedChat uint32 = 1 // payload: a ChatMessage
	SealedAcks uint32 = 2 // payload: a SealedAck
	// SealedGroup: a GroupFrame of kind GroupKindMessage, to one member;
	// the sealed content's sender is its author.
	SealedGroup uint32 = 3
	// SealedFile: a CarriedFile, a small file offered one to one or into
	// a group; the sealed content's sender is who offered it.
	SealedFile uint32 = 4
	// SealedRecall: a SealedAck listing transfers the sender cancelled,
	// so that their carried copies are not finished.
	SealedRecall uint32 = 5
)

// CarryReply statuses.
const (
	// CarryOK: deposit — the carrier stored it durably (or already held
	// it); hand-over — the recipient took it (stored it, or found it
	// unusable and dropped it). Either way the sender of the frame is done
	// with the envelope.
	CarryOK uint32 = 1
	// CarryOff: the carrier does not carry messages.
	CarryOff uint32 = 2
	// CarryUnknown: the recipient is not one of the carrier's contacts.
	CarryUnknown uint32 = 3
	// CarryFull: a quota (for this depositor, or in total) is reached.
	CarryFull uint32 = 4
	// CarryRejected: expired, or otherwise unacceptable.
	CarryRejected uint32 = 5
)

// Envelope is a message sealed to its recipient. Box is the ciphertext; the
// other fields are what a carrier needs and are authenticated by the box.
type Envelope struct {
	Version   uint32
	Recipient string // peer ID
	ID        string
	Expires   int64 // unix milliseconds
	Ephemeral []byte
	Box       []byte
}

// Marshal encodes e.
func (e Envelope) Marshal() []byte {
	b := make([]byte, 0, len(e.Recipient)+len(e.ID)+len(e.Ephemeral)+len(e.Box)+32)
	b = appendUvarint(b, 1, uint64(e.Version))
	b = appendString(b, 2, e.Recipient)
	b = appendString(b, 3, e.ID)
	b = appendUvarint(b, 4, uint64(e.Expires))
	b = appendBytes(b, 5, e.Ephemeral)
	b = appendBytes(b, 6, e.Box)
	return b
}

// Header encodes e without its box: the bytes the box authenticates.
func (e Envelope) Header() []byte {
	e.Box = nil
	return e.Marshal()
}

// Unmarshal decodes b into e, replacing its contents.
func (e *Envelope) Unmarshal(b []byte) error {
	*e = Envelope{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&e.Version)
		case 2:
			return f.str(&e.Recipient)
		case 3:
			return f.str(&e.ID)
		case 4:
			return f.int64(&e.Expires)
		case 5:
			return f.rawBytes(&e.Ephemeral)
		case 6:
			return f.rawBytes(&e.Box)
		}
		return nil
	})
}

// Validate checks what a carrier requires: a recipient, an ID, an expiry,
// a key of the right size and a box within its limit. Whether the box
// opens is for the recipient alone to find out.
func (e Envelope) Validate() error {
	if e.Recipient == "" || len(e.Recipient) > MaxPeerIDLen {
		return fmt.Errorf("%w: recipient of %d bytes", ErrInvalid, len(e.Recipient))
	}
	if err := checkID(e.ID); err != nil {
		return err
	}
	if e.Expires <= 0 {
		return fmt.Errorf("%w: no expiry", ErrInvalid)
	}
	if len(e.Ephemeral) != SealKeySize {
		return fmt.Errorf("%w: ephemeral key is %d bytes, want %d", ErrInvalid, len(e.Ephemeral), SealKeySize)
	}
	if len(e.Box) == 0 {
		return fmt.Errorf("%w: empty box", ErrInvalid)
	}
	if len(e.Box) > MaxEnvelopeBox {
		return fmt.Errorf("%w: box is %d bytes, limit %d", ErrTooLarge, len(e.Box), MaxEnvelopeBox)
	}
	return nil
}

// SealedContent is what an envelope's box holds once opened.
type SealedContent struct {
	Sender    string // peer ID
	Kind      uint32
	Payload   []byte
	Signature []byte
}

// Marshal encodes c.
func (c SealedContent) Marshal() []byte {
	b := make([]byte, 0, len(c.Sender)+len(c.Payload)+len(c.Signature)+16)
	b = appendString(b, 1, c.Sender)
	b = appendUvarint(b, 2, uint64(c.Kind))
	b = appendBytes(b, 3, c.Payload)
	b = appendBytes(b, 4, c.Signature)
	return b
}

// Unmarshal decodes b into c, replacing its contents.
func (c *SealedContent) Unmarshal(b []byte) error {
	*c = SealedContent{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&c.Sender)
		case 2:
			return f.uint32(&c.Kind)
		case 3:
			return f.rawBytes(&c.Payload)
		case 4:
			return f.rawBytes(&c.Signature)
		}
		return nil
	})
}

// Validate checks the sizes; the signature is checked by hearth/p2p/seal.
func (c SealedContent) Validate() error {
	if c.Sender == "" || len(c.Sender) > MaxPeerIDLen {
		return fmt.Errorf("%w: sender of %d bytes", ErrInvalid, len(c.Sender))
	}
	if len(c.Payload) > MaxSealedPayload {
		return fmt.Errorf("%w: payload is %d bytes, limit %d", ErrTooLarge, len(c.Payload), MaxSealedPayload)
	}
	if len(c.Signature) != SignatureSize {
		return fmt.Errorf("%w: signature is %d bytes, want %d", ErrInvalid, len(c.Signature), SignatureSize)
	}
	return nil
}

// SealedAck acknowledges, end to end, chat messages that reached their
// recipient through a carrier.
type SealedAck struct {
	IDs []string
}

// Marshal encodes a.
func (a SealedAck) Marshal() []byte {
	n := 0
	for _, id := range a.IDs {
		n += len(id) + 3
	}
	return appendStrings(make([]byte, 0, n), 1, a.IDs)
}

// Unmarshal decodes b into a, replacing its contents.
func (a *SealedAck) Unmarshal(b []byte) error {
	*a = SealedAck{}
	return walk(b, func(f field) error {
		if f.num == 1 {
			return f.strs(&a.IDs)
		}
		return nil
	})
}

// Validate checks every ID.
func (a SealedAck) Validate() error {
	if len(a.IDs) == 0 {
		return fmt.Errorf("%w: no ids", ErrInvalid)
	}
	if len(a.IDs) > MaxSealedAcks {
		return fmt.Errorf("%w: %d ids, limit %d", ErrTooLarge, len(a.IDs), MaxSealedAcks)
	}
	for _, id := range a.IDs {
		if err := checkID(id); err != nil {
			return err
		}
	}
	return nil
}

// CarriedFile is a small file with its offer (one to one, or into a
// group), sealed to its recipient so that it arrives while the sender is
// away. The offer is the one a direct
// transfer makes (same transfer ID), so either way the recipient keeps one
// transfer.
type CarriedFile struct {
	Offer FileOffer
	Data  []byte
}

// Marshal encodes c.
func (c CarriedFile) Marshal() []byte {
	offer := c.Offer.Marshal()
	b := make([]byte, 0, len(offer)+len(c.Data)+16)
	b = appendMessage(b, 1, offer)
	return appendBytes(b, 2, c.Data)
}

// Unmarshal decodes b into c, replacing its contents.
func (c *CarriedFile) Unmarshal(b []byte) error {
	*c = CarriedFile{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			v, err := f.bytes()
			if err != nil {
				return err
			}
			return c.Offer.Unmarshal(v)
		case 2:
			return f.rawBytes(&c.Data)
		}
		return nil
	})
}

// Validate checks the offer (one to one, or into a group) and that the
// data is the whole offered file: its size, at most MaxCarriedFile, and its
// SHA-256.
func (c CarriedFile) Validate() error {
	if err := c.Offer.Validate(); err != nil {
		return err
	}
	if c.Offer.Size > MaxCarriedFile || len(c.Data) > MaxCarriedFile {
		return fmt.Errorf("%w: carried file of %d bytes, limit %d", ErrTooLarge, max(c.Offer.Size, int64(len(c.Data))), MaxCarriedFile)
	}
	if int64(len(c.Data)) != c.Offer.Size {
		return fmt.Errorf("%w: %d bytes of a %d-byte file", ErrInvalid, len(c.Data), c.Offer.Size)
	}
	if sha256.Sum256(c.Data) != c.Offer.SHA256 {
		return fmt.Errorf("%w: the data does not match the offered SHA-256", ErrInvalid)
	}
	return nil
}

// CarryRequest is one frame from the side that opened a carry stream:
// exactly one field is set.
type CarryRequest struct {
	Deposit  *Envelope // please keep this for its recipient
	Handover *Envelope // this was kept for you
}

// Marshal encodes r.
func (r CarryRequest) Marshal() []byte {
	var b []byte
	if r.Deposit != nil {
		b = appendMessage(b, 1, r.Deposit.Marshal())
	}
	if r.Handover != nil {
		b = appendMessage(b, 2, r.Handover.Marshal())
	}
	return b
}

// Unmarshal decodes b into r, replacing its contents. When a field appears
// more than once the last one wins.
func (r *CarryRequest) Unmarshal(b []byte) error {
	*r = CarryRequest{}
	return walk(b, func(f field) error {
		var dst **Envelope
		switch f.num {
		case 1:
			dst = &r.Deposit
		case 2:
			dst = &r.Handover
		default:
			return nil
		}
		v, err := f.bytes()
		if err != nil {
			return err
		}
		*dst = new(Envelope)
		return (*dst).Unmarshal(v)
	})
}

// Validate checks that exactly one field is set and validates it.
func (r CarryRequest) Validate() error {
	switch {
	case r.Deposit != nil && r.Handover == nil:
		return r.Deposit.Validate()
	case r.Handover != nil && r.Deposit == nil:
		return r.Handover.Validate()
	}
	return fmt.Errorf("%w: a carry request needs exactly one of deposit and handover", ErrInvalid)
}

// CarryReply answers one CarryRequest, in order.
type CarryReply struct {
	ID     string // the envelope's
	Status uint32
	Reason string
}

// Marshal encodes r.
func (r CarryReply) Marshal() []byte {
	b := make([]byte, 0, len(r.ID)+len(r.Reason)+8)
	b = appendString(b, 1, r.ID)
	b = appendUvarint(b, 2, uint64(r.Status))
	b = appendString(b, 3, r.Reason)
	return b
}

// Unmarshal decodes b into r, replacing its contents.
func (r *CarryReply) Unmarshal(b []byte) error {
	*r = CarryReply{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&r.ID)
		case 2:
			return f.uint32(&r.Status)
		case 3:
			return f.str(&r.Reason)
		}
		return nil
	})
}

// Validate checks the ID and the reason's length. Unknown statuses are
// allowed (a newer carrier may have more); senders treat them as refusals.
func (r CarryReply) Validate() error {
	if err := checkID(r.ID); err != nil {
		return err
	}
	if len(r.Reason) > MaxReasonLen {
		return fmt.Errorf("%w: reason is %d bytes, limit %d", ErrTooLarge, len(r.Reason), MaxReasonLen)
	}
	return nil
}
