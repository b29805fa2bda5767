package wire

import (
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Group limits a receiver enforces through Validate.
const (
	// MaxGroupMembers bounds a group's member list (contacts.MaxGroupMembers).
	MaxGroupMembers = 50
	// MaxGroupAddrs bounds the addresses listed for one member.
	MaxGroupAddrs = 8
	// MaxAddrLen bounds one multiaddr string.
	MaxAddrLen = 256
	// GroupIDLen is the length of a group ID: hex of 16 bytes.
	GroupIDLen = 32
	// GroupNonceLen is the length of the nonce a group ID is derived from.
	GroupNonceLen = 16
	// MaxGroupState bounds an encoded group state (50 members with 8
	// addresses each fit easily).
	MaxGroupState = 128 << 10
	// MaxSignature bounds a signature (Ed25519 signatures are 64 bytes).
	MaxSignature = 512
)

// GroupMember is one member in a GroupState.
type GroupMember struct {
	PeerID string
	Name   string
	Addrs  []string
}

// Marshal encodes m.
func (m GroupMember) Marshal() []byte {
	b := make([]byte, 0, len(m.PeerID)+len(m.Name)+8)
	b = appendString(b, 1, m.PeerID)
	b = appendString(b, 2, m.Name)
	b = appendStrings(b, 3, m.Addrs)
	return b
}

// Unmarshal decodes b into m, replacing its contents.
func (m *GroupMember) Unmarshal(b []byte) error {
	*m = GroupMember{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&m.PeerID)
		case 2:
			return f.str(&m.Name)
		case 3:
			return f.strs(&m.Addrs)
		}
		return nil
	})
}

// GroupState is what a group's creator signs: the whole membership at one
// version. ID is derived from Creator and Nonce (see GroupStateID), so no
// one else can sign a state for the same group.
type GroupState struct {
	ID        string
	Name      string
	Creator   string // peer ID
	Nonce     []byte
	Version   uint64
	Members   []GroupMember
	CreatedAt int64 // unix milliseconds, creator's clock
}

// Marshal encodes s. Members are written in order; the encoding is what is
// signed, so it must be stable (it is: fields in number order, no maps).
func (s GroupState) Marshal() []byte {
	b := make([]byte, 0, 256)
	b = appendString(b, 1, s.ID)
	b = appendString(b, 2, s.Name)
	b = appendString(b, 3, s.Creator)
	if len(s.Nonce) > 0 {
		b = protowire.AppendTag(b, 4, protowire.BytesType)
		b = protowire.AppendBytes(b, s.Nonce)
	}
	b = appendUvarint(b, 5, s.Version)
	for _, m := range s.Members {
		b = appendMessage(b, 6, m.Marshal())
	}
	b = appendUvarint(b, 7, uint64(s.CreatedAt))
	return b
}

// Unmarshal decodes b into s, replacing its contents.
func (s *GroupState) Unmarshal(b []byte) error {
	*s = GroupState{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&s.ID)
		case 2:
			return f.str(&s.Name)
		case 3:
			return f.str(&s.Creator)
		case 4:
			v, err := f.bytes()
			if err != nil {
				return err
			}
			s.Nonce = cloneBytes(v)
		case 5:
			v, err := f.varint()
			s.Version = v
			return err
		case 6:
			if len(s.Members) >= MaxGroupMembers+1 {
				// Stop collecting early: Validate refuses it anyway.
				return fmt.Errorf("%w: more than %d members", ErrTooLarge, MaxGroupMembers)
			}
			v, err := f.bytes()
			if err != nil {
				return err
			}
			var m GroupMember
			if err := m.Unmarshal(v); err != nil {
				return err
			}
			s.Members = append(s.Members, m)
		case 7:
			return f.int64(&s.CreatedAt)
		}
		return nil
	})
}

// Validate checks the limits and the shape of a state: an ID, a creator, a
// version, at most MaxGroupMembers distinct members, bounded names and
// addresses. It does not check the ID's derivation or a signature
// (p2p/group does).
func (s GroupState) Validate() error {
	if len(s.ID) != GroupIDLen {
		return fmt.Errorf("%w: group ID is %d bytes, want %d", ErrInvalid, len(s.ID), GroupIDLen)
	}
	if _, err := hex.DecodeString(s.ID); err != nil {
		return fmt.Errorf("%w: group ID is not hex", ErrInvalid)
	}
	if len(s.Name) > MaxNameLen {
		return fmt.Errorf("%w: group name is %d bytes, limit %d", ErrTooLarge, len(s.Name), MaxNameLen)
	}
	if err := checkID(s.Creator); err != nil {
		return fmt.Errorf("creator: %w", err)
	}
	if len(s.Nonce) != GroupNonceLen {
		return fmt.Errorf("%w: nonce is %d bytes, want %d", ErrInvalid, len(s.Nonce), GroupNonceLen)
	}
	if s.Version == 0 {
		return fmt.Errorf("%w: version 0", ErrInvalid)
	}
	if len(s.Members) > MaxGroupMembers {
		return fmt.Errorf("%w: %d members, limit %d", ErrTooLarge, len(s.Members), MaxGroupMembers)
	}
	seen := make(map[string]bool, len(s.Members))
	for _, m := range s.Members {
		if err := checkID(m.PeerID); err != nil {
			return fmt.Errorf("member: %w", err)
		}
		if seen[m.PeerID] {
			return fmt.Errorf("%w: member %s listed twice", ErrInvalid, m.PeerID)
		}
		seen[m.PeerID] = true
		if len(m.Name) > MaxNameLen {
			return fmt.Errorf("%w: member name is %d bytes, limit %d", ErrTooLarge, len(m.Name), MaxNameLen)
		}
		if len(m.Addrs) > MaxGroupAddrs {
			return fmt.Errorf("%w: %d addresses for a member, limit %d", ErrTooLarge, len(m.Addrs), MaxGroupAddrs)
		}
		for _, a := range m.Addrs {
			if len(a) > MaxAddrLen {
				return fmt.Errorf("%w: address is %d bytes, limit %d", ErrTooLarge, len(a), MaxAddrLen)
			}
		}
	}
	return nil
}

// Group frame kinds.
const (
	GroupKindState   uint32 = 1 // State and Signature carry a signed GroupState
	GroupKindMessage uint32 = 2 // a message to the group: GroupID, ID, Body, SentAt
	GroupKindLeave   uint32 = 3 // the sender leaves GroupID (sent to its creator)
)

// GroupFrame is one frame on a group stream. Its author is the stream's
// remote peer (the connection authenticates it), so no author field is
// needed or trusted.
type GroupFrame struct {
	Kind      uint32
	ID        string // what the receiver acknowledges; a message ID for messages
	GroupID   string
	Body      string
	SentAt    int64  // unix milliseconds, sender's clock
	State     []byte // an encoded GroupState, for GroupKindState
	Signature []byte // the creator's signature over State
}

// Marshal encodes f.
func (f GroupFrame) Marshal() []byte {
	b := make([]byte, 0, len(f.ID)+len(f.GroupID)+len(f.Body)+len(f.State)+len(f.Signature)+32)
	b = appendUvarint(b, 1, uint64(f.Kind))
	b = appendString(b, 2, f.ID)
	b = appendString(b, 3, f.GroupID)
	b = appendString(b, 4, f.Body)
	b = appendUvarint(b, 5, uint64(f.SentAt))
	if len(f.State) > 0 {
		b = protowire.AppendTag(b, 6, protowire.BytesType)
		b = protowire.AppendBytes(b, f.State)
	}
	if len(f.Signature) > 0 {
		b = protowire.AppendTag(b, 7, protowire.BytesType)
		b = protowire.AppendBytes(b, f.Signature)
	}
	return b
}

// Unmarshal decodes b into f, replacing its contents.
func (f *GroupFrame) Unmarshal(b []byte) error {
	*f = GroupFrame{}
	return walk(b, func(fl field) error {
		switch fl.num {
		case 1:
			return fl.uint32(&f.Kind)
		case 2:
			return fl.str(&f.ID)
		case 3:
			return fl.str(&f.GroupID)
		case 4:
			return fl.str(&f.Body)
		case 5:
			return fl.int64(&f.SentAt)
		case 6:
			v, err := fl.bytes()
			if err != nil {
				return err
			}
			f.State = cloneBytes(v)
		case 7:
			v, err := fl.bytes()
			if err != nil {
				return err
			}
			f.Signature = cloneBytes(v)
		}
		return nil
	})
}

// Validate checks what a receiver requires of a frame: a known kind, an
// ID, and the fields of its kind within their limits.
func (f GroupFrame) Validate() error {
	if err := checkID(f.ID); err != nil {
		return err
	}
	switch f.Kind {
	case GroupKindState:
		if len(f.State) == 0 || len(f.State) > MaxGroupState {
			return fmt.Errorf("%w: group state is %d bytes, limit %d", ErrInvalid, len(f.State), MaxGroupState)
		}
		if len(f.Signature) == 0 || len(f.Signature) > MaxSignature {
			return fmt.Errorf("%w: signature is %d bytes, limit %d", ErrInvalid, len(f.Signature), MaxSignature)
		}
		return nil
	case GroupKindMessage, GroupKindLeave:
		if len(f.GroupID) != GroupIDLen {
			return fmt.Errorf("%w: group ID is %d bytes, want %d", ErrInvalid, len(f.GroupID), GroupIDLen)
		}
		if len(f.Body) > MaxChatBody {
			return fmt.Errorf("%w: body is %d bytes, limit %d", ErrTooLarge, len(f.Body), MaxChatBody)
		}
		return nil
	}
	return fmt.Errorf("%w: group frame kind %d", ErrInvalid, f.Kind)
}

// GroupAck answers one GroupFrame, in order: stored (or applied), or
// Refused (the receiver will never take it: the sender is not a member,
// the group is unknown or left, a signature is wrong). A refused frame
// must not be sent again.
type GroupAck struct {
	ID      string
	Refused bool
}

// Marshal encodes a.
func (a GroupAck) Marshal() []byte {
	b := appendString(make([]byte, 0, len(a.ID)+5), 1, a.ID)
	if a.Refused {
		b = appendUvarint(b, 2, 1)
	}
	return b
}

// Unmarshal decodes b into a, replacing its contents.
func (a *GroupAck) Unmarshal(b []byte) error {
	*a = GroupAck{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&a.ID)
		case 2:
			v, err := f.varint()
			a.Refused = v != 0
			return err
		}
		return nil
	})
}

// cloneBytes copies a decoded bytes field so it does not alias the frame;
// an empty field decodes as nil, as it encodes (proto3: left out).
func cloneBytes(v []byte) []byte {
	if len(v) == 0 {
		return nil
	}
	return append([]byte{}, v...)
}
