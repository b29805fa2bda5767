// Package transfer is a file or voice note in the conversation's
// timeline: one Row per transfer, built once and updated in place as the
// transfer changes, so progress ticks touch only the few widgets that
// change. A row reaches the chat it sits in only through Conversation
// (actions, thumbnails, voice-note playback, names); in a group it names
// an incoming file's sender and counts the members who have an outgoing
// one.
package transfer
