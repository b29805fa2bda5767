// Package voice records, checks and plays voice notes: Opus in Ogg
// (RFC 7845), 48 kHz mono, 20 ms packets at about 24 kbit/s.
//
// Record captures the microphone through media/device (a labelled synthetic
// tone when there is none, or in fake mode) and encodes with mediadevices'
// Opus encoder; this package only muxes the packets into Ogg pages, about one
// page a second, so a file cut short by a crash loses little.
//
// Voice notes arrive from peers, so Info and Decode treat every file as
// hostile: they check page CRCs, sequence numbers, the OpusHead and OpusTags
// headers, each packet's TOC and the granule positions against the audio
// actually present, hold at most one page and one packet in memory, and answer
// anything malformed or cut short with an error, never a panic. Info's
// duration is the last granule position minus the pre-skip.
package voice
