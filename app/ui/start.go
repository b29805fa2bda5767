package ui

import (
	"errors"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/app/ui/kit"
)

// Run shows Hearth's first window and runs the app until it quits. The
// window starts as the first-run screen (no profile yet), the unlock screen
// (a profile with a passphrase) or the main window directly (a profile
// without one), and becomes the main window once a profile is open. When the
// app quits, Run closes the backend before it returns.
//
// main.go calls it with app.NewWithID("org.hearth.Hearth").
func Run(a fyne.App, l Launcher, title string) {
	a.SetIcon(kit.AppIcon)
	a.Settings().SetTheme(kit.NewTheme())
	w := a.NewWindow(title)
	w.SetIcon(kit.AppIcon)
	w.SetMaster()

	var mw *MainWindow
	open := func(b *Backend) {
		mw = newMainWindow(a, w, b, fyne.Do)
		w.Resize(fyne.NewSize(1000, 680))
		w.CenterOnScreen()
		mw.takeStartInvite() // a hearth: link from the command line
	}
	s := newStartScreen(l, fyne.Do, open)
	switch {
	case s.err != nil:
		w.SetContent(s.content)
	case s.view == nil:
		open(s.backend)
	default:
		w.SetContent(s.content)
		w.Resize(fyne.NewSize(520, 600))
		w.Canvas().Focus(s.focus)
	}
	w.CenterOnScreen()
	w.Show()
	a.Run()
	s.mu.Lock()
	s.quitting = true
	s.mu.Unlock()
	s.wg.Wait()
	if mw != nil {
		mw.shutdown()
	}
}

// startScreen is the first-run or unlock screen.
type startScreen struct {
	l       Launcher
	do      func(func())
	onReady func(*Backend)
	wg      sync.WaitGroup // the goroutine running Create or Unlock
	mu      sync.Mutex     // guards quitting
	// quitting is set when the app quits; a profile that finishes opening
	// after that is closed at once.
	quitting bool

	content fyne.CanvasObject
	focus   fyne.Focusable
	view    fyne.CanvasObject // nil when the profile opened without asking
	backend *Backend          // set when view is nil
	err     error             // Exists or opening failed with no way to ask

	// first run
	name, pass, confirm *kit.EscEntry
	create              *widget.Button
	// unlock
	unlockPass *kit.EscEntry
	unlock     *widget.Button

	busy    *widget.ProgressBarInfinite
	errText *widget.Label
}

// newStartScreen decides which screen to show. onReady runs on the UI
// goroutine with the opened backend.
func newStartScreen(l Launcher, do func(func()), onReady func(*Backend)) *startScreen {
	s := &startScreen{l: l, do: do, onReady: onReady, errText: kit.ErrorLabel()}
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Stop()
	s.busy.Hide()
	exists, needsPass, err := l.Exists()
	switch {
	case err != nil:
		s.err = err
		s.content = s.frame("Hearth cannot open your profile",
			widget.NewLabel("The profile folder could not be read:"), errorText(err))
	case !exists:
		s.view = s.firstRun()
	case needsPass:
		s.view = s.unlockView()
	default:
		b, err := l.Unlock("")
		if err != nil {
			s.err = err
			s.content = s.frame("Hearth cannot open your profile", errorText(err))
			return s
		}
		s.backend = b
	}
	if s.view != nil {
		s.content = s.view
	}
	return s
}

func errorText(err error) *widget.Label {
	l := kit.ErrorLabel()
	kit.ShowError(l, err)
	return l
}

// frame centres a card with the app icon and a title above the given rows.
func (s *startScreen) frame(title string, rows ...fyne.CanvasObject) fyne.CanvasObject {
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

func (s *startScreen) firstRun() fyne.CanvasObject {
	s.name = kit.NewEscEntry(false)
	s.name.SetPlaceHolder("Your name, as your contacts will see it")
	s.pass = kit.NewEscPasswordEntry()
	s.pass.SetPlaceHolder("Passphrase (optional)")
	s.confirm = kit.NewEscPasswordEntry()
	s.confirm.SetPlaceHolder("Type the passphrase again")
	s.create = widget.NewButton("Create profile", s.submitCreate)
	s.create.Importance = widget.HighImportance
	s.name.OnSubmitted = func(string) { s.submitCreate() }
	s.pass.OnSubmitted = func(string) { s.submitCreate() }
	s.confirm.OnSubmitted = func(string) { s.submitCreate() }
	s.focus = s.name

	passHelp := kit.Caption("The passphrase encrypts your messages on this computer. " +
		"Hearth cannot recover it: if you forget it, this history is lost. " +
		"Leave it empty if nobody else uses this computer.")
	passHelp.Wrapping = fyne.TextWrapWord

	return s.frame("Welcome to Hearth",
		kit.Wrapped("Chat and video calls straight to the people you know — no account, no server in the middle."),
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Display name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.name,
		widget.NewLabelWithStyle("Passphrase", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.pass, s.confirm, passHelp,
		s.errText,
		s.busy,
		container.NewHBox(layout.NewSpacer(), s.create),
	)
}

func (s *startScreen) unlockView() fyne.CanvasObject {
	s.unlockPass = kit.NewEscPasswordEntry()
	s.unlockPass.SetPlaceHolder("Passphrase")
	s.unlockPass.OnSubmitted = func(string) { s.submitUnlock() }
	s.unlock = widget.NewButton("Unlock", s.submitUnlock)
	s.unlock.Importance = widget.HighImportance
	s.focus = s.unlockPass
	return s.frame("Welcome back",
		kit.Wrapped("Your Hearth profile on this computer is locked. Enter your passphrase to open it."),
		s.unlockPass,
		s.errText,
		s.busy,
		container.NewHBox(layout.NewSpacer(), s.unlock),
	)
}

var errNameMissing = errors.New("please enter a name your contacts will recognise")
var errPassMismatch = errors.New("the two passphrases are not the same")

func (s *startScreen) submitCreate() {
	if s.create.Disabled() {
		return
	}
	name := strings.TrimSpace(s.name.Text)
	if name == "" {
		kit.ShowError(s.errText, errNameMissing)
		return
	}
	if s.pass.Text != s.confirm.Text {
		kit.ShowError(s.errText, errPassMismatch)
		return
	}
	pass := s.pass.Text
	s.setBusy(true)
	s.run(func() (*Backend, error) { return s.l.Create(name, pass) })
}

func (s *startScreen) submitUnlock() {
	if s.unlock.Disabled() {
		return
	}
	pass := s.unlockPass.Text
	s.setBusy(true)
	s.run(func() (*Backend, error) { return s.l.Unlock(pass) })
}

// run opens the profile off the UI goroutine: the key derivation takes a
// noticeable moment and the window must stay responsive.
func (s *startScreen) run(open func() (*Backend, error)) {
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

func (s *startScreen) failed(err error) {
	if s.unlockPass != nil && core.IsWrongPassphrase(err) {
		kit.ShowError(s.errText, errors.New("that passphrase is not right. Please try again"))
		s.unlockPass.SetText("")
		return
	}
	kit.ShowError(s.errText, err)
}

func (s *startScreen) setBusy(busy bool) {
	for _, b := range []*widget.Button{s.create, s.unlock} {
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
		kit.ShowError(s.errText, nil)
		s.busy.Show()
		s.busy.Start()
	} else {
		s.busy.Stop()
		s.busy.Hide()
	}
}
