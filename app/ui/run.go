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
	kit.ApplyTheme(a)
	w := a.NewWindow(title)
	w.SetIcon(kit.AppIcon)
	w.SetMaster()

	var mw *MainWindow
	var s *start.Screen
	var showStart func(first bool)
	open := func(b *area.Backend) {
		mw = newMainWindow(a, w, b, fyne.Do)
		mw.SetLauncher(l, func() {
			// Log out: the profile closes (store, keys), and the window
			// goes back to the unlock screen.
			rememberSize(a, w)
			old := mw
			mw = nil
			old.shutdown()
			showStart(false)
		})
		w.Resize(WindowSize(a))
		w.CenterOnScreen()
		if !mw.takeStartInvite() && s != nil && s.Name != nil {
			// A new profile has nobody yet: adding someone is the one
			// thing to do, so the screen for it opens by itself.
			mw.ShowAddContact()
		}
	}
	showStart = func(first bool) {
		if s != nil {
			s.Quit()
		}
		s = start.NewScreen(l, fyne.Do, open)
		switch {
		case s.Err != nil:
			w.SetContent(s.Content)
		case s.View == nil:
			open(s.Backend)
		default:
			w.SetContent(s.Content)
			if first {
				w.Resize(fyne.NewSize(520, 600))
			}
			w.Canvas().Focus(s.Focus)
		}
	}
	showStart(true)
	w.CenterOnScreen()
	w.Show()
	a.Run()
	s.Quit()
	if mw != nil {
		rememberSize(a, w)
		mw.shutdown()
	}
}
