package ui

import (
	"time"

	"fyne.io/fyne/v2/lang"
)

// nearbyStopText is the Pair nearby button's text while this device is
// visible: "Stop · 15:04". It used to read "Visible until 15:04 · Stop",
// which made the button, and with it the whole sidebar, jump wider.
func nearbyStopText(until time.Time) string {
	if until.Year() >= 9999 {
		return lang.L("Stop")
	}
	return lang.L("Stop · {{.Until}}", map[string]any{"Until": untilText(until)})
}
