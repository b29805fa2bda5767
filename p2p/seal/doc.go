// Package seal seals a message to one recipient so that whoever carries it
// (a mutual contact, a home node) can neither read it, nor forge it, nor
// alter it or its outside unnoticed, nor re-address it to someone else.
//
// # Construction (version 1)
//
// The recipient's static X25519 key is its Ed25519 libp2p identity key
// mapped to the Montgomery curve (the birational map u = (1+y)/(1−y)); on
// its side the matching scalar is the clamped first half of SHA-512 of the
// Ed25519 seed, exactly as Ed25519 derives its own scalar. For each
// envelope the sender draws an ephemeral X25519 key e and computes
//
//	shared = X25519(e, recipient)
//	key ‖ nonce = HKDF-SHA256(shared, salt = e·G ‖ recipient, info = "hearth/seal/1 key")   (32 + 12 bytes)
//	box = ChaCha20-Poly1305(key, nonce, content, ad = "hearth/seal/1 ad\x00" ‖ header)
//
// where header is the wire.Envelope without its box (version, recipient,
// ID, expiry, ephemeral key): a carrier that changes any of them makes the
// box fail to open. content is a wire.SealedContent: the sender's peer ID,
// the kind, the payload, and the sender's Ed25519 signature over
//
//	"hearth/seal/1 sig\x00" ‖ recipient ‖ ID ‖ expiry ‖ sender ‖ kind ‖ payload
//
// (each length-prefixed, see signedBytes). The signature is inside the box,
// so a carrier does not even learn who the sender is; the recipient is in
// the signed bytes, so a recipient cannot pass a message it received on to
// a third person as though it had been sent to them.
//
// The envelope's ID and expiry are chosen by the sender; the carrier sees
// them, the recipient's peer ID and the size, and nothing else.
package seal
