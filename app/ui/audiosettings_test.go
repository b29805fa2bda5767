package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

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
