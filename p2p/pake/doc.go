// Package pake is CPace (draft-irtf-cfrg-cpace, the ristretto255 and
// SHA-512 cipher suite, initiator/responder transcript) with an explicit
// key confirmation on top. Two people who typed the same low-entropy code
// end with the same 64-byte key; anyone who guessed wrong learns nothing
// that helps a second guess, and both sides see the mismatch.
//
// # Flow
//
//	initiator (typed the code)              responder (showed the code)
//	s := Start(Initiator, code, ci, sid)    s := Start(Responder, code, ci, sid)
//	s.Message() = Ya ───────────────────▶
//	                 ◀─────────────────── s.Message() = Yb, plus the
//	                                       responder's Confirm(extra) tag
//	k := s.Finish(Yb)                       k := s.Finish(Ya)
//	k.Verify(tagB, extraB)
//	k.Confirm(extraA) ──────────────────▶  k.Verify(tagA, extraA)
//
// The generator is derived from the password (PRS), a channel identifier
// (CI, which Hearth fills with both peer IDs, so a man in the middle cannot
// relay one run between two other nodes) and a session ID. Finish refuses a
// peer point that does not decode as a canonical ristretto255 element and
// a shared point that is the identity.
//
// # Key confirmation
//
// The draft leaves confirmation to the application. Here each side's tag is
// HMAC-SHA-512 keyed with the ISK over a role label, the CPace transcript
// and the caller's extra bytes (Hearth puts the sender's display name
// there, which authenticates it), truncated to TagLen bytes. The session
// key handed to the application (Session.Key) is a separate derivation, so
// the tags reveal nothing about it.
package pake
