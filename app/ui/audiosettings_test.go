package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/calls"
	"hearth/app/ui/settings"
	"hearth/app/ui/uitest"
)

// Settings → Audio & video: audio processing is on by default, and the
// switch saves at once.
func TestSettingsAudioProcessing(t *testing.T) {
	mw, b, q := newTestMain(t)
	d := mw.showSettings()
	top := mw.win.Canvas().Overlays().Top()
	if !uitest.HasText(top, "Audio & video") {
		t.Fatalf("no Audio & video section in %q", uitest.Texts(top))
	}
	check := findCheck(top, settings.AudioProcessingLabel)
	if check == nil || !check.Checked {
		t.Fatalf("audio processing switch %v, want shown and on", check)
	}
	test.Tap(check)
	q.WaitFor(t, "processing turned off", func() bool {
		var off bool
		b.locked(func() { off = b.me.noAudioProcessing })
		return off && !check.Disabled()
	})
	d.Close()
	mw.showSettings()
	if check := findCheck(mw.win.Canvas().Overlays().Top(), settings.AudioProcessingLabel); check.Checked {
		t.Error("shown on after it was turned off")
	}
}

func findSelect(o fyne.CanvasObject, selected string) *widget.Select {
	switch w := o.(type) {
	case *widget.Select:
		if w.Selected == selected {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if s := findSelect(c, selected); s != nil {
				return s
			}
		}
	case fyne.Widget:
		r := test.WidgetRenderer(w)
		for _, c := range r.Objects() {
			if s := findSelect(c, selected); s != nil {
				return s
			}
		}
	}
	return nil
}

// Settings → Audio & video lists the devices by name, remembers a choice,
// and shows a remembered device that is unplugged as not connected.
func TestSettingsDevices(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.locked(func() {
		b.me.devices = calls.Devices{
			Cameras:     []string{"Integrated Camera", "USB Camera"},
			Microphones: []string{"Built-in Microphone"},
			Speakers:    []string{"Speakers", "Headphones"},
		}
		b.me.chosen = map[string]string{calls.Microphone: "Old Headset"}
	})
	d := mw.showSettings()
	top := mw.win.Canvas().Overlays().Top()
	for _, want := range []string{"Camera", "Microphone", "Speaker"} {
		if !uitest.HasText(top, want) {
			t.Errorf("no %q row in %q", want, uitest.Texts(top))
		}
	}
	if findSelect(top, "Old Headset (not connected)") == nil {
		t.Error("the unplugged microphone is not shown as not connected")
	}
	cam := findSelect(top, settings.SystemDefault)
	if cam == nil || !slices.Contains(cam.Options, "USB Camera") {
		t.Fatalf("camera select %v", cam)
	}
	cam.SetSelected("USB Camera")
	q.WaitFor(t, "the camera remembered", func() bool {
		var got string
		b.locked(func() { got = b.me.chosen[calls.Camera] })
		return got == "USB Camera"
	})
	d.Close()
	mw.showSettings()
	if findSelect(mw.win.Canvas().Overlays().Top(), "USB Camera") == nil {
		t.Error("the chosen camera is not shown when the settings reopen")
	}
}
