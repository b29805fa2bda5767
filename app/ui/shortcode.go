package ui

import (
	"context"
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// shortCodeDialog pairs by a short spoken code, in one of two modes: I show
// a code and wait for the other person to type it, or I type theirs.
type shortCodeDialog struct {
	mw     *MainWindow
	pairer area.Pairer
	d      *dialog.CustomDialog
	show   bool // showing my code (else: entering theirs)

	// showing a code
	code     string // the code shown, "" when none is open
	codeText *canvas.Text
	waiting  *widget.ProgressBarInfinite
	status   *widget.Label
	again    *widget.Button

	// entering a code
	entry  *kit.EscEntry
	pair   *widget.Button
	cancel context.CancelFunc // stops a running PairWithCode

	err *widget.Label
}

var errNoShortCode = errors.New("type the code the other person reads out, like 7-orbit-maple-sugar")

// ShowGetShortCode opens the dialog that shows a fresh short code.
func (mw *MainWindow) ShowGetShortCode() { mw.showShortCode(true) }

// ShowEnterShortCode opens the dialog to type someone's short code.
func (mw *MainWindow) ShowEnterShortCode() { mw.showShortCode(false) }

// shortCodeButtons are the add-contact dialog's way into this one.
func (a *addContactDialog) shortCodeButtons() fyne.CanvasObject {
	get := widget.NewButtonWithIcon("Get a short code", theme.VisibilityIcon(), func() {
		a.close()
		a.mw.showShortCode(true)
	})
	enter := widget.NewButtonWithIcon("Enter a code", theme.LoginIcon(), func() {
		a.close()
		a.mw.showShortCode(false)
	})
	return container.NewVBox(kit.Heading("Pair by a short code"),
		kit.Wrapped("Sitting together or on the phone? One of you gets a code of a few words, the other types it in."),
		container.NewHBox(get, enter))
}

func (mw *MainWindow) showShortCode(show bool) *shortCodeDialog {
	s := &shortCodeDialog{mw: mw, pairer: mw.b.Contacts, show: show, err: kit.ErrorLabel()}
	var content fyne.CanvasObject
	buttons := []fyne.CanvasObject{widget.NewButton("Close", s.close)}
	title := "Enter a code"
	if show {
		title = "Your pairing code"
		content = s.buildShow()
		buttons = []fyne.CanvasObject{widget.NewButton("Cancel", s.close), s.again}
	} else {
		content = s.buildEnter()
		buttons = append(buttons, s.pair)
	}
	s.d = dialog.NewCustomWithoutButtons(title, content, mw.win)
	s.d.SetButtons(buttons)
	s.d.Resize(fyne.NewSize(520, 0))
	mw.shortCode = s
	mw.ShowModal(s.d, s.close)
	if show {
		s.newCode()
	} else {
		mw.win.Canvas().Focus(s.entry)
	}
	return s
}

func (s *shortCodeDialog) buildShow() fyne.CanvasObject {
	s.codeText = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.codeText.TextSize = 2.2 * theme.TextSize()
	s.codeText.TextStyle = fyne.TextStyle{Bold: true}
	s.codeText.Alignment = fyne.TextAlignCenter
	s.waiting = widget.NewProgressBarInfinite()
	s.status = kit.Wrapped("")
	s.again = widget.NewButtonWithIcon("New code", theme.ViewRefreshIcon(), s.newCode)
	s.again.Hide()
	return container.NewVBox(
		kit.Wrapped("Read this code out to the other person, or show it to them. "+
			"They choose “Enter a code” and type it. It works once, for ten minutes."),
		container.NewPadded(s.codeText),
		s.waiting, s.status, s.err,
	)
}

func (s *shortCodeDialog) buildEnter() fyne.CanvasObject {
	s.entry = kit.NewEscEntry(false)
	s.entry.SetPlaceHolder("e.g. 7-orbit-maple-sugar")
	s.entry.OnEscape = s.close
	s.entry.OnSubmitted = func(string) { s.submit() }
	s.pair = widget.NewButtonWithIcon("Pair", theme.ConfirmIcon(), s.submit)
	s.pair.Importance = widget.HighImportance
	s.waiting = widget.NewProgressBarInfinite()
	s.waiting.Stop()
	s.waiting.Hide()
	return container.NewVBox(
		kit.Wrapped("Type the code the other person reads out: a number and three words. "+
			"Capitals and spaces do not matter."),
		s.entry, s.waiting, s.err,
	)
}

// newCode asks for a fresh code and waits with it.
func (s *shortCodeDialog) newCode() {
	kit.ShowError(s.err, nil)
	s.again.Hide()
	s.codeText.Text = "…"
	s.codeText.Color = theme.Color(theme.ColorNameForeground)
	s.codeText.Refresh()
	s.setStatus("Getting a code…", true)
	var code string
	s.mw.Background(func() (err error) {
		code, err = s.pairer.NewPairingCode()
		return err
	}, func(err error) {
		if s.mw.shortCode != s {
			// Closed meanwhile: nobody shows this code, so nobody may use it.
			if err == nil {
				s.mw.Background(func() error { s.pairer.CancelPairingCode(); return nil }, nil)
			}
			return
		}
		if err != nil {
			s.codeText.Text = ""
			s.codeText.Refresh()
			s.setStatus("", false)
			kit.ShowError(s.err, err)
			s.again.Show()
			return
		}
		s.code = code
		s.codeText.Text = code
		s.codeText.Refresh()
		s.setStatus("Waiting for the other person to type it…", true)
	})
}

func (s *shortCodeDialog) setStatus(text string, busy bool) {
	s.status.SetText(text)
	if busy {
		s.waiting.Show()
		s.waiting.Start()
	} else {
		s.waiting.Stop()
		s.waiting.Hide()
	}
}

// submit starts pairing with the typed code.
func (s *shortCodeDialog) submit() {
	if s.pair.Disabled() {
		return
	}
	code := strings.TrimSpace(s.entry.Text)
	if code == "" {
		kit.ShowError(s.err, errNoShortCode)
		return
	}
	kit.ShowError(s.err, nil)
	s.pair.Disable()
	s.pair.SetText("Looking…")
	s.waiting.Show()
	s.waiting.Start()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	var name string
	s.mw.Background(func() (err error) { name, err = s.pairer.PairWithCode(ctx, code); return err }, func(err error) {
		cancel()
		if s.mw.shortCode != s {
			return
		}
		s.cancel = nil
		s.waiting.Stop()
		s.waiting.Hide()
		s.pair.Enable()
		s.pair.SetText("Pair")
		if err != nil {
			kit.ShowError(s.err, err)
			return
		}
		if name = strings.TrimSpace(name); name == "" {
			s.finish("Paired: you can chat now.")
			return
		}
		s.finish("Paired with " + name + ": you can chat now.")
	})
}

// pairingEvent handles the core's pairing events while the dialog shows
// my code.
func (mw *MainWindow) pairingEvent(ev event.Event) {
	s := mw.shortCode
	switch e := ev.(type) {
	case event.PairingSucceeded:
		if s != nil && s.show && s.code == e.Code {
			s.code = ""
			s.finish("Paired with " + kit.DisplayName(e.Name, e.PeerID) + ": you can chat now.")
		}
	case event.PairingFailed:
		if s != nil && s.show && s.code == e.Code {
			s.code = ""
			s.setStatus("", false)
			s.codeText.Color = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
			s.codeText.Refresh()
			kit.ShowError(s.err, errors.New(e.Reason))
			s.again.Show()
		}
	}
}

// finish closes the dialog after a pairing and says so.
func (s *shortCodeDialog) finish(notice string) {
	s.code = ""
	s.close()
	s.mw.ShowNotice(notice)
}

// close ends whatever runs: the code shown is cancelled, a search stops.
func (s *shortCodeDialog) close() {
	if s.mw.shortCode == s {
		s.mw.shortCode = nil
	}
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if s.show && s.code != "" {
		s.code = ""
		s.mw.Background(func() error { s.pairer.CancelPairingCode(); return nil }, nil)
	}
	if s.waiting != nil {
		s.waiting.Stop()
	}
	s.mw.HideModal(s.d)
}
