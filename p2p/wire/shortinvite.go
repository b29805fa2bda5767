package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/mr-tron/base58"
)

// A short invite code fits in a line someone can read out or type (58 or
// 59 characters): "hearth:" and base58 of the inviter's Ed25519 public key
// (32 bytes), a one-time secret (ShortSecretLen bytes) and a 2-byte
// SHA-256 checksum. It carries no addresses and no name: the receiver
// finds the inviter through relays, contacts or the LAN, and learns the
// name from the reply to its request.
const (
	// ShortSecretLen is the secret's length in a short code: 32 bits,
	// enough for a secret that works once and is tried only online,
	// through the rate-limited contact protocol.
	ShortSecretLen = 4
	shortKeyLen    = 32
	shortSumLen    = 2
	shortLen       = shortKeyLen + ShortSecretLen + shortSumLen
	// maxShortBody bounds the text tried as a short code.
	maxShortBody = 64
)

// secretEnc spells a short code's secret the way long codes spell theirs
// (lower-case base32), so that both kinds are stored and checked alike.
var secretEnc = base32.StdEncoding.WithPadding(base32.NoPadding)

// EncodeShortInvite makes a short code for an Ed25519 identity and a
// secret of ShortSecretLen bytes; ShortSecret gives the secret's spelling
// that ParseInvite returns in Invite.Secret.
func EncodeShortInvite(pub crypto.PubKey, secret []byte) (string, error) {
	if pub.Type() != crypto.Ed25519 {
		return "", fmt.Errorf("%w (a short code needs an Ed25519 key)", ErrBadInvite)
	}
	if len(secret) != ShortSecretLen {
		return "", fmt.Errorf("%w (secret of %d bytes)", ErrBadInvite, len(secret))
	}
	raw, err := pub.Raw()
	if err != nil || len(raw) != shortKeyLen {
		return "", fmt.Errorf("%w (bad key)", ErrBadInvite)
	}
	b := append(append(raw, secret...), 0, 0)
	sum := sha256.Sum256(b[:shortKeyLen+ShortSecretLen])
	copy(b[shortKeyLen+ShortSecretLen:], sum[:shortSumLen])
	return InvitePrefix + base58.Encode(b), nil
}

// ShortSecret spells a short code's secret bytes as Invite.Secret.
func ShortSecret(secret []byte) string {
	return strings.ToLower(secretEnc.EncodeToString(secret))
}

// parseShort reads the body of a short code (after the prefix, blanks
// removed). ok is false when the body is not a short code at all (a long
// code's base32 is tried then); err is set for a short code that is
// damaged.
func parseShort(body string) (inv Invite, ok bool, err error) {
	if len(body) > maxShortBody {
		return Invite{}, false, nil
	}
	raw, derr := base58.Decode(body)
	if derr != nil || len(raw) != shortLen {
		return Invite{}, false, nil
	}
	msg, sum := raw[:shortKeyLen+ShortSecretLen], raw[shortKeyLen+ShortSecretLen:]
	want := sha256.Sum256(msg)
	if !bytes.Equal(sum, want[:shortSumLen]) {
		return Invite{}, true, fmt.Errorf("%w (checksum mismatch)", ErrBadInvite)
	}
	pub, perr := crypto.UnmarshalEd25519PublicKey(msg[:shortKeyLen])
	if perr != nil {
		return Invite{}, true, fmt.Errorf("%w (bad key)", ErrBadInvite)
	}
	id, perr := peer.IDFromPublicKey(pub)
	if perr != nil {
		return Invite{}, true, fmt.Errorf("%w (bad key)", ErrBadInvite)
	}
	return Invite{PeerID: id.String(), Secret: ShortSecret(msg[shortKeyLen:])}, true, nil
}
