package device

// Options choose what to capture.
type Options struct {
	// Fake always uses the synthetic sources, even when a camera and a
	// microphone are present (tests, demos, --fake-media).
	Fake bool
	// Width, Height and FrameRate of the video sent; 640x480@30 when zero.
	Width, Height, FrameRate int
	// AudioOnly captures no video at all (voice notes): the camera stays
	// off and Capture.Video is nil.
	AudioOnly bool
	// NoAudioProcessing sends the microphone as it is: no echo
	// cancellation, noise suppression or gain control (on by default for a
	// real microphone; never for the synthetic tone).
	NoAudioProcessing bool
	// Camera and Microphone name the devices to prefer (ListDevices'
	// names); empty, or a device no longer there, is the system default.
	Camera, Microphone string
}

const (
	defaultWidth     = 640
	defaultHeight    = 480
	defaultFrameRate = 30

	// SampleRate is the rate of all audio this package captures, decodes and plays.
	SampleRate = 48000
)

// withDefaults fills zero fields and clamps silly values.
func (o Options) withDefaults() Options {
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = defaultWidth, defaultHeight
	}
	// I420 needs even dimensions.
	o.Width = min(o.Width&^1, 3840)
	o.Height = min(o.Height&^1, 2160)
	if o.FrameRate <= 0 {
		o.FrameRate = defaultFrameRate
	}
	o.FrameRate = min(o.FrameRate, 60)
	return o
}
