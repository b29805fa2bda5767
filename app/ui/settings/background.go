package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hearth/app/desktop"
	"hearth/app/ui/kit"
)

// Preferences (Fyne's, per user of this computer) of running in the
// background; the main window reads them when its window is closed.
const (
	// PrefKeepRunning: closing the window keeps Hearth running (default).
	PrefKeepRunning = "background.keep-running"
	// PrefToldBackground: the user was told once that closing the window
	// keeps Hearth running.
	PrefToldBackground = "background.told"
)

// Labels of the background section, shared with the main window's
// first-close notice.
const (
	KeepRunningLabel = "Keep Hearth running when I close the window"
	AutostartLabel   = "Start Hearth when I log in"
)

// KeepRunning reports whether closing the window keeps Hearth running.
func KeepRunning(p fyne.Preferences) bool { return p.BoolWithFallback(PrefKeepRunning, true) }

// backgroundSettings is the "Running in the background" section: keep
// running when the window closes, and start at login (an XDG autostart
// entry; the Run key on Windows).
func backgroundSettings(p fyne.Preferences) fyne.CanvasObject {
	errl := kit.ErrorLabel()
	keep := widget.NewCheck(KeepRunningLabel, func(on bool) {
		p.SetBool(PrefKeepRunning, on)
		p.SetBool(PrefToldBackground, true)
	})
	keep.Checked = KeepRunning(p)
	var login *widget.Check
	login = widget.NewCheck(AutostartLabel, func(on bool) {
		err := desktop.SetAutostart(on)
		kit.ShowError(errl, err)
		if err != nil {
			login.SetChecked(!on) // runs this callback again, harmlessly
		}
	})
	login.Checked = desktop.Autostart()
	about := kit.Caption("While Hearth runs in the background your contacts can call you and send you " +
		"messages. Open it from its icon in the tray (where your desktop has one) or by starting Hearth " +
		"again; quit it from the tray or with Ctrl+Q. When it starts at login it starts hidden.")
	about.Wrapping = fyne.TextWrapWord
	return container.NewVBox(kit.Heading("Running in the background"), keep, login, about, errl)
}
