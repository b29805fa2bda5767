package pair

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

const (
	// CodeWords is how many words a code has after its number.
	CodeWords = 3
	// MaxNameplate is the largest number a code starts with.
	MaxNameplate = 999
	// maxCodeLen bounds what ParseCode looks at.
	maxCodeLen = 200
)

var (
	words     = strings.Fields(wordlist)
	wordIndex = func() map[string]int {
		m := make(map[string]int, len(words))
		for i, w := range words {
			m[w] = i
		}
		return m
	}()
)

// Code is a short pairing code such as "7-orbit-maple-sugar": a nameplate
// (1–999) and CodeWords words from the word list.
//
// The nameplate and the first word only serve to find the waiting node:
// the rendezvous tag is derived from them alone, since anything announced
// on a LAN or the DHT can be searched offline. The PAKE runs on the whole
// code, so its strength rests on the last two words: 16 bits, one online
// guess per code.
type Code struct {
	Nameplate int
	Words     [CodeWords]string
}

// NewCode draws a fresh random code.
func NewCode() (Code, error) {
	var c Code
	n, err := rand.Int(rand.Reader, big.NewInt(MaxNameplate))
	if err != nil {
		return Code{}, fmt.Errorf("drawing a code: %w", err)
	}
	c.Nameplate = int(n.Int64()) + 1
	var b [CodeWords]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Code{}, fmt.Errorf("drawing a code: %w", err)
	}
	for i := range c.Words {
		c.Words[i] = words[b[i]]
	}
	return c, nil
}

// String is the canonical form: "7-orbit-maple-sugar".
func (c Code) String() string {
	return strconv.Itoa(c.Nameplate) + "-" + strings.Join(c.Words[:], "-")
}

// Password is what the PAKE runs on: the canonical form.
func (c Code) Password() []byte { return []byte(c.String()) }

// rendezvousSeed covers the nameplate and the first word only (see Code).
func (c Code) rendezvousSeed(purpose string) []byte {
	h := sha256.New()
	h.Write([]byte("hearth/pair/rendezvous/" + purpose + "\x00"))
	var n [2]byte
	binary.BigEndian.PutUint16(n[:], uint16(c.Nameplate))
	h.Write(n[:])
	h.Write([]byte(c.Words[0]))
	return h.Sum(nil)
}

var tagEnc = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Tag is the rendezvous tag the waiting side announces on the LAN: a DNS-SD
// service label, "hp" and 13 base32 characters (15 in all, the longest a
// service name may be).
func (c Code) Tag() string {
	return "hp" + tagEnc.EncodeToString(c.rendezvousSeed("mdns"))[:13]
}

// Key is the rendezvous key for the DHT: 32 bytes, the digest of a
// content ID the waiting side provides.
func (c Code) Key() []byte { return c.rendezvousSeed("dht") }

// ParseCode reads a code as a person types it: any case, words separated
// by hyphens, spaces, dots or commas, surrounding blanks ignored. Errors
// say what is wrong in words a person can act on.
func ParseCode(s string) (Code, error) {
	if len(s) > maxCodeLen {
		return Code{}, fmt.Errorf("%w: it is far too long", ErrBadCode)
	}
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '.' || r == ',' || r == '_' || r == '–' || r == '—'
	})
	if len(parts) == 0 {
		return Code{}, ErrNoCode
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil {
		return Code{}, fmt.Errorf("%w: it starts with a number, like 7-orbit-maple-sugar", ErrBadCode)
	}
	if n < 1 || n > MaxNameplate {
		return Code{}, fmt.Errorf("%w: the number is between 1 and %d", ErrBadCode, MaxNameplate)
	}
	if len(parts)-1 != CodeWords {
		return Code{}, fmt.Errorf("%w: it has a number and %d words, like 7-orbit-maple-sugar", ErrBadCode, CodeWords)
	}
	c := Code{Nameplate: n}
	var unknown []string
	for i, w := range parts[1:] {
		if _, ok := wordIndex[w]; !ok {
			unknown = append(unknown, "“"+w+"”")
		}
		c.Words[i] = w
	}
	switch len(unknown) {
	case 0:
		return c, nil
	case 1:
		return Code{}, fmt.Errorf("%w: %s is not one of the code words; check its spelling", ErrBadCode, unknown[0])
	default:
		return Code{}, fmt.Errorf("%w: %s are not code words; check their spelling", ErrBadCode, strings.Join(unknown, " and "))
	}
}
