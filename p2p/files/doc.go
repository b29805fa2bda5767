// Package files implements /hearth/files/1.0.0, Hearth's file transfer:
// fast, resumable across restarts of either side, and checked before the
// file is handed over.
//
// # Messages
//
// Every stream starts with one wire.FileRequest frame from the opener,
// holding exactly one of FileOffer, FileFetch or FileControl, and the
// opener then closes its writing side. The other side answers with one
// wire.FileReply (OK, or Refused with a reason of at most
// wire.MaxReasonLen bytes); after an OK to a fetch come wire.FileChunk
// frames. Requests and replies are at most wire.MaxFileRequestFrame bytes,
// chunk frames at most wire.MaxFileChunkFrame (a chunk carries at most
// wire.MaxFileChunk = 1 MiB of data). A stream from a peer that Allow
// refuses, a frame above its limit, a message that does not decode or
// fails Validate (a name with a path separator, a negative size, an
// unknown control kind …) is reset; nothing a peer sends can panic.
//
// # Flows
//
// The recipient pulls, so either side can restart at any time and the
// transfer goes on from the last verified byte.
//
//	sender                                      recipient
//	FileRequest{Offer} ───────────────────────▶ Allow? OnOffer persists it
//	            ◀───────────────────────────── FileReply{OK | Refused, reason}
//	   (offers are idempotent: re-sent after every reconnect until answered)
//
//	                                            the user accepts (or auto-accept)
//	            ◀───────────────────────────── FileRequest{Fetch{id, offset}}
//	OnFetch(id) → path, size (or refusal:
//	unknown, paused, cancelled); offset ≤ size
//	FileReply{OK, size} ──────────────────────▶ size must be the offered size
//	FileChunk{offset, data, crc32c} ──────────▶ offset must be the next byte;
//	FileChunk{…} ─────────────────────────────▶ checksum checked, then written
//	close ────────────────────────────────────▶ SHA-256 of the whole file checked
//
//	either side: FileRequest{Control{id, Pause|Resume|Cancel|Decline|Received|Quarantined, reason}}
//	            ◀────────────────────────────▶ OnControl, FileReply{OK}
//
// The sender reads one chunk (DefaultChunkSize, 1 MiB) at a time straight
// into its frame buffer and writes it as one frame; the stream's yamux
// window is the only queue, so a slow recipient slows the sender. The
// recipient works in three stages that overlap on a multi-core machine:
// one reads and checks chunks into 1 MiB blocks (block.go; a frame in the
// sender's layout goes from the stream straight into its block, see
// chunkread.go), one writes the previous block to the partial file in one
// call (whole aligned 4 KiB blocks with direct I/O where there is any, see
// direct.go, through io_uring on Linux so the write does not hold a Go
// processor, see uring_linux.go), one hashes the block before; it holds
// four blocks per transfer.
//
// # The partial file
//
// Fetch writes only chunks whose CRC-32C matched, in order, to the partial
// file, and hashes them as they go. Every Config.Checkpoint bytes
// (32 MiB), when paused and at the end it fsyncs the data and then
// replaces the sidecar <part>.ok (temporary file, fsync, rename) with the
// verified offset and the SHA-256 of the bytes before it. The periodic
// checkpoints run in the background while later chunks are written (one
// at a time); pausing and the end wait for them. On (re)start
// Fetch cuts the partial file to the sidecar's offset, reads those bytes
// back to hash them (starting over if they changed since) and fetches
// from there. A damaged chunk drops the stream and fetches again from the last
// verified byte, at most MaxCorruptRetries times in a row (ErrCorrupt).
// When all bytes are in, the SHA-256 must be the offered one
// (ErrHashMismatch empties the partial file). Fetch never moves the file:
// app/core scans it and moves it into place, then removes the sidecar.
//
// An offer may name a group (Offer.Group): the file then belongs to that
// group conversation, and app/core admits the group's members, who need
// not be contacts, to that transfer only. The protocol itself is the same.
//
// Cancelling Fetch's context is how a download is paused; the recipient
// tells the sender with a Pause control so its OnFetch refuses until a
// Resume.
package files
