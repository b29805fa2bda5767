// Package voice is the conversation's voice notes: the microphone button
// (hold to record and let go to send, or click to start and stop), the
// recorder strip that replaces the composer while a note records, and
// playback of a note's row. The chat view holds one Notes and reaches the
// rest of the window only through Host.
package voice
