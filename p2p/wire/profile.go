package wire

import (
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

const (
	// MaxAvatar bounds the avatar image a profile carries, in bytes. The
	// sender re-encodes its picture to a small square well under it.
	MaxAvatar = 64 << 10
	// MaxAvatarType bounds the avatar's MIME type.
	MaxAvatarType = 32
)

// Profile is how a person presents themselves to their contacts: a display
// name and an optional small square avatar image (PNG or JPEG). An empty
// Avatar means "no picture" (the receiver shows initials).
type Profile struct {
	Name       string
	AvatarType string // "image/png" or "image/jpeg"; empty when Avatar is
	Avatar     []byte
}

// Marshal encodes p.
func (p Profile) Marshal() []byte {
	b := make([]byte, 0, len(p.Name)+len(p.AvatarType)+len(p.Avatar)+16)
	b = appendString(b, 1, p.Name)
	b = appendString(b, 2, p.AvatarType)
	if len(p.Avatar) > 0 {
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendBytes(b, p.Avatar)
	}
	return b
}

// Unmarshal decodes b into p, replacing its contents. Avatar is a copy:
// it does not alias b.
func (p *Profile) Unmarshal(b []byte) error {
	*p = Profile{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&p.Name)
		case 2:
			return f.str(&p.AvatarType)
		case 3:
			if f.typ != protowire.BytesType {
				return f.wrongType(protowire.BytesType)
			}
			v, n := protowire.ConsumeBytes(f.raw)
			if n < 0 {
				return fmt.Errorf("%w: field %d: %v", ErrMalformed, f.num, protowire.ParseError(n))
			}
			if len(v) == 0 {
				p.Avatar = nil
			} else {
				p.Avatar = append([]byte(nil), v...)
			}
		}
		return nil
	})
}

// Validate checks the limits: a name of 1 to MaxNameLen bytes, an avatar
// of at most MaxAvatar bytes whose type is PNG or JPEG, and a type only
// with an avatar. It does not look inside the image; the receiver decodes
// it (off the UI thread) before showing it.
func (p Profile) Validate() error {
	switch {
	case p.Name == "" || !utf8.ValidString(p.Name):
		return fmt.Errorf("%w: profile without a name", ErrInvalid)
	case len(p.Name) > MaxNameLen:
		return fmt.Errorf("%w: name is %d bytes, limit %d", ErrTooLarge, len(p.Name), MaxNameLen)
	case len(p.Avatar) > MaxAvatar:
		return fmt.Errorf("%w: avatar is %d bytes, limit %d", ErrTooLarge, len(p.Avatar), MaxAvatar)
	case len(p.Avatar) == 0 && p.AvatarType != "":
		return fmt.Errorf("%w: avatar type without an avatar", ErrInvalid)
	case len(p.Avatar) > 0 && p.AvatarType != "image/png" && p.AvatarType != "image/jpeg":
		return fmt.Errorf("%w: avatar type %.32q", ErrInvalid, p.AvatarType)
	}
	return nil
}
