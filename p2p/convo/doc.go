// Package convo implements /hearth/convo/1.0.0: what happens to a 1:1
// conversation besides new messages — typing, read receipts, edits and
// deletes for everyone.
//
// # Messages
//
// One wire.ChatUpdate per stream (the shape of the presence protocol): the
// sender writes a single frame of at most MaxFrame bytes and closes its
// side; the receiver decodes and checks it, hands it to OnUpdate and closes
// the stream when OnUpdate accepted it, or resets it when OnUpdate refused
// it (a malformed frame, an edit of someone else's message, a store that
// failed). So a clean close means "applied, or knowingly ignored", and the
// sender keeps anything else to send again.
//
//	sender                                  receiver
//	ChatUpdate{Edit m1 "new text"} ───────▶ Allow(sender)? else reset
//	                                        OnUpdate: m1 is the sender's? store it
//	               ◀─────────────────────── close (accepted) / reset (refused)
//
// # Reliability
//
// The protocol itself keeps nothing. app/core keeps edits, deletes and read
// receipts in its store until the peer closed cleanly, and sends them again
// when the peer comes back; typing is sent at most every few seconds while
// someone types and is never stored or resent. A peer that predates this
// protocol refuses the stream; its messages are unaffected.
package convo
