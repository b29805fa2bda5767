package settings

import (
	"hearth/app/ui/area"
	"hearth/app/ui/kit"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// carryLabel is the settings' switch for store-and-forward.
const CarryLabel = "Carry messages for my contacts while they are offline"

// carryingText says how much this profile holds for others.
func carryingText(n int, size int64) string {
	if n == 1 {
		return lang.L("Now holding 1 sealed message ({{.Size}}) for your contacts.", map[string]any{"Size": kit.HumanSize(size)})
	}
	return lang.L("Now holding {{.Count}} sealed messages ({{.Size}}) for your contacts.", map[string]any{"Count": n, "Size": kit.HumanSize(size)})
}

// carrySettings is the settings' section about carrying messages for
// contacts: a switch, saved at once, and what it means.
func carrySettings(me area.MeBackend, background func(fn func() error, done func(error))) fyne.CanvasObject {
	errl := kit.ErrorLabel()
	var check *widget.Check
	check = widget.NewCheck(lang.L(CarryLabel), func(on bool) {
		check.Disable()
		background(func() error { return me.SetCarryMessages(on) }, func(err error) {
			check.Enable()
			kit.ShowError(errl, err)
			if err != nil {
				check.SetChecked(!on) // runs this callback again, harmlessly
			}
		})
	})
	check.Checked = me.CarryMessages()
	about := kit.Caption(lang.L("When two of your contacts are never online at the same time, Hearth can keep their messages on this computer until the recipient appears. The messages are sealed: you cannot read them. At most 16 MB per contact, kept for 14 days."))
	about.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(kit.Heading(lang.L("Messages for others")), check, about)
	if n, size, err := me.Carrying(); err == nil && n > 0 {
		box.Add(widget.NewLabel(carryingText(n, size)))
	}
	box.Add(errl)
	return box
}
