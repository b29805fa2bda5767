package ui

import (
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	fynedesktop "fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
	"hearth/app/ui/settings"
)

// Running in the background: closing the main window hides it and Hearth
// stays online (the first time, it asks, and the choice can be changed in
// Settings); a tray icon (a StatusNotifierItem over D-Bus, where the
// desktop has a tray) opens it again or quits; a second launch brings it
// forward through the profile's control socket (main.go, app/cli).

// startHidden: Run starts with the window hidden (--background, as the
// autostart entry does), when the profile opens without a passphrase.
var startHidden bool

// StartInBackground makes Run start hidden, in the tray.
func StartInBackground() { startHidden = true }

// running is the main window once a profile is open, for Raise.
var running atomic.Pointer[MainWindow]

// Raise brings the running main window forward and opens link (a
// hearth: invite link, may be empty) in its add-contact dialog. It is
// safe to call from any goroutine; it does nothing before a profile is
// open.
func Raise(link string) {
	fyne.Do(func() {
		mw := running.Load()
		if mw == nil {
			return
		}
		mw.win.Show()
		mw.win.RequestFocus()
		if link != "" {
			mw.add.ShowAddContactWith(link)
		}
	})
}

// setupBackground gives the main window its tray icon, its quit shortcut
// and makes closing it hide it.
func (mw *MainWindow) setupBackground(a fyne.App) {
	running.Store(mw)
	quit := func() {
		rememberSize(a, mw.win)
		for _, cw := range mw.calls {
			cw.Close()
		}
		a.Quit()
	}
	mw.win.Canvas().AddShortcut(&fynedesktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { quit() })
	mw.tray = false
	if d, ok := a.(fynedesktop.App); ok && trayHost() {
		mw.tray = true
		open := fyne.NewMenuItem("Open Hearth", func() { Raise("") })
		pr, _ := mw.b.Me.Presence()
		mw.trayStatus = fyne.NewMenuItem(pr.String(), nil)
		mw.trayStatus.Disabled = true
		q := fyne.NewMenuItem("Quit Hearth", quit)
		q.IsQuit = true
		mw.trayMenu = fyne.NewMenu("Hearth", open, mw.trayStatus, fyne.NewMenuItemSeparator(), q)
		d.SetSystemTrayIcon(kit.AppIcon)
		d.SetSystemTrayMenu(mw.trayMenu)
	}
	mw.win.SetCloseIntercept(func() { mw.closeRequested(a, quit) })
}

// closeRequested hides the window when Hearth keeps running in the
// background, and otherwise quits. The first time it asks.
func (mw *MainWindow) closeRequested(a fyne.App, quit func()) {
	p := a.Preferences()
	if !p.Bool(settings.PrefToldBackground) {
		mw.askBackground(a, quit)
		return
	}
	if settings.KeepRunning(p) {
		rememberSize(a, mw.win)
		mw.win.Hide()
		return
	}
	quit()
}

// askBackground says, once, that closing the window keeps Hearth running,
// and lets the user quit instead.
func (mw *MainWindow) askBackground(a fyne.App, quit func()) {
	p := a.Preferences()
	where := "Start Hearth again to open this window."
	if mw.tray {
		where = "Its icon in the tray opens this window again, or quits Hearth."
	}
	msg := kit.Wrapped("Hearth keeps running in the background after you close this window, so your contacts " +
		"can still call you and send you messages. " + where + " You can change this in Settings.")
	d := dialog.NewCustomConfirm("Keep Hearth running?", "Keep running", "Quit Hearth",
		container.NewVBox(msg, widget.NewLabel("")), func(keep bool) {
			p.SetBool(settings.PrefToldBackground, true)
			p.SetBool(settings.PrefKeepRunning, keep)
			if keep {
				mw.win.Hide()
			} else {
				quit()
			}
		}, mw.win)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// setTrayStatus shows my presence in the tray menu.
func (mw *MainWindow) setTrayStatus(text string) {
	if !mw.tray || mw.trayStatus.Label == text {
		return
	}
	mw.trayStatus.Label = text
	mw.trayMenu.Refresh()
}

// RunMessage shows a small window with a message and a Close button, for
// a second launch that cannot reach the running Hearth. It returns when
// the window is closed.
func RunMessage(a fyne.App, heading, text string) {
	a.SetIcon(kit.AppIcon)
	a.Settings().SetTheme(kit.NewTheme())
	w := a.NewWindow("Hearth")
	body := container.NewVBox(kit.Heading(heading), kit.Wrapped(text),
		container.NewHBox(layout.NewSpacer(), widget.NewButton("Close", w.Close)))
	w.SetContent(container.NewPadded(body))
	w.Resize(fyne.NewSize(480, 0))
	w.CenterOnScreen()
	w.Show()
	a.Run()
}
