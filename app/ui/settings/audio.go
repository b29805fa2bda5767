package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

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
	return container.NewVBox(kit.Heading("Audio & video"), check, about, errl)
}
