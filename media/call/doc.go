// Package call runs one 1:1 audio and video call over a Pion PeerConnection.
//
// Signalling is left to the caller through the Signaler interface (app/core
// carries it over libp2p): the caller sends an Offer with its complete SDP
// (ICE gathering is awaited, so no trickle is needed on a LAN), the callee
// answers with an Answer, either side may send Hangup, and the callee may
// refuse with Decline or Busy instead of answering. Candidate signals are
// accepted too, for peers that trickle.
//
// Media is VP8 video and Opus audio, captured and encoded by media/device;
// default interceptors give NACK retransmission and RTCP reports, and the
// receiver asks for a key frame (PLI) when it starts or loses one.
//
// A Call's state moves New → Ringing → Connecting →
// Connected → Ended and is
// reported in order through Config.OnState from a single goroutine.
package call
