// Package chat implements /hearth/chat/1.0.0, Hearth's 1:1 message protocol.
//
// # Messages
//
// A chat stream carries frames (see hearth/p2p/wire): the opener sends
// wire.ChatMessage frames, the other side answers each with a wire.ChatAck
// carrying the message's ID, in the same order. A message body is at most
// wire.MaxChatBody bytes; a frame is at most Config.MaxFrame bytes. A
// message may name the message it answers (ReplyTo); edits, deletes, read
// receipts and typing travel on hearth/p2p/convo instead.
//
// # Flow
//
//	sender                                    receiver
//	ChatMessage{ID: a} ─────────────────────▶ Allow(sender)? else reset
//	ChatMessage{ID: b} ─────────────────────▶ Deliver(a) stores it durably
//	               ◀───────────────────────── ChatAck{ID: a}
//	                                          Deliver(b)
//	               ◀───────────────────────── ChatAck{ID: b}
//
// The receiver acknowledges a message only after Deliver returned nil, that
// is after it is stored; when Deliver fails it sends the acks of what it
// stored before and closes the stream without reading further, and the
// sender keeps the failed message (and everything after it) in its outbox.
// So an ack means "stored", and a message never acked is sent again later;
// the receiver drops duplicates by ID.
//
// Send pipelines: it writes a window of messages with one flush, then reads
// their acks. It keeps one long-lived stream per peer and reuses it across
// calls, which is what makes a round trip cost one network round trip and
// no stream negotiation. A stream that fails is dropped; when it was a
// reused one (the peer may have closed it while idle) Send reopens once and
// resends what was not acked.
//
// The receiver reads until the sender closes, and resets a stream that is
// silent for Config.IdleTimeout or that sends a frame that is too large,
// does not decode, or breaks a limit.
package chat
