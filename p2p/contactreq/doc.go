// Package contactreq implements /hearth/contact/1.0.0: asking someone to
// become a contact, and accepting, declining or removing. It is the only
// Hearth protocol a stranger can reach, so it has no Allow callback but
// rate limits instead.
//
// # Messages
//
// One stream carries one exchange: the requester writes one
// wire.ContactRequest frame (Kind Request, Accept, Decline or Remove) and
// closes its side; the receiver answers with one wire.ContactReply frame
// (Status Accepted, Pending or Refused) and closes. Frames are at most
// MaxFrame bytes.
//
//	requester                          receiver
//	                                   rate limit: per peer, then overall;
//	                                   over it: reset, nothing read
//	ContactRequest{Kind, …}, FIN ────▶ OnRequest(requester, r)
//	              ◀─────────────────── ContactReply{Status, Name}, FIN
//
// # Rate limits
//
// Each peer has a token bucket (Config.PerPeerRate and PerPeerBurst,
// by default one request per 10 s with a burst of 3) and all peers share a
// global one (by default 5 per second, burst 20). A request over either is
// answered by a reset without reading it or calling OnRequest, and counted
// (Service.Dropped). The per-peer buckets are kept for at most
// Config.MaxTrackedPeers peers, least recently seen evicted first, so a
// flood of new peer IDs cannot grow memory; such a flood can at most win
// each new ID a fresh burst, which the global bucket caps. Peers for which
// Config.Trusted holds (the caller's contacts) skip both buckets, so a
// stranger's flood cannot delay a contact's answer.
package contactreq
