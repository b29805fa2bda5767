// Package presence implements /hearth/presence/1.0.0: telling accepted
// contacts whether we are online, away or busy, with a status text.
//
// # Messages
//
// One stream carries one update: the sender writes a single wire.Presence
// frame (at most MaxFrame bytes, text at most wire.MaxPresenceText bytes)
// and closes its side; the receiver checks Allow, reads the frame, calls
// OnPresence and closes the stream.
//
//	sender                           receiver
//	Presence{State, Text}, FIN ────▶ Allow(sender)? else reset
//	                                 OnPresence(sender, p)
//	                ◀─────────────── FIN
//
// Send returns nil only after the receiver's close, so an error means the
// update was not taken (not allowed, malformed, peer gone). Updates are
// rare, so a stream per update costs nothing that matters. Going invisible
// is sending Offline once, then nothing.
package presence
