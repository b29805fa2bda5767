// Package pair implements /hearth/pair/1.0.0: two people become contacts
// by one of them reading out a short code ("7-orbit-maple-sugar") and the
// other typing it, with no server. The code's words are the password of a
// PAKE (p2p/pake, CPace), so a wrong guess learns nothing, and every code
// allows one attempt: after it, right or wrong, the code is spent.
//
// # Codes
//
// A code is a nameplate (1–999) and three words from a list of 256. The
// nameplate and the first word give the rendezvous tag (Code.Tag for mDNS,
// Code.Key for the DHT) by which the typing side finds the waiting one;
// that part is public to whoever listens. The whole code is the PAKE
// password, so the secret part is the last two words: one guess in 65,536,
// and only online.
//
// # Messages
//
// One stream carries one attempt; frames are at most MaxFrame bytes.
//
//	initiator (typed the code)               responder (waits with the code)
//	                                         no open code, or over the rate
//	                                         limit: reset, nothing read
//	PairHello{nameplate, sid, Ya} ─────────▶ nameplate differs: reset, code kept;
//	                                         else the code is claimed (spent)
//	           ◀──────────────────────────── PairReply{Yb, name, tagB(name)}
//	tagB wrong: PairConfirm{} ─────────────▶ ErrWrongCode on both sides
//	else PairConfirm{name, tagA(name)} ────▶ tagA checked, Config.Accept
//	           ◀──────────────────────────── PairResult{Paired}, FIN
//
// The PAKE's channel identifier holds both peer IDs (initiator first), so
// a run cannot be relayed by a node in the middle; the names travel with a
// tag under the PAKE key, so they are authenticated as well as encrypted
// by the libp2p connection.
package pair
