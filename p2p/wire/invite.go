package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
	"unicode"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

const (
	// InvitePrefix starts every invite code.
	InvitePrefix = "hearth:"
	// MaxInviteLen is the longest invite code ParseInvite accepts, after
	// trimming.
	MaxInviteLen = 4 << 10
	// inviteSum is the number of SHA-256 bytes appended as a checksum.
	inviteSum = 4
)

var invEnc = base32.StdEncoding.WithPadding(base32.NoPadding)

// Invite is what an invite code carries: who to contact, where, and a
// one-time secret that lets the receiver accept the request at once.
type Invite struct {
	PeerID string
	Addrs  []string
	Secret string
	Name   string
}

// Marshal encodes inv as protobuf.
func (inv Invite) Marshal() []byte {
	var b []byte
	b = appendString(b, 1, inv.PeerID)
	b = appendStrings(b, 2, inv.Addrs)
	b = appendString(b, 3, inv.Secret)
	b = appendString(b, 4, inv.Name)
	return b
}

// Unmarshal decodes protobuf bytes into inv, replacing its contents. It
// checks the encoding only; ParseInvite also checks the peer ID and addrs.
func (inv *Invite) Unmarshal(b []byte) error {
	*inv = Invite{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&inv.PeerID)
		case 2:
			return f.strs(&inv.Addrs)
		case 3:
			return f.str(&inv.Secret)
		case 4:
			return f.str(&inv.Name)
		}
		return nil
	})
}

// EncodeInvite turns inv into a one-line code: "hearth:" and lower-case
// base32 of the protobuf bytes followed by a 4-byte SHA-256 checksum.
func EncodeInvite(inv Invite) string {
	b := inv.Marshal()
	sum := sha256.Sum256(b)
	b = append(b, sum[:inviteSum]...)
	return InvitePrefix + strings.ToLower(invEnc.EncodeToString(b))
}

// ParseInvite reads an invite code as pasted by a person: surrounding
// spaces, newlines and <> are trimmed, and spaces or line breaks inside
// (mail clients wrap long lines) are ignored. It returns ErrNotInvite for
// text that is not a Hearth code and ErrBadInvite for a damaged one. Addrs
// that are not valid multiaddrs are dropped; the peer ID must be valid.
func ParseInvite(s string) (Invite, error) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '<' || r == '>' })
	if len(s) < len(InvitePrefix) || asciiLower(s[:len(InvitePrefix)]) != InvitePrefix {
		return Invite{}, ErrNotInvite
	}
	if len(s) > MaxInviteLen {
		return Invite{}, fmt.Errorf("%w (too long: %d characters)", ErrBadInvite, len(s))
	}
	// A short code is base58 (case matters): tried first, on the text
	// as typed, without blanks and the slashes of a hearth:// link.
	short := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '/' {
			return -1
		}
		return r
	}, s[len(InvitePrefix):])
	if inv, ok, err := parseShort(short); ok {
		return inv, err
	}
	body := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '/':
			// A link may come as hearth://…: the slashes carry nothing.
			return -1
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s[len(InvitePrefix):])
	raw, err := invEnc.DecodeString(body)
	if err != nil {
		return Invite{}, fmt.Errorf("%w (bad character or length)", ErrBadInvite)
	}
	if len(raw) < inviteSum {
		return Invite{}, fmt.Errorf("%w (too short)", ErrBadInvite)
	}
	msg, sum := raw[:len(raw)-inviteSum], raw[len(raw)-inviteSum:]
	want := sha256.Sum256(msg)
	if !bytes.Equal(sum, want[:inviteSum]) {
		return Invite{}, fmt.Errorf("%w (checksum mismatch)", ErrBadInvite)
	}
	var inv Invite
	if err := inv.Unmarshal(msg); err != nil {
		return Invite{}, fmt.Errorf("%w (%v)", ErrBadInvite, err)
	}
	if _, err := peer.Decode(inv.PeerID); err != nil {
		return Invite{}, fmt.Errorf("%w (bad peer ID)", ErrBadInvite)
	}
	addrs := inv.Addrs[:0]
	for _, a := range inv.Addrs {
		if _, err := ma.NewMultiaddr(a); err == nil {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		addrs = nil
	}
	inv.Addrs = addrs
	return inv, nil
}

// asciiLower lowers ASCII letters only, so no exotic rune folds into the prefix.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
