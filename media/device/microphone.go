//go:build !headless

package device

// The microphone driver opens an audio context and lists the devices as
// the program starts (its init): that loads ALSA's plugins, and through
// PulseAudio's libX11 and libxcb. The headless build (a home node with no
// window, which takes no calls) leaves it out; without it, capture falls
// back to the synthetic tone like a machine without a microphone.
import _ "github.com/pion/mediadevices/pkg/driver/microphone" // registers ALSA microphones (malgo)
