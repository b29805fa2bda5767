package wire

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Limits of the pairing messages (/hearth/pair/1.0.0).
const (
	// PairPointLen is the length of a PAKE message (a ristretto255 element).
	PairPointLen = 32
	// PairTagLen is the length of a key-confirmation tag.
	PairTagLen = 32
	// PairSIDLen is the length of the session ID the initiator picks.
	PairSIDLen = 16
	// MaxNameplate is the largest nameplate (the number in a short code).
	MaxNameplate = 999
)

// Pairing results, sent by the responder last.
const (
	PairPaired uint32 = 1 // both sides are contacts now
)

// PairHello opens a pairing: the nameplate of the code the initiator typed,
// a fresh session ID and its PAKE message.
type PairHello struct {
	Nameplate uint32
	SID       []byte
	Point     []byte
}

// Marshal encodes h.
func (h PairHello) Marshal() []byte {
	b := make([]byte, 0, 8+len(h.SID)+len(h.Point)+4)
	b = appendUvarint(b, 1, uint64(h.Nameplate))
	b = appendBytes(b, 2, h.SID)
	b = appendBytes(b, 3, h.Point)
	return b
}

// Unmarshal decodes b into h, replacing its contents.
func (h *PairHello) Unmarshal(b []byte) error {
	*h = PairHello{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&h.Nameplate)
		case 2:
			return f.rawBytes(&h.SID)
		case 3:
			return f.rawBytes(&h.Point)
		}
		return nil
	})
}

// Validate checks the nameplate range and the exact lengths.
func (h PairHello) Validate() error {
	if h.Nameplate < 1 || h.Nameplate > MaxNameplate {
		return fmt.Errorf("%w: nameplate %d", ErrInvalid, h.Nameplate)
	}
	if len(h.SID) != PairSIDLen || len(h.Point) != PairPointLen {
		return fmt.Errorf("%w: session ID of %d bytes, point of %d", ErrInvalid, len(h.SID), len(h.Point))
	}
	return nil
}

// PairReply is the responder's PAKE message, its display name and its
// confirmation tag over that name.
type PairReply struct {
	Point   []byte
	Name    string
	Confirm []byte
}

// Marshal encodes r.
func (r PairReply) Marshal() []byte {
	b := make([]byte, 0, len(r.Point)+len(r.Name)+len(r.Confirm)+8)
	b = appendBytes(b, 1, r.Point)
	b = appendString(b, 2, r.Name)
	b = appendBytes(b, 3, r.Confirm)
	return b
}

// Unmarshal decodes b into r, replacing its contents.
func (r *PairReply) Unmarshal(b []byte) error {
	*r = PairReply{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.rawBytes(&r.Point)
		case 2:
			return f.str(&r.Name)
		case 3:
			return f.rawBytes(&r.Confirm)
		}
		return nil
	})
}

// Validate checks the lengths.
func (r PairReply) Validate() error {
	if len(r.Point) != PairPointLen || len(r.Confirm) != PairTagLen {
		return fmt.Errorf("%w: point of %d bytes, tag of %d", ErrInvalid, len(r.Point), len(r.Confirm))
	}
	if len(r.Name) > MaxNameLen {
		return fmt.Errorf("%w: name is %d bytes, limit %d", ErrTooLarge, len(r.Name), MaxNameLen)
	}
	return nil
}

// PairConfirm is the initiator's display name and confirmation tag. An
// empty Confirm says the responder's tag did not verify: the codes differ.
type PairConfirm struct {
	Name    string
	Confirm []byte
}

// Marshal encodes c.
func (c PairConfirm) Marshal() []byte {
	b := make([]byte, 0, len(c.Name)+len(c.Confirm)+6)
	b = appendString(b, 1, c.Name)
	b = appendBytes(b, 2, c.Confirm)
	return b
}

// Unmarshal decodes b into c, replacing its contents.
func (c *PairConfirm) Unmarshal(b []byte) error {
	*c = PairConfirm{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&c.Name)
		case 2:
			return f.rawBytes(&c.Confirm)
		}
		return nil
	})
}

// Validate checks the lengths: a tag is PairTagLen bytes or absent.
func (c PairConfirm) Validate() error {
	if len(c.Confirm) != 0 && len(c.Confirm) != PairTagLen {
		return fmt.Errorf("%w: tag of %d bytes", ErrInvalid, len(c.Confirm))
	}
	if len(c.Name) > MaxNameLen {
		return fmt.Errorf("%w: name is %d bytes, limit %d", ErrTooLarge, len(c.Name), MaxNameLen)
	}
	return nil
}

// PairResult ends a pairing that the responder accepted.
type PairResult struct {
	Status uint32
}

// Marshal encodes r.
func (r PairResult) Marshal() []byte { return appendUvarint(nil, 1, uint64(r.Status)) }

// Unmarshal decodes b into r, replacing its contents.
func (r *PairResult) Unmarshal(b []byte) error {
	*r = PairResult{}
	return walk(b, func(f field) error {
		if f.num == 1 {
			return f.uint32(&r.Status)
		}
		return nil
	})
}

// rawBytes decodes a length-delimited field as bytes (no UTF-8 rule). The
// result is a copy: the frame's buffer is not kept alive by a message.
func (f field) rawBytes(dst *[]byte) error {
	if f.typ != protowire.BytesType {
		return f.wrongType(protowire.BytesType)
	}
	v, n := protowire.ConsumeBytes(f.raw)
	if n < 0 {
		return fmt.Errorf("%w: field %d: %v", ErrMalformed, f.num, protowire.ParseError(n))
	}
	*dst = nil
	if len(v) > 0 {
		*dst = append([]byte{}, v...)
	}
	return nil
}

// appendBytes writes a bytes field; empty is left out, as for strings.
func appendBytes(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}
