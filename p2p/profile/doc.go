// Package profile implements /hearth/profile/1.0.0: telling accepted
// contacts my display name and avatar picture.
//
// # Messages
//
// One stream carries one profile: the sender writes a single wire.Profile
// frame (at most MaxFrame bytes: a name of at most wire.MaxNameLen bytes
// and an avatar of at most wire.MaxAvatar bytes) and closes its side; the
// receiver checks Allow, reads the frame, calls OnProfile and closes.
//
//	sender                          receiver
//	Profile{Name, Avatar}, FIN ───▶ Allow(sender)? else reset
//	                                OnProfile(sender, p) → false? reset
//	               ◀─────────────── FIN
//
// The profile is sent on connect and whenever it changes. This package
// checks sizes only: whether the avatar is a real, small image is for
// OnProfile to decide (app/core decodes it and refuses anything else).
package profile
