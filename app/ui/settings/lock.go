package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
)

// lockChoices are the idle times offered before the window locks.
var lockChoices = []struct {
	name    string
	minutes int
}{{lang.L("Never"), 0}, {lang.L("After 5 minutes"), 5}, {lang.L("After 15 minutes"), 15}, {lang.L("After 1 hour"), 60}}

// LockSection is the Lock settings: lock after an idle time, lock now, log
// out. Without a passphrase there is nothing to lock with, and it says so.
type LockSection struct {
	root   fyne.CanvasObject
	After  *widget.Select
	Now    *widget.Button
	LogOut *widget.Button
}

func newLockSection(host Host, a fyne.App, close func()) *LockSection {
	s := &LockSection{}
	if !host.CanLock() {
		s.root = container.NewVBox(kit.Heading(lang.L("Lock")),
			kit.Wrapped(lang.L("Locking needs a passphrase, and this profile was made without one.")))
		return s
	}
	names := make([]string, len(lockChoices))
	for i, c := range lockChoices {
		names[i] = c.name
	}
	s.After = widget.NewSelect(names, func(name string) {
		for _, c := range lockChoices {
			if c.name == name {
				a.Preferences().SetInt(kit.PrefLockAfter, c.minutes)
			}
		}
	})
	current := a.Preferences().Int(kit.PrefLockAfter)
	s.After.Selected = names[0]
	for _, c := range lockChoices {
		if c.minutes == current {
			s.After.Selected = c.name
		}
	}
	s.Now = widget.NewButtonWithIcon(lang.L("Lock now (Ctrl+L)"), theme.VisibilityOffIcon(), func() { close(); host.Lock() })
	s.LogOut = widget.NewButtonWithIcon(lang.L("Log out"), theme.LogoutIcon(), func() { close(); host.LogOut() })
	s.root = container.NewVBox(kit.Heading(lang.L("Lock")),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Lock when I am away")), nil, s.After),
		kit.Wrapped(lang.L("Locked, Hearth keeps receiving messages and calls; your passphrase shows them. Log out closes your profile on this computer until the passphrase is typed again.")),
		container.NewHBox(s.Now, s.LogOut))
	return s
}
