package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// carryLabel is the settings' switch for store-and-forward.
const carryLabel = "Carry messages for my contacts while they are offline"

// carrySettings is the settings' section about carrying messages for
// contacts: a switch, saved at once, and what it means.
func carrySettings(mw *MainWindow) fyne.CanvasObject {
	errl := errorLabel()
	var check *widget.Check
	check = widget.NewCheck(carryLabel, func(on bool) {
		check.Disable()
		mw.background(func() error { return mw.b.SetCarryMessages(on) }, func(err error) {
			check.Enable()
			showError(errl, err)
			if err != nil {
				check.SetChecked(!on) // runs this callback again, harmlessly
			}
		})
	})
	check.Checked = mw.b.CarryMessages()
	about := caption("When two of your contacts are never online at the same time, Hearth can keep " +
		"their messages on this computer until the recipient appears. The messages are sealed: " +
		"you cannot read them. At most 16 MB per contact, kept for 14 days.")
	about.Wrapping = fyne.TextWrapWord
	return container.NewVBox(heading("Messages for others"), check, about, errl)
}
