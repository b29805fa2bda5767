package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/app/ui/start"
)

// Lock: "Lock now" (Ctrl+L) and lock after idle cover the window with the
// lock screen while Hearth keeps running; "Log out" closes the profile
// (the store and the keys go with it) and goes back to the unlock screen.

// idleCheckEvery is how often the idle time is looked at.
var idleCheckEvery = 15 * time.Second

// SetLauncher gives the window what locking needs: the launcher that
// checks the passphrase, and what logging out does.
func (mw *MainWindow) SetLauncher(l area.Launcher, onLogOut func()) {
	mw.launcher, mw.onLogOut = l, onLogOut
	if mw.CanLock() {
		mw.lockBtn.Show()
	}
}

// CanLock reports whether this profile can be locked: only a passphrase
// unlocks it again.
func (mw *MainWindow) CanLock() bool {
	if mw.launcher == nil {
		return false
	}
	exists, needsPass, err := mw.launcher.Exists()
	return err == nil && exists && needsPass
}

// Locked reports whether the lock screen is showing.
func (mw *MainWindow) Locked() bool { return mw.lock != nil }

// Lock covers the window with the lock screen. Dialogs close; call
// windows stay (a call goes on).
func (mw *MainWindow) Lock() {
	if mw.lock != nil || !mw.CanLock() {
		return
	}
	for mw.modal != nil || mw.escape != nil {
		mw.closeModal()
	}
	mw.hideNotice()
	mw.unlocked = mw.win.Content()
	mw.lock = start.NewLockScreen(mw.launcher, mw.do, mw.b.Me.MyName(), mw.unlock, mw.LogOut)
	mw.win.SetContent(mw.lock.Content)
	mw.win.Canvas().Focus(mw.lock.Pass)
}

func (mw *MainWindow) unlock() {
	if mw.lock == nil {
		return
	}
	mw.lock = nil
	mw.win.SetContent(mw.unlocked)
	mw.unlocked = nil
	mw.lastInput = time.Now()
	if mw.selected != "" {
		mw.win.Canvas().Focus(mw.chat.entry)
	}
}

// LogOut closes the profile and returns to the unlock screen: calls hang
// up, the store closes, and the key is dropped.
func (mw *MainWindow) LogOut() {
	if mw.onLogOut == nil {
		return
	}
	for _, cw := range mw.calls {
		cw.Close()
	}
	mw.onLogOut()
}

// lockAfter is the chosen idle time before locking (0: never).
func (mw *MainWindow) lockAfter() time.Duration {
	return time.Duration(mw.app.Preferences().Int(kit.PrefLockAfter)) * time.Minute
}

// watchIdle adds Ctrl+L and starts the goroutine that locks after the
// chosen idle time.
func (mw *MainWindow) watchIdle() {
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { mw.Lock() })
	mw.lastInput = time.Now()
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		t := time.NewTicker(idleCheckEvery)
		defer t.Stop()
		for {
			select {
			case <-mw.stop:
				return
			case <-t.C:
				mw.do(mw.lockIfIdle)
			}
		}
	}()
}

// lockIfIdle locks when nothing was typed or moved for the chosen time.
func (mw *MainWindow) lockIfIdle() {
	if d := mw.lockAfter(); d > 0 && time.Since(mw.lastInput) >= d {
		mw.Lock()
	}
}
