package addcontact

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
	mw     *Dialogs
	pairer area.Pairer
	Dialog *dialog.CustomDialog
	Show   bool // showing my code (else: entering theirs)

	// showing a code
	Code     string // the code shown, "" when none is open
	CodeText *canvas.Text
	Waiting  *widget.ProgressBarInfinite
	status   *widget.Label
	again    *widget.Button

	// entering a code
	Entry  *kit.EscEntry
	Pair   *widget.Button
	cancel context.CancelFunc // stops a running PairWithCode

	Err *widget.Label
}

var errNoShortCode = errors.New("type the code the other person reads out, like 7-orbit-maple-sugar")

// shortCodeButtons are the add-contact dialog's way into this one.
func (a *addContactDialog) shortCodeButtons() fyne.CanvasObject {
	get := widget.NewButtonWithIcon("Get a short code", theme.VisibilityIcon(), func() {
		a.close()
		a.mw.ShowShortCode(true)
	})
	enter := widget.NewButtonWithIcon("Enter a code", theme.LoginIcon(), func() {
		a.close()
		a.mw.ShowShortCode(false)
	})
	return container.NewVBox(kit.Heading("Pair by a short code"),
		kit.Wrapped("Sitting together or on the phone? One of you gets a code of a few words, the other types it in."),
		container.NewHBox(get, enter))
}

// ShowShortCode opens the dialog that shows a fresh short code (show), or
// the one to type someone's.
func (mw *Dialogs) ShowShortCode(show bool) *shortCodeDialog {
	s := &shortCodeDialog{mw: mw, pairer: mw.contacts, Show: show, Err: kit.ErrorLabel()}
	var content fyne.CanvasObject
	buttons := []fyne.CanvasObject{widget.NewButton("Close", s.Close)}
	title := "Enter a code"
	if show {
		title = "Your pairing code"
		content = s.buildShow()
		buttons = []fyne.CanvasObject{widget.NewButton("Cancel", s.Close), s.again}
	} else {
		content = s.buildEnter()
		buttons = append(buttons, s.Pair)
	}
	s.Dialog = dialog.NewCustomWithoutButtons(title, content, mw.Window())
	s.Dialog.SetButtons(buttons)
	s.Dialog.Resize(fyne.NewSize(520, 0))
	mw.ShortCode = s
	mw.ShowModal(s.Dialog, s.Close)
	if show {
		s.newCode()
	} else {
		mw.Window().Canvas().Focus(s.Entry)
	}
	return s
}

func (s *shortCodeDialog) buildShow() fyne.CanvasObject {
	s.CodeText = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.CodeText.TextSize = 2.2 * theme.TextSize()
	s.CodeText.TextStyle = fyne.TextStyle{Bold: true}
	s.CodeText.Alignment = fyne.TextAlignCenter
	s.Waiting = widget.NewProgressBarInfinite()
	s.status = kit.Wrapped("")
	s.again = widget.NewButtonWithIcon("New code", theme.ViewRefreshIcon(), s.newCode)
	s.again.Hide()
	return container.NewVBox(
		kit.Wrapped("Read this code out to the other person, or show it to them. "+
			"They choose “Enter a code” and type it. It works once, for ten minutes."),
		container.NewPadded(s.CodeText),
		s.Waiting, s.status, s.Err,
	)
}

func (s *shortCodeDialog) buildEnter() fyne.CanvasObject {
	s.Entry = kit.NewEscEntry(false)
	s.Entry.SetPlaceHolder("e.g. 7-orbit-maple-sugar")
	s.Entry.OnEscape = s.Close
	s.Entry.OnSubmitted = func(string) { s.submit() }
	s.Pair = widget.NewButtonWithIcon("Pair", theme.ConfirmIcon(), s.submit)
	s.Pair.Importance = widget.HighImportance
	s.Waiting = widget.NewProgressBarInfinite()
	s.Waiting.Stop()
	s.Waiting.Hide()
	return container.NewVBox(
		kit.Wrapped("Type the code the other person reads out: a number and three words. "+
			"Capitals and spaces do not matter."),
		s.Entry, s.Waiting, s.Err,
	)
}

// newCode asks for a fresh code and waits with it.
func (s *shortCodeDialog) newCode() {
	kit.ShowError(s.Err, nil)
	s.again.Hide()
	s.CodeText.Text = "…"
	s.CodeText.Color = theme.Color(theme.ColorNameForeground)
	s.CodeText.Refresh()
	s.setStatus("Getting a code…", true)
	var code string
	s.mw.Background(func() (err error) {
		code, err = s.pairer.NewPairingCode()
		return err
	}, func(err error) {
		if s.mw.ShortCode != s {
			// Closed meanwhile: nobody shows this code, so nobody may use it.
			if err == nil {
				s.mw.Background(func() error { s.pairer.CancelPairingCode(); return nil }, nil)
			}
			return
		}
		if err != nil {
			s.CodeText.Text = ""
			s.CodeText.Refresh()
			s.setStatus("", false)
			kit.ShowError(s.Err, err)
			s.again.Show()
			return
		}
		s.Code = code
		s.CodeText.Text = code
		s.CodeText.Refresh()
		s.setStatus("Waiting for the other person to type it…", true)
	})
}

func (s *shortCodeDialog) setStatus(text string, busy bool) {
	s.status.SetText(text)
	if busy {
		s.Waiting.Show()
		s.Waiting.Start()
	} else {
		s.Waiting.Stop()
		s.Waiting.Hide()
	}
}

// submit starts pairing with the typed code.
func (s *shortCodeDialog) submit() {
	if s.Pair.Disabled() {
		return
	}
	code := strings.TrimSpace(s.Entry.Text)
	if code == "" {
		kit.ShowError(s.Err, errNoShortCode)
		return
	}
	kit.ShowError(s.Err, nil)
	s.Pair.Disable()
	s.Pair.SetText("Looking…")
	s.Waiting.Show()
	s.Waiting.Start()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	var name string
	s.mw.Background(func() (err error) { name, err = s.pairer.PairWithCode(ctx, code); return err }, func(err error) {
		cancel()
		if s.mw.ShortCode != s {
			return
		}
		s.cancel = nil
		s.Waiting.Stop()
		s.Waiting.Hide()
		s.Pair.Enable()
		s.Pair.SetText("Pair")
		if err != nil {
			kit.ShowError(s.Err, err)
			return
		}
		if name = strings.TrimSpace(name); name == "" {
			s.finish("Paired: you can chat now.")
			return
		}
		s.finish("Paired with " + name + ": you can chat now.")
	})
}

// PairingEvent handles the core's pairing events while the dialog shows
// my code.
func (mw *Dialogs) PairingEvent(ev event.Event) {
	s := mw.ShortCode
	switch e := ev.(type) {
	case event.PairingSucceeded:
		if s != nil && s.Show && s.Code == e.Code {
			s.Code = ""
			s.finish("Paired with " + kit.DisplayName(e.Name, e.PeerID) + ": you can chat now.")
		}
	case event.PairingFailed:
		if s != nil && s.Show && s.Code == e.Code {
			s.Code = ""
			s.setStatus("", false)
			s.CodeText.Color = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
			s.CodeText.Refresh()
			kit.ShowError(s.Err, errors.New(e.Reason))
			s.again.Show()
		}
	}
}

// finish closes the dialog after a pairing and says so.
func (s *shortCodeDialog) finish(notice string) {
	s.Code = ""
	s.Close()
	s.mw.ShowNotice(notice)
}

// close ends whatever runs: the code shown is cancelled, a search stops.
func (s *shortCodeDialog) Close() {
	if s.mw.ShortCode == s {
		s.mw.ShortCode = nil
	}
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if s.Show && s.Code != "" {
		s.Code = ""
		s.mw.Background(func() error { s.pairer.CancelPairingCode(); return nil }, nil)
	}
	if s.Waiting != nil {
		s.Waiting.Stop()
	}
	s.mw.HideModal(s.Dialog)
}
