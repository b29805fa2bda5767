package kit

import (
	"fyne.io/fyne/v2"
)

// PrefLockAfter is the app preference holding the idle time, in minutes,
// after which the main window locks (0: never).
const PrefLockAfter = "lock.afterMinutes"

// PrefTextSize is the app preference holding the text size factor.
const PrefTextSize = "ui.textSize"

// TextSize is one choice of the text-size setting.
type TextSize struct {
	Name   string
	Factor float32
}

// TextSizes are the text-size setting's choices, smallest first.
var TextSizes = []TextSize{{"Normal", 1}, {"Large", 1.2}, {"Larger", 1.4}, {"Largest", 1.7}}

// TextFactor is the text size factor saved in a's preferences (1 when
// none was chosen).
func TextFactor(a fyne.App) float32 {
	f := float32(a.Preferences().FloatWithFallback(PrefTextSize, 1))
	for _, s := range TextSizes {
		if s.Factor == f {
			return f
		}
	}
	return 1
}

// ApplyTheme sets Hearth's theme on a with the saved text size.
func ApplyTheme(a fyne.App) { a.Settings().SetTheme(NewThemeWithText(TextFactor(a))) }

// SetTextFactor saves a text size factor and applies it at once.
func SetTextFactor(a fyne.App, f float32) {
	a.Preferences().SetFloat(PrefTextSize, float64(f))
	ApplyTheme(a)
}
