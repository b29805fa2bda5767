package people

import (
	"bytes"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/contacts"
)

// foldName is how display names are compared for the key-change warning.
func foldName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// verifiedNamed returns a verified contact other than id with the same
// display name, among all.
func verifiedNamed(all map[peer.ID]contacts.Contact, id peer.ID, name string) (contacts.Contact, bool) {
	f := foldName(name)
	if f == "" {
		return contacts.Contact{}, false
	}
	for oid, c := range all {
		if oid != id && c.Verified && c.State == contacts.Accepted && foldName(c.Name) == f {
			return c, true
		}
	}
	return contacts.Contact{}, false
}

// keyWarning is what to tell the user when a contact that is not verified
// uses the name of one that is: peer ID is key, so it is someone else.
func keyWarning(c contacts.Contact) string {
	return "This is a different key from the " + book.DisplayName(c) + " you verified."
}

// warnSameName tells the user at once when a new request or contact uses
// the name of a verified contact.
func (p *People) warnSameName(nc contacts.Contact) {
	id, err := peer.Decode(nc.PeerID)
	if err != nil {
		return
	}
	v, same := verifiedNamed(p.d.Book.Snapshot(), id, nc.Name)
	if same {
		p.d.Publish(event.Notice{Text: "A new contact request says it is from " + book.DisplayName(nc) + ". " + keyWarning(v), At: time.Now()})
	}
}

// addWarnings fills ContactView.Warning for contacts that are not
// verified but use a verified contact's name.
func (p *People) addWarnings(views []ContactView) {
	all := p.d.Book.Snapshot()
	for i := range views {
		v := &views[i]
		if v.Verified || v.State == contacts.Blocked {
			continue
		}
		id, err := peer.Decode(v.PeerID)
		if err != nil {
			continue
		}
		if c, same := verifiedNamed(all, id, v.Name); same {
			v.Warning = keyWarning(c)
		}
	}
}

// SetVerified marks a contact as verified (I compared our safety codes)
// or takes the mark away.
func (p *People) SetVerified(peerID string, verified bool) error {
	_, _, err := p.updateContact(peerID, func(c *contacts.Contact) error {
		if c.State != contacts.Accepted {
			return book.ErrNotContact
		}
		c.Verified = verified
		return nil
	})
	return err
}

// Safety codes: 12 groups of 5 digits from SHA-512 over a version prefix
// and both public keys in a fixed (sorted) order, so both sides compute
// the same code. 60 digits are about 199 bits: nobody can make a key whose
// code matches someone else's.
const (
	safetyCodePrefix = "hearth-safety-code-v1"
	safetyGroups     = 12
	safetyGroupLen   = 5
	// SafetyQRPrefix starts the text of a safety code's QR.
	SafetyQRPrefix = "hearth-verify:1:"
)

// SafetyCode returns the code to compare with a contact, in groups of
// five digits separated by spaces.
func (p *People) SafetyCode(peerID string) (string, error) {
	id, err := peer.Decode(peerID)
	if err != nil {
		return "", book.ErrUnknownPeer
	}
	theirs, err := id.ExtractPublicKey()
	if err != nil {
		return "", fmt.Errorf("reading the contact's key: %w", err)
	}
	return safetyCode(p.d.Key.GetPublic(), theirs)
}

// SafetyQR is the text of the QR code that shows a safety code.
func (p *People) SafetyQR(peerID string) (string, error) {
	code, err := p.SafetyCode(peerID)
	if err != nil {
		return "", err
	}
	return SafetyQRPrefix + strings.ReplaceAll(code, " ", ""), nil
}

// CheckSafetyCode reports whether text (a code typed or pasted in any
// spacing, or a scanned safety QR) is the code I have for the contact.
func (p *People) CheckSafetyCode(peerID, text string) (bool, error) {
	code, err := p.SafetyCode(peerID)
	if err != nil {
		return false, err
	}
	got, ok := parseSafetyCode(text)
	return ok && got == strings.ReplaceAll(code, " ", ""), nil
}

// parseSafetyCode takes the digits out of a typed code or a QR's text. It
// reports false unless there are exactly 60 digits and nothing but
// spacing, dashes and the QR prefix around them.
func parseSafetyCode(text string) (string, bool) {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(text, SafetyQRPrefix)
	if len(text) > 4*safetyGroups*safetyGroupLen {
		return "", false
	}
	var b strings.Builder
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-':
		default:
			return "", false
		}
	}
	if b.Len() != safetyGroups*safetyGroupLen {
		return "", false
	}
	return b.String(), true
}

func safetyCode(a, b crypto.PubKey) (string, error) {
	ka, err := crypto.MarshalPublicKey(a)
	if err != nil {
		return "", err
	}
	kb, err := crypto.MarshalPublicKey(b)
	if err != nil {
		return "", err
	}
	if bytes.Compare(ka, kb) > 0 {
		ka, kb = kb, ka
	}
	h := sha512.New()
	h.Write([]byte(safetyCodePrefix))
	for _, k := range [][]byte{ka, kb} {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(k))))
		h.Write(k)
	}
	sum := h.Sum(nil)
	groups := make([]string, safetyGroups)
	for i := range groups {
		var v uint64
		for _, x := range sum[i*5 : i*5+5] {
			v = v<<8 | uint64(x)
		}
		s := strconv.FormatUint(v%100000, 10)
		groups[i] = strings.Repeat("0", safetyGroupLen-len(s)) + s
	}
	return strings.Join(groups, " "), nil
}
