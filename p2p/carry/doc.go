// Package carry implements /hearth/carry/1.0.0, store-and-forward through
// a carrier: a mutual contact (or a home node, which is just a profile
// that is always online) keeps sealed envelopes (hearth/p2p/seal) for a
// contact who is offline and hands them over when that contact appears.
//
// # Messages
//
// The side that opens a stream writes wire.CarryRequest frames, each with
// either a deposit (sender → carrier: "please keep this") or a handover
// (carrier → recipient: "this was kept for you"). The other side answers
// every request, in order, with a wire.CarryReply naming the envelope and
// a status. A frame is at most wire.MaxCarryFrame bytes.
//
// # Flows
//
//	sender                 carrier                      recipient
//	deposit{E} ──────────▶ Deposit(): allowed, within
//	                       quota? stored durably
//	      ◀─────────────── reply{E, OK}
//	                         … recipient connects …
//	                       handover{E} ───────────────▶ Handover(): opened,
//	                                                    stored (or found
//	                                                    unusable)
//	                                  ◀──────────────── reply{E, OK}
//	                       deletes E
//
// A reply of CarryOK to a deposit means "stored"; to a handover it means
// "taken, delete it". Any other status refuses the envelope and says why
// (not carrying, recipient unknown, quota full, rejected). When a callback
// fails (a store error) the replies of what it settled are sent and the
// stream is closed: the opener keeps the rest and tries again later.
//
// The services decide nothing themselves: who may deposit, quotas, expiry
// and storage are app/core's, through Config's callbacks. The receiver
// reads until the opener closes, and resets a stream that is silent for
// Config.IdleTimeout or sends a frame that is too large or does not
// decode.
package carry
