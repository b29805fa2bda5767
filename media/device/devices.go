package device

import (
	"github.com/gen2brain/malgo"
	"github.com/pion/mediadevices/pkg/driver"
)

// Devices are the real cameras, microphones and speakers, by the names
// people see (the same names Options.Camera, Options.Microphone and
// OpenSpeakerNamed take). Each call lists them again, so a device
// plugged in while the app runs appears the next time.
type Devices struct {
	Cameras, Microphones, Speakers []string
}

// driverName is a driver's name for people: its description when it has
// one, else its label.
func driverName(d driver.Driver) string {
	if n := d.Info().Name; n != "" {
		return n
	}
	return d.Info().Label
}

// ListDevices lists what is plugged in now.
func ListDevices() Devices {
	var out Devices
	driverMu.Lock()
	for _, d := range realCameras() {
		out.Cameras = append(out.Cameras, driverName(d))
	}
	for _, d := range realMicrophones() {
		out.Microphones = append(out.Microphones, driverName(d))
	}
	driverMu.Unlock()
	ctx, err := malgo.InitContext(nil, malgo.ContextConfig{}, nil)
	if err != nil {
		return out
	}
	defer func() {
		_ = ctx.Uninit()
		ctx.Free()
	}()
	devs, err := ctx.Devices(malgo.Playback)
	if err != nil {
		return out
	}
	for i := range devs {
		if !isNullDevice(devs[i].ID.String(), devs[i].Name()) {
			out.Speakers = append(out.Speakers, devs[i].Name())
		}
	}
	return out
}

// preferNamed puts the driver called name first (when present), then the
// system default, then the rest: a remembered device that is gone falls
// back to the default.
func preferNamed(ds []driver.Driver, name string) []driver.Driver {
	if len(ds) == 0 {
		return nil
	}
	best := ds[0]
	for _, d := range ds[1:] {
		if d.Info().Priority > best.Info().Priority {
			best = d
		}
	}
	out := []driver.Driver{}
	if name != "" {
		for _, d := range ds {
			if driverName(d) == name {
				out = append(out, d)
			}
		}
	}
	return append(append(out, best), ds...)
}
