package ui

import (
	"fyne.io/fyne/v2"

	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/app/ui/start"
)

// Run shows Hearth's first window and runs the app until it quits. The
// window starts as the first-run screen (no profile yet), the unlock screen
// (a profile with a passphrase) or the main window directly (a profile
// without one), and becomes the main window once a profile is open. When the
// app quits, Run closes the backend before it returns.
//
// main.go calls it with app.NewWithID("org.hearth.Hearth").
func Run(a fyne.App, l area.Launcher, title string) {
	a.SetIcon(kit.AppIcon)
	a.Settings().SetTheme(kit.NewTheme())
	w := a.NewWindow(title)
	w.SetIcon(kit.AppIcon)
	w.SetMaster()

	var mw *MainWindow
	open := func(b *area.Backend) {
		mw = newMainWindow(a, w, b, fyne.Do)
		w.Resize(fyne.NewSize(1000, 680))
		w.CenterOnScreen()
		mw.takeStartInvite() // a hearth: link from the command line
	}
	s := start.NewScreen(l, fyne.Do, open)
	switch {
	case s.Err != nil:
		w.SetContent(s.Content)
	case s.View == nil:
		open(s.Backend)
	default:
		w.SetContent(s.Content)
		w.Resize(fyne.NewSize(520, 600))
		w.Canvas().Focus(s.Focus)
	}
	w.CenterOnScreen()
	if !(startHidden && mw != nil) { // --background: hidden until the tray or a second launch opens it
		w.Show()
	}
	a.Run()
	s.Quit()
	if mw != nil {
		running.Store(nil)
		mw.shutdown()
	}
}
