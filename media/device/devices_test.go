package device

import (
	"testing"

	"github.com/pion/mediadevices/pkg/driver"
	"github.com/pion/mediadevices/pkg/prop"
)

type fakeDriver struct {
	id   string
	info driver.Info
}

func (f fakeDriver) Open() error              { return nil }
func (f fakeDriver) Close() error             { return nil }
func (f fakeDriver) Properties() []prop.Media { return nil }
func (f fakeDriver) ID() string               { return f.id }
func (f fakeDriver) Info() driver.Info        { return f.info }
func (f fakeDriver) Status() driver.State     { return driver.StateClosed }

func TestPreferNamed(t *testing.T) {
	usb := fakeDriver{"1", driver.Info{Label: "video1", Name: "USB Camera", Priority: driver.PriorityNormal}}
	builtin := fakeDriver{"0", driver.Info{Label: "video0", Name: "Integrated Camera", Priority: driver.PriorityHigh}}
	noName := fakeDriver{"2", driver.Info{Label: "video2"}}
	ds := []driver.Driver{usb, builtin, noName}
	first := func(name string) string { return driverName(preferNamed(ds, name)[0]) }
	if got := first("USB Camera"); got != "USB Camera" {
		t.Errorf("chosen camera: %q first", got)
	}
	if got := first(""); got != "Integrated Camera" {
		t.Errorf("no choice: %q first, want the system default", got)
	}
	if got := first("Camera unplugged yesterday"); got != "Integrated Camera" {
		t.Errorf("a gone device: %q first, want the default", got)
	}
	if got := first("video2"); got != "video2" {
		t.Errorf("a device without a description goes by its label: %q", got)
	}
	if preferNamed(nil, "x") != nil {
		t.Error("devices out of nothing")
	}
}
