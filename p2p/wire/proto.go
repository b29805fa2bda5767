package wire

import (
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// field is one decoded field, handed to a message's setter by walk.
type field struct {
	num protowire.Number
	typ protowire.Type
	raw []byte // the encoded value, without its tag
}

// walk calls set for every field of a protobuf message. Values are
// consumed (and unknown fields skipped) here, so set only interprets.
func walk(b []byte, set func(f field) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%w: tag: %v", ErrMalformed, protowire.ParseError(n))
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return fmt.Errorf("%w: field %d: %v", ErrMalformed, num, protowire.ParseError(m))
		}
		if err := set(field{num: num, typ: typ, raw: b[:m]}); err != nil {
			return err
		}
		b = b[m:]
	}
	return nil
}

func (f field) wrongType(want protowire.Type) error {
	return fmt.Errorf("%w: field %d: wire type %d, want %d", ErrMalformed, f.num, f.typ, want)
}

// str decodes a length-delimited field that must be UTF-8 text.
func (f field) str(dst *string) error {
	if f.typ != protowire.BytesType {
		return f.wrongType(protowire.BytesType)
	}
	v, n := protowire.ConsumeBytes(f.raw)
	if n < 0 {
		return fmt.Errorf("%w: field %d: %v", ErrMalformed, f.num, protowire.ParseError(n))
	}
	if !utf8.Valid(v) {
		return fmt.Errorf("%w: field %d: text is not valid UTF-8", ErrMalformed, f.num)
	}
	*dst = string(v)
	return nil
}

// strs appends one element of a repeated string field.
func (f field) strs(dst *[]string) error {
	var s string
	if err := f.str(&s); err != nil {
		return err
	}
	*dst = append(*dst, s)
	return nil
}

func (f field) varint() (uint64, error) {
	if f.typ != protowire.VarintType {
		return 0, f.wrongType(protowire.VarintType)
	}
	v, n := protowire.ConsumeVarint(f.raw)
	if n < 0 {
		return 0, fmt.Errorf("%w: field %d: %v", ErrMalformed, f.num, protowire.ParseError(n))
	}
	return v, nil
}

// uint32 follows protobuf: a wider varint is truncated to 32 bits.
func (f field) uint32(dst *uint32) error {
	v, err := f.varint()
	*dst = uint32(v)
	return err
}

func (f field) int64(dst *int64) error {
	v, err := f.varint()
	*dst = int64(v)
	return err
}

// Encoders: proto3 rules, zero scalars are left out; every element of a
// repeated field is written, empty or not.

func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendStrings(b []byte, num protowire.Number, ss []string) []byte {
	for _, s := range ss {
		b = protowire.AppendTag(b, num, protowire.BytesType)
		b = protowire.AppendString(b, s)
	}
	return b
}

func appendUvarint(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}
