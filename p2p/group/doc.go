// Package group implements /hearth/group/1.0.0, Hearth's group
// conversation protocol, and the signing of group membership.
//
// # Membership
//
// A group's membership is a wire.GroupState signed by its creator with the
// creator's libp2p Ed25519 key. The group ID is derived from the creator's
// peer ID and a random nonce (StateID), so only the creator can sign any
// state of that group: Verify checks the derivation and the signature.
// Each change (name, members) is a new state with a higher version; a
// member applies a state only when it verifies and its version is higher
// than the one it holds. Anyone may forward a signed state, which is how a
// member learns a change the creator could not deliver itself.
//
// # Frames
//
// A group stream carries wire.GroupFrame frames from the opener, each
// answered in order by a wire.GroupAck: a state to apply, a message to the
// group, or a leave (sent to the creator). The author of a message is the
// stream's remote peer, authenticated by the connection. The receiver
// acknowledges a frame only after Deliver has stored or applied it, or
// refuses it for good (Refused) — a sender who is not a member, a group
// that is unknown or left, a state that does not verify — so the sender
// can drop it instead of retrying forever.
//
//	sender                                     receiver
//	GroupFrame{state v3} ────────────────────▶ Allow(sender)? else reset
//	GroupFrame{message a} ───────────────────▶ Deliver([state, a]) stores
//	                ◀──────────────────────── GroupAck{s3}
//	                ◀──────────────────────── GroupAck{a}
//
// Fan-out is the sender's: a message goes to every member on its own
// stream, from a per-member outbox, so one offline member holds up no one.
// Frames above Config.MaxFrame, frames that do not decode or break a limit
// reset the stream, as does silence for Config.IdleTimeout.
package group
