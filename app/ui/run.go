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
	s := Start(a, l, title, fyne.Do)
	s.w.SetMaster()
	s.w.CenterOnScreen()
	if !(startHidden && s.mw != nil) { // --background: hidden until the tray or a second launch opens it
		s.w.Show()
	}
	a.Run()
	s.Stop()
}

// Session is Hearth's one window from first launch on: the first-run or
// unlock screen, then the main window, and the unlock screen again after
// a log out. All its fields are used on the UI goroutine.
type Session struct {
	a     fyne.App
	l     area.Launcher
	w     fyne.Window
	do    func(func())
	mw    *MainWindow   // nil until a profile is open
	start *start.Screen // the last first-run or unlock screen
}

// Start makes the session's window (not shown yet) on its first screen.
// do runs a function on the UI goroutine (fyne.Do; a queue in tests).
func Start(a fyne.App, l area.Launcher, title string, do func(func())) *Session {
	a.SetIcon(kit.AppIcon)
	kit.ApplyTheme(a)
	s := &Session{a: a, l: l, do: do, w: a.NewWindow(title)}
	s.w.SetIcon(kit.AppIcon)
	s.showStart(true)
	return s
}

// Window is the session's window.
func (s *Session) Window() fyne.Window { return s.w }

// Stop ends the session when the app quits: a profile still opening is
// closed, the open one is closed after its calls hang up.
func (s *Session) Stop() {
	s.start.Quit()
	if s.mw != nil {
		running.Store(nil)
		rememberSize(s.a, s.w)
		s.mw.shutdown()
		s.mw = nil
	}
}

func (s *Session) showStart(first bool) {
	if s.start != nil {
		s.start.Quit()
	}
	s.start = start.NewScreen(s.l, s.do, s.open)
	switch {
	case s.start.Err != nil:
		s.w.SetContent(s.start.Content)
	case s.start.View == nil:
		s.open(s.start.Backend)
	default:
		s.w.SetContent(s.start.Content)
		if first {
			s.w.Resize(fyne.NewSize(520, 600))
		}
		s.w.Canvas().Focus(s.start.Focus)
	}
}

// open turns the window into the main window for an opened profile.
func (s *Session) open(b *area.Backend) {
	firstRun := s.start != nil && s.start.Name != nil
	s.mw = newMainWindow(s.a, s.w, b, s.do)
	s.mw.SetLauncher(s.l, s.logOut)
	s.w.Resize(WindowSize(s.a))
	s.w.CenterOnScreen()
	if !s.mw.takeStartInvite() && firstRun {
		// A new profile has nobody yet: adding someone is the one thing
		// to do, so the screen for it opens by itself.
		s.mw.ShowAddContact()
	}
}

// logOut closes the profile (store, keys) and goes back to the unlock
// screen.
func (s *Session) logOut() {
	rememberSize(s.a, s.w)
	mw := s.mw
	s.mw = nil
	running.Store(nil)
	mw.shutdown()
	s.showStart(false)
}
