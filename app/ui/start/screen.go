package start

import (
	"errors"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// Screen is the first-run or unlock screen.
type Screen struct {
	l       area.Launcher
	do      func(func())
	onReady func(*area.Backend)
	wg      sync.WaitGroup // the goroutine running Create or Unlock
	mu      sync.Mutex     // guards quitting
	// quitting is set when the app quits; a profile that finishes opening
	// after that is closed at once.
	quitting bool

	Content fyne.CanvasObject
	Focus   fyne.Focusable
	View    fyne.CanvasObject // nil when the profile opened without asking
	Backend *area.Backend     // set when view is nil
	Err     error             // Exists or opening failed with no way to ask

	// first run
	Name, Pass, Confirm *kit.EscEntry
	Create              *widget.Button
	// unlock
	UnlockPass *kit.EscEntry
	Unlock     *widget.Button

	busy    *widget.ProgressBarInfinite
	ErrText *widget.Label
}

// NewScreen decides which screen to show. onReady runs on the UI
// goroutine with the opened backend.
func NewScreen(l area.Launcher, do func(func()), onReady func(*area.Backend)) *Screen {
	s := &Screen{l: l, do: do, onReady: onReady, ErrText: kit.ErrorLabel()}
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Stop()
	s.busy.Hide()
	exists, needsPass, err := l.Exists()
	switch {
	case err != nil:
		s.Err = err
		s.Content = s.frame(lang.L("Hearth cannot open your profile"),
			widget.NewLabel(lang.L("The profile folder could not be read:")), errorText(err))
	case !exists:
		s.View = s.firstRun()
	case needsPass:
		s.View = s.unlockView()
	default:
		b, err := l.Unlock("")
		if err != nil {
			s.Err = err
			s.Content = s.frame(lang.L("Hearth cannot open your profile"), errorText(err))
			return s
		}
		s.Backend = b
	}
	if s.View != nil {
		s.Content = s.View
	}
	return s
}

func errorText(err error) *widget.Label {
	l := kit.ErrorLabel()
	kit.ShowError(l, err)
	return l
}

// frame centres a card with the app icon and a title above the given rows.
func (s *Screen) frame(title string, rows ...fyne.CanvasObject) fyne.CanvasObject {
	icon := canvas.NewImageFromResource(kit.AppIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(88))
	t := widget.NewLabel(title)
	t.TextStyle.Bold = true
	t.SizeName = "headingText"
	t.Alignment = fyne.TextAlignCenter
	body := container.NewVBox(append([]fyne.CanvasObject{container.NewCenter(icon), t}, rows...)...)
	// A fixed-width column keeps wrapped text readable in a big window.
	col := container.New(&columnLayout{width: 400}, body)
	return container.NewPadded(container.NewVScroll(container.NewCenter(col)))
}

// columnLayout gives its objects one fixed width and their minimum height.
type columnLayout struct{ width float32 }

func (c *columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos((size.Width-c.width)/2, 0))
		o.Resize(fyne.NewSize(c.width, o.MinSize().Height))
	}
}

func (c *columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(c.width, h)
}

func (s *Screen) firstRun() fyne.CanvasObject {
	s.Name = kit.NewEscEntry(false)
	s.Name.SetPlaceHolder(lang.L("Your name, as your contacts will see it"))
	s.Pass = kit.NewEscPasswordEntry()
	s.Pass.SetPlaceHolder(lang.L("Passphrase (optional)"))
	s.Confirm = kit.NewEscPasswordEntry()
	s.Confirm.SetPlaceHolder(lang.L("Type the passphrase again"))
	s.Create = widget.NewButton(lang.L("Create profile"), s.submitCreate)
	s.Create.Importance = widget.HighImportance
	s.Name.OnSubmitted = func(string) { s.submitCreate() }
	s.Pass.OnSubmitted = func(string) { s.submitCreate() }
	s.Confirm.OnSubmitted = func(string) { s.submitCreate() }
	s.Focus = s.Name

	passHelp := kit.Caption(lang.L("The passphrase encrypts your messages on this computer. Hearth cannot recover it: if you forget it, this history is lost. Leave it empty if nobody else uses this computer."))
	passHelp.Wrapping = fyne.TextWrapWord

	return s.frame(lang.L("Welcome to Hearth"),
		kit.Wrapped(lang.L("Chat and video calls straight to the people you know — no account, no server in the middle.")),
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Display name"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.Name,
		widget.NewLabelWithStyle(lang.L("Passphrase"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.Pass, s.Confirm, passHelp,
		s.ErrText,
		s.busy,
		container.NewHBox(layout.NewSpacer(), s.Create),
	)
}

func (s *Screen) unlockView() fyne.CanvasObject {
	s.UnlockPass = kit.NewEscPasswordEntry()
	s.UnlockPass.SetPlaceHolder(lang.L("Passphrase"))
	s.UnlockPass.OnSubmitted = func(string) { s.submitUnlock() }
	s.Unlock = widget.NewButton(lang.L("Unlock"), s.submitUnlock)
	s.Unlock.Importance = widget.HighImportance
	s.Focus = s.UnlockPass
	return s.frame(lang.L("Welcome back"),
		kit.Wrapped(lang.L("Your Hearth profile on this computer is locked. Enter your passphrase to open it.")),
		s.UnlockPass,
		s.ErrText,
		s.busy,
		container.NewHBox(layout.NewSpacer(), s.Unlock),
	)
}

var errNameMissing = errors.New(lang.L("please enter a name your contacts will recognise"))
var errPassMismatch = errors.New(lang.L("the two passphrases are not the same"))

func (s *Screen) submitCreate() {
	if s.Create.Disabled() {
		return
	}
	name := strings.TrimSpace(s.Name.Text)
	if name == "" {
		kit.ShowError(s.ErrText, errNameMissing)
		return
	}
	if s.Pass.Text != s.Confirm.Text {
		kit.ShowError(s.ErrText, errPassMismatch)
		return
	}
	pass := s.Pass.Text
	s.setBusy(true)
	s.run(func() (*area.Backend, error) { return s.l.Create(name, pass) })
}

func (s *Screen) submitUnlock() {
	if s.Unlock.Disabled() {
		return
	}
	pass := s.UnlockPass.Text
	s.setBusy(true)
	s.run(func() (*area.Backend, error) { return s.l.Unlock(pass) })
}

// run opens the profile off the UI goroutine: the key derivation takes a
// noticeable moment and the window must stay responsive.
func (s *Screen) run(open func() (*area.Backend, error)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		b, err := open()
		s.mu.Lock()
		quitting := s.quitting
		s.mu.Unlock()
		if quitting {
			// The app quit while the profile was opening: close it
			// cleanly instead of handing it to a window that is gone.
			if b != nil {
				b.Close()
			}
			return
		}
		s.do(func() {
			s.setBusy(false)
			if err != nil {
				s.failed(err)
				return
			}
			s.onReady(b)
		})
	}()
}

func (s *Screen) failed(err error) {
	if s.UnlockPass != nil && core.IsWrongPassphrase(err) {
		kit.ShowError(s.ErrText, errors.New(lang.L("that passphrase is not right. Please try again")))
		s.UnlockPass.SetText("")
		return
	}
	kit.ShowError(s.ErrText, err)
}

func (s *Screen) setBusy(busy bool) {
	for _, b := range []*widget.Button{s.Create, s.Unlock} {
		if b == nil {
			continue
		}
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if busy {
		kit.ShowError(s.ErrText, nil)
		s.busy.Show()
		s.busy.Start()
	} else {
		s.busy.Stop()
		s.busy.Hide()
	}
}

// Quit is for when the app quits: a profile that finishes opening after
// this is closed at once. It waits for a Create or Unlock still running.
func (s *Screen) Quit() {
	s.mu.Lock()
	s.quitting = true
	s.mu.Unlock()
	s.wg.Wait()
}
