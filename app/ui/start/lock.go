package start

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// LockScreen covers a running profile: messages still arrive, but nothing
// shows until the passphrase is typed. Log out from here closes the
// profile instead.
type LockScreen struct {
	l          area.Launcher
	do         func(func())
	onUnlocked func()

	Content fyne.CanvasObject
	Pass    *kit.EscEntry
	Unlock  *widget.Button
	LogOut  *widget.Button
	ErrText *widget.Label
	busy    *widget.ProgressBarInfinite
}

var errWrongPass = errors.New(lang.L("that passphrase is not right. Please try again"))

// NewLockScreen makes the lock screen for name's profile. onUnlocked runs
// on the UI goroutine once the passphrase was right; onLogOut when Log out
// is chosen.
func NewLockScreen(l area.Launcher, do func(func()), name string, onUnlocked, onLogOut func()) *LockScreen {
	s := &LockScreen{l: l, do: do, onUnlocked: onUnlocked, ErrText: kit.ErrorLabel()}
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Stop()
	s.busy.Hide()
	s.Pass = kit.NewEscPasswordEntry()
	s.Pass.SetPlaceHolder(lang.L("Passphrase"))
	s.Pass.OnSubmitted = func(string) { s.submit() }
	s.Unlock = widget.NewButtonWithIcon(lang.L("Unlock"), theme.LoginIcon(), s.submit)
	s.Unlock.Importance = widget.HighImportance
	s.LogOut = widget.NewButtonWithIcon(lang.L("Log out"), theme.LogoutIcon(), onLogOut)
	s.LogOut.Importance = widget.LowImportance
	scr := &Screen{}
	s.Content = scr.frame(lang.L("Hearth is locked"),
		kit.Wrapped(lang.L("Hearth is still running for {{.Name}}: messages and calls keep arriving. Type your passphrase to see them.", map[string]any{"Name": name})),
		s.Pass, s.ErrText, s.busy,
		container.NewHBox(s.LogOut, layout.NewSpacer(), s.Unlock),
	)
	return s
}

func (s *LockScreen) submit() {
	if s.Unlock.Disabled() {
		return
	}
	pass := s.Pass.Text
	s.Unlock.Disable()
	kit.ShowError(s.ErrText, nil)
	s.busy.Show()
	s.busy.Start()
	go func() {
		err := s.l.CheckPassphrase(pass)
		s.do(func() {
			s.Unlock.Enable()
			s.busy.Stop()
			s.busy.Hide()
			s.Pass.SetText("")
			switch {
			case err == nil:
				s.onUnlocked()
			case core.IsWrongPassphrase(err):
				kit.ShowError(s.ErrText, errWrongPass)
			default:
				kit.ShowError(s.ErrText, err)
			}
		})
	}()
}
