// Package wire holds everything Hearth puts on a libp2p stream: the frame
// format and the messages, encoded as protobuf by hand with protowire (no
// generated code).
//
// # Frames
//
// Every protocol stream carries frames: an unsigned varint length, then that
// many bytes of one protobuf message. ReadFrame refuses a frame whose
// announced length is above the caller's limit before allocating anything,
// so a peer cannot make us reserve memory by lying about a length.
//
// # Messages and field numbers
//
// Field numbers are frozen by the hex fixtures in wire_test.go; never reuse
// or renumber one. Decoders skip unknown fields (newer peers may add some),
// reject a known field with the wrong wire type, truncated input and text
// that is not valid UTF-8.
//
//	ChatMessage     1 id (string)  2 body (string)  3 sent_at (int64, unix ms)
//	ChatAck         1 id (string)
//	Presence        1 state (uint32)  2 text (string)
//	ContactRequest  1 kind (uint32)  2 name  3 note  4 secret  5 addrs (repeated string)
//	ContactReply    1 status (uint32)  2 name (string)
//	Signal          1 kind (uint32)  2 call_id  3 sdp  4 candidate (strings)
//	Invite          1 peer_id  2 addrs (repeated)  3 secret  4 name (strings)
//	PairHello       1 nameplate (uint32)  2 sid (bytes)  3 point (bytes)
//	PairReply       1 point (bytes)  2 name (string)  3 confirm (bytes)
//	PairConfirm     1 name (string)  2 confirm (bytes; empty: the codes differ)
//	PairResult      1 status (uint32)
//	GroupState      1 id  2 name  3 creator (strings)  4 nonce (bytes)  5 version (uint64)
//	                6 members (repeated GroupMember)  7 created_at (int64, unix ms)
//	GroupMember     1 peer_id  2 name (strings)  3 addrs (repeated string)
//	GroupFrame      1 kind (uint32)  2 id  3 group_id  4 body (strings)  5 sent_at (int64)
//	                6 state (bytes, a GroupState)  7 signature (bytes)
//	GroupAck        1 id (string)  2 refused (bool)
//	ComplianceNotice 1 archived (uint32, 0/1)  2 set_at (int64, unix ms)
//
// Unmarshal checks the encoding only; Validate checks the limits a receiver
// enforces (body and text sizes, required fields).
//
// The file protocol's messages are listed in files.go, the store-and-forward
// ones (sealed envelopes, the carrier protocol) in carry.go; each file has
// its own fixtures.
//
// # Invite codes
//
// An invite code is one line of text: "hearth:" followed by unpadded
// lower-case base32 of the Invite protobuf bytes and a 4-byte checksum (the
// first bytes of their SHA-256). Base32 survives chat clients, mail and being
// read aloud; the checksum tells a damaged code from a foreign one.
package wire
