// Package compliance implements /hearth/compliance/1.0.0: telling a
// contact that our conversation is, or no longer is, archived for
// compliance, so both people see the same banner.
//
// # Messages
//
// One stream carries one wire.ComplianceNotice (at most
// wire.MaxComplianceFrame bytes): the sender writes it and closes its side;
// the receiver checks Allow, decodes and validates it, calls OnNotice and
// closes the stream. Send returns nil only after that close, so the sender
// knows the notice was taken and can stop retrying.
//
//	sender                                 receiver
//	ComplianceNotice{archived, set_at} ──▶ Allow(sender)? else reset
//	                                       OnNotice(sender, n)
//	                   ◀────────────────── FIN
//
// It is a protocol of its own, not a chat message kind, so that the chat
// protocol's framing and acks stay as they are.
package compliance
