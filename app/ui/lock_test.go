package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"hearth/app/ui/kit"
	"hearth/app/ui/uitest"
)

var ctrlL = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}

func newLockableMain(t *testing.T) (*MainWindow, *fakeLauncher, *int, uitest.Queue) {
	t.Helper()
	mw, _, q := newTestMain(t)
	l := &fakeLauncher{exists: true, needsPass: true, pass: "sunflower"}
	logouts := 0
	mw.SetLauncher(l, func() { logouts++ })
	return mw, l, &logouts, q
}

func TestLockNowHidesEverythingUntilThePassphrase(t *testing.T) {
	mw, _, _, q := newLockableMain(t)
	mw.OpenConversation("peer-bob")
	mw.chat.entry.SetText("a draft")
	c := mw.win.Canvas()
	c.Focus(mw.chat.entry)
	typeShortcut(t, c, ctrlL) // typed while writing a message
	if !mw.Locked() {
		t.Fatal("Ctrl+L in the message entry did not lock")
	}
	for _, secret := range []string{"Bob", "Cleo", "Sunday", "a draft"} {
		if uitest.HasText(mw.win.Content(), secret) {
			t.Errorf("%q shows on the lock screen", secret)
		}
	}
	if c.Focused() != mw.lock.Pass {
		t.Error("the passphrase field does not have the focus")
	}
	lock := mw.lock
	test.Type(lock.Pass, "tulip")
	enter(lock.Pass)
	q.WaitFor(t, "the error", func() bool { return lock.ErrText.Visible() })
	if !strings.Contains(lock.ErrText.Text, "not right") || !mw.Locked() {
		t.Fatalf("wrong passphrase: error %q, locked %v", lock.ErrText.Text, mw.Locked())
	}
	test.Type(lock.Pass, "sunflower")
	test.Tap(lock.Unlock)
	q.WaitFor(t, "unlocked", func() bool { return !mw.Locked() })
	if !uitest.HasText(mw.win.Content(), "Sunday") || mw.chat.entry.Text != "a draft" {
		t.Error("the conversation and the draft did not come back")
	}
}

func TestLockClosesDialogs(t *testing.T) {
	mw, _, _, _ := newLockableMain(t)
	mw.ShowAddContact()
	mw.Lock()
	if mw.modal != nil || mw.win.Canvas().Overlays().Top() != nil {
		t.Error("a dialog stayed over the lock screen")
	}
}

func TestLockAfterIdle(t *testing.T) {
	mw, _, _, _ := newLockableMain(t)
	mw.lastInput = time.Now().Add(-6 * time.Minute)
	mw.lockIfIdle()
	if mw.Locked() {
		t.Fatal("locked although the setting is Never")
	}
	d := mw.showSettings()
	d.Lock.After.SetSelected("After 5 minutes")
	d.Close()
	if got := mw.app.Preferences().Int(kit.PrefLockAfter); got != 5 {
		t.Fatalf("lock after = %d minutes", got)
	}
	mw.lastInput = time.Now().Add(-4 * time.Minute)
	mw.lockIfIdle()
	if mw.Locked() {
		t.Fatal("locked after 4 minutes")
	}
	mw.lastInput = time.Now().Add(-6 * time.Minute)
	mw.lockIfIdle()
	if !mw.Locked() {
		t.Fatal("not locked after 6 idle minutes")
	}
}

func TestLogOutFromSettingsAndLockScreen(t *testing.T) {
	mw, _, logouts, _ := newLockableMain(t)
	d := mw.showSettings()
	test.Tap(d.Lock.LogOut)
	if *logouts != 1 || mw.modal != nil {
		t.Fatalf("log out ran %d times, settings open %v", *logouts, mw.modal != nil)
	}
	mw.Lock()
	test.Tap(mw.lock.LogOut)
	if *logouts != 2 {
		t.Fatal("Log out on the lock screen did nothing")
	}
}

func TestNoLockWithoutPassphrase(t *testing.T) {
	mw, _, _ := newTestMain(t)
	mw.SetLauncher(&fakeLauncher{exists: true}, func() {})
	mw.Lock()
	if mw.Locked() || mw.lockBtn.Visible() {
		t.Error("a profile without a passphrase locked, or offers to")
	}
	mw.showSettings()
	if !uitest.HasText(top(mw), "needs a passphrase") {
		t.Errorf("settings do not say why there is no lock: %q", uitest.Texts(top(mw)))
	}
}
