package ui

import "time"

// nearbyStopText is the Pair nearby button's text while this device is
// visible: "Stop · 15:04". It used to read "Visible until 15:04 · Stop",
// which made the button, and with it the whole sidebar, jump wider.
func nearbyStopText(until time.Time) string {
	if until.Year() >= 9999 {
		return "Stop"
	}
	return "Stop · " + untilText(until)
}
