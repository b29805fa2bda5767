// Package signal implements /hearth/signal/1.0.0: call signalling between
// two contacts (offer, answer, ICE candidates, ringing, busy, decline,
// hang-up). media/call declares the Signaler it needs; app/core adapts it
// onto this package.
//
// # Messages
//
// One stream carries one wire.Signal (at most MaxFrame bytes, enough for
// any SDP): the sender writes the frame and closes its side; the receiver
// checks Allow, reads and validates the frame, calls OnSignal and closes.
//
//	sender                             receiver
//	Signal{Kind, CallID, …}, FIN ────▶ Allow(sender)? else reset
//	                                   OnSignal(sender, s)
//	                  ◀─────────────── FIN
//
// # Order
//
// Send returns only after the receiver's OnSignal has returned, so signals
// that one goroutine sends one after another to a peer reach OnSignal in
// the order sent (an offer before its candidates). Sends made concurrently
// have no order between them.
package signal
