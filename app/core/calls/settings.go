package calls

import (
	"fmt"

	"hearth/media/device"
)

// settingAudioProcessing: "0" turns echo cancellation, noise suppression
// and gain control off for calls; anything else (or unset) leaves them on.
const settingAudioProcessing = "calls.audioProcessing"

// AudioProcessing reports whether calls clean the microphone's audio
// (echo cancellation, noise suppression, gain control). On by default.
func (c *Calls) AudioProcessing() bool {
	b, err := c.d.Store.Setting(settingAudioProcessing)
	return err != nil || string(b) != "0"
}

// SetAudioProcessing turns audio processing on or off for calls started
// from now on.
func (c *Calls) SetAudioProcessing(on bool) error {
	v := "0"
	if on {
		v = "1"
	}
	return c.d.Store.SetSetting(settingAudioProcessing, []byte(v))
}

// Device kinds, for ChosenDevice and ChooseDevice.
const (
	Camera     = "camera"
	Microphone = "microphone"
	Speaker    = "speaker"
)

// Devices are what is plugged in now, by name.
type Devices struct {
	Cameras, Microphones, Speakers []string
}

// AvailableDevices lists the cameras, microphones and speakers plugged in
// now (listed afresh each time).
func (c *Calls) AvailableDevices() Devices {
	d := device.ListDevices()
	return Devices{Cameras: d.Cameras, Microphones: d.Microphones, Speakers: d.Speakers}
}

// ChosenDevice is the remembered device of a kind; empty is the default.
func (c *Calls) ChosenDevice(kind string) string {
	b, err := c.d.Store.Setting("calls." + kind)
	if err != nil {
		return ""
	}
	return string(b)
}

// ChooseDevice remembers the device of a kind for calls from now on;
// empty goes back to the system default. A remembered device that is not
// plugged in when a call starts falls back to the default.
func (c *Calls) ChooseDevice(kind, name string) error {
	switch kind {
	case Camera, Microphone, Speaker:
	default:
		return fmt.Errorf("device kind %q: %w", kind, ErrNoSuchDevice)
	}
	if len(name) > 256 {
		return fmt.Errorf("device name of %d bytes: %w", len(name), ErrNoSuchDevice)
	}
	return c.d.Store.SetSetting("calls."+kind, []byte(name))
}
