// Package device captures, encodes, decodes and plays the media of a call.
//
// Capture comes from the machine's camera (v4l2) and microphone (ALSA through
// malgo) when they exist, and otherwise from synthetic sources: a moving test
// picture and a test tone, so that a call on a machine without devices still
// carries media and the user is told why (Capture.Notice).
//
// Encoding goes through mediadevices' CodecSelector. VP8 uses this package's
// own libvpx binding (VP8Params) rather than mediadevices' vpx wrapper, because
// that wrapper never sets VP8E_SET_CPUUSED: libvpx then tunes its speed to fill
// the whole frame interval, about one core at 640x480@30. Opus encoding is
// mediadevices' own.
//
// Received media is decoded by VP8Decoder (libvpx) and OpusDecoder (libopus),
// both small cgo bindings, and played by a Speaker (malgo). Every decoder takes
// bytes from the network and answers bad input with an error, never a panic.
package device
