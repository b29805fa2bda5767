package settings

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/calls"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// AudioProcessingLabel is the Audio & video section's switch.
const AudioProcessingLabel = "Cancel echo, suppress noise and even out my voice in calls"

// audioSettings is the Audio & video section: audio processing for calls,
// saved at once and used from the next call on.
func audioSettings(me area.MeBackend, background func(fn func() error, done func(error))) fyne.CanvasObject {
	errl := kit.ErrorLabel()
	var check *widget.Check
	check = widget.NewCheck(AudioProcessingLabel, func(on bool) {
		check.Disable()
		background(func() error { return me.SetAudioProcessing(on) }, func(err error) {
			check.Enable()
			kit.ShowError(errl, err)
			if err != nil {
				check.SetChecked(!on)
			}
		})
	})
	check.Checked = me.AudioProcessing()
	about := kit.Caption("Without it the other side hears themselves when you use loudspeakers. " +
		"Turn it off only with a headset, or with a microphone that does this itself. Applies from the next call.")
	about.Wrapping = fyne.TextWrapWord
	devs := me.AvailableDevices()
	form := widget.NewForm(
		widget.NewFormItem("Camera", deviceSelect(me, background, errl, calls.Camera, devs.Cameras)),
		widget.NewFormItem("Microphone", deviceSelect(me, background, errl, calls.Microphone, devs.Microphones)),
		widget.NewFormItem("Speaker", deviceSelect(me, background, errl, calls.Speaker, devs.Speakers)),
	)
	return container.NewVBox(kit.Heading("Audio & video"), form, check, about, errl)
}

// SystemDefault is the device choice that follows the system's default.
const SystemDefault = "System default"

// notConnected marks a remembered device that is not plugged in now: calls
// use the default until it is back.
const notConnected = " (not connected)"

// deviceSelect picks the device of a kind by name; the choice is saved at
// once and used from the next call.
func deviceSelect(me area.MeBackend, background func(fn func() error, done func(error)), errl *widget.Label, kind string, names []string) *widget.Select {
	opts := append([]string{SystemDefault}, names...)
	chosen := me.ChosenDevice(kind)
	shown := SystemDefault
	if chosen != "" {
		shown = chosen
		if !slices.Contains(names, chosen) {
			shown = chosen + notConnected
			opts = append(opts, shown)
		}
	}
	sel := widget.NewSelect(opts, nil)
	sel.Selected = shown
	sel.OnChanged = func(v string) {
		name := strings.TrimSuffix(v, notConnected)
		if v == SystemDefault {
			name = ""
		}
		background(func() error { return me.ChooseDevice(kind, name) }, func(err error) { kit.ShowError(errl, err) })
	}
	return sel
}
