// Package ui is Hearth's Fyne GUI: Run, and the main window (contacts,
// requests, people nearby, the conversation, the ringing dialog).
// The rest lives in subpackages that never import this one: start (the
// first-run and unlock screens), addcontact, contactdlg, groupdlg,
// archivedlg (also the compliance banner and Archive menu), settings and
// search (dialogs, each reaching the main window through a small Host it
// declares), callwin (the call window), transfer (file and voice-note
// rows, through Conversation), voice (the mic button, the recorder strip
// and playback, with the chat view as its Host), notify (desktop
// notifications), kit (widgets and helpers that know nothing of the
// window) and area (what the UI needs from the messenger).
//
// Files and voice notes share the conversation's timeline with messages,
// ordered by time. Each transfer is one row built once and updated in
// place on TransferChanged, so progress ticks touch a few widgets only.
// Files are sent with the paperclip or by dropping them on the window; the
// core gets local paths, never fyne.URIs. Image thumbnails are decoded off
// the UI goroutine, one at a time, within size bounds, and cached per
// transfer. Voice notes record with a click on the microphone and stop
// with a click (Fyne has no dependable press-and-hold). The same works in
// a group chat: an incoming file's row names its sender, the sender's row
// counts the members who have it (groupfiles.go).
//
// The UI talks to the messenger only through Launcher and Backend, so view
// tests run on fakes with fyne.io/fyne/v2/test. Backend is a struct of one
// interface per area (package area: Contacts, Chat, Files, Groups, Calls,
// Archive, Me); the main window holds it, and each view or dialog keeps only
// the interface it calls. The fakes follow the same cut (fake_*_test.go).
// Threading follows Fyne 2.6+:
// one goroutine per main window reads Backend.Events and hands every event
// to the UI goroutine with fyne.Do; background goroutines (network calls,
// media sinks) do the same. Nothing outside the UI goroutine touches a
// widget. Video frames are coalesced: at most one update per sink waits for
// the UI at any time, and it shows the newest frame.
//
// Contacts have a menu (right-click on a row, or "…" in the chat header):
// Rename, Notes, Groups, Verify (the safety code as digits and QR), Block,
// Unblock and Remove, the last two after a confirmation. A filter beside the
// search box shows one group, or the blocked; the list puts contacts who
// are online first. Settings hold who may send requests and the blocked.
//
// Keys: Enter sends a message and Shift+Enter starts a new line; Escape
// closes the open dialog (and declines a ringing call).
package ui
