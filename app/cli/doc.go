// Package cli is headless Hearth: `hearth daemon` keeps a profile online
// without a window, and the other subcommands (id, add, contacts, send,
// history, search, export, retention, compliance, create-profile) work on
// a profile from scripts and terminals.
//
// When a daemon runs for the profile, a command is sent to it over the
// control socket in the profile folder (control.sock: a unix socket, mode
// 0600, one JSON request line and one JSON reply line per connection); the
// daemon holds the profile lock. When none runs, the command opens the
// profile itself for as long as it takes, so a message sent then waits in
// the outbox until Hearth or a daemon next runs with the profile.
package cli
