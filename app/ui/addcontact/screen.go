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
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/core/pairing"
	"hearth/app/ui/kit"
)

// The three ways to add someone, as the screen's choice buttons name them.
const (
	ChoiceShow   = "Show my code"
	ChoiceHave   = "I have a code"
	ChoiceNearby = "Someone nearby"
)

// Screen is the add-contact screen: three choices side by side and, under
// them, the chosen one. It opens on "I have a code" with the field
// focused, so that pasting or typing a code and pressing Enter is all the
// person who was given a code does.
type Screen struct {
	mw     *Dialogs
	Dialog *dialog.CustomDialog
	Choice string // one of the Choice constants

	ShowBtn, HaveBtn, NearbyBtn *widget.Button
	panels                      map[string]fyne.CanvasObject

	// Show my code: a short spoken code I wait with, and my invite link.
	Code     string // the spoken code shown and waited with, "" when none
	CodeText *canvas.Text
	Waiting  *widget.ProgressBarInfinite
	Status   *widget.Label
	Again    *widget.Button
	Link     string
	LinkTxt  *widget.Label
	ShortTxt *widget.Label // the short code (under 60 characters), when the core makes one
	CopyBtn  *widget.Button
	QR       *canvas.Image // nil when the link does not fit a QR

	// I have a code: one field for a link, a spoken code or a picture.
	Field      *kit.EscEntry
	Kind       *widget.Label // says what the field holds
	Go         *widget.Button
	PictureBtn *widget.Button
	busy       *widget.ProgressBarInfinite
	cancel     context.CancelFunc // stops a running PairWithCode

	Err *widget.Label
}

var (
	errNoCode          = errors.New(lang.L("paste the link they sent you, or type the words they read out"))
	errEmptyClipboard  = errors.New(lang.L("the clipboard is empty: copy the link they sent you first"))
	errPictureNotFound = errors.New(lang.L("that picture could not be found on this computer"))
)

// ShowAddContact opens the add-contact screen on "I have a code".
func (mw *Dialogs) ShowAddContact() *Screen {
	return mw.ShowAddContactOn(ChoiceHave)
}

// ShowAddContactWith opens the screen with someone's invite link already
// in the field, ready to add with Enter: what clicking a hearth: link
// leads to.
func (mw *Dialogs) ShowAddContactWith(code string) *Screen {
	s := mw.ShowAddContact()
	s.Field.SetText(strings.TrimSpace(code))
	return s
}

// ShowAddContactOn opens the screen on one of the three choices.
func (mw *Dialogs) ShowAddContactOn(choice string) *Screen {
	if mw.Open != nil {
		mw.Open.Close()
	}
	s := &Screen{mw: mw, Err: kit.ErrorLabel()}
	s.ShowBtn = widget.NewButtonWithIcon(lang.L(ChoiceShow), theme.VisibilityIcon(), func() { s.choose(ChoiceShow) })
	s.HaveBtn = widget.NewButtonWithIcon(lang.L(ChoiceHave), theme.LoginIcon(), func() { s.choose(ChoiceHave) })
	s.NearbyBtn = widget.NewButtonWithIcon(lang.L(ChoiceNearby), theme.ComputerIcon(), func() { s.choose(ChoiceNearby) })
	s.panels = map[string]fyne.CanvasObject{
		ChoiceShow:   s.buildShow(),
		ChoiceHave:   s.buildHave(),
		ChoiceNearby: s.buildNearby(),
	}
	stack := container.NewStack(s.panels[ChoiceShow], s.panels[ChoiceHave], s.panels[ChoiceNearby])
	choices := container.NewGridWithColumns(3, s.ShowBtn, s.HaveBtn, s.NearbyBtn)
	content := container.NewBorder(container.NewVBox(choices, widget.NewSeparator()), s.Err, nil, nil, stack)

	s.Dialog = dialog.NewCustomWithoutButtons(lang.L("Add a contact"), content, mw.Window())
	s.Dialog.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Close"), s.Close)})
	s.Dialog.Resize(fyne.NewSize(620, 0))
	mw.Open = s
	mw.ShowModal(s.Dialog, s.Close)
	s.choose(choice)
	return s
}

// choose shows one choice's panel and starts what it needs.
func (s *Screen) choose(choice string) {
	if s.Choice == choice {
		return
	}
	if s.Choice == ChoiceShow {
		s.stopCode()
	}
	s.Choice = choice
	kit.ShowError(s.Err, nil)
	for c, p := range s.panels {
		if c == choice {
			p.Show()
		} else {
			p.Hide()
		}
	}
	for b, c := range map[*widget.Button]string{s.ShowBtn: ChoiceShow, s.HaveBtn: ChoiceHave, s.NearbyBtn: ChoiceNearby} {
		if c == choice {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	switch choice {
	case ChoiceShow:
		s.mw.ExpectContact()
		s.showLink()
		s.newCode()
	case ChoiceHave:
		s.mw.Window().Canvas().Focus(s.Field)
	case ChoiceNearby:
		s.mw.ExpectContact()
		s.mw.PairNearby()
		s.Close()
	}
}

// Close ends whatever runs (the spoken code shown is cancelled, a search
// for a typed one stops) and closes the screen.
func (s *Screen) Close() {
	if s.mw.Open == s {
		s.mw.Open = nil
	}
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.stopCode()
	if s.busy != nil {
		s.busy.Stop()
	}
	s.mw.HideModal(s.Dialog)
}

// CloseOpen closes the open add-contact screen, if any.
func (mw *Dialogs) CloseOpen() {
	if mw.Open != nil {
		mw.Open.Close()
	}
}

// ---- Show my code ----

func (s *Screen) buildShow() fyne.CanvasObject {
	s.CodeText = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.CodeText.TextSize = 2 * theme.TextSize()
	s.CodeText.TextStyle = fyne.TextStyle{Bold: true}
	s.CodeText.Alignment = fyne.TextAlignCenter
	s.Waiting = widget.NewProgressBarInfinite()
	s.Waiting.Stop()
	s.Waiting.Hide()
	s.Status = widget.NewLabel("")
	s.Status.Alignment = fyne.TextAlignCenter
	s.Again = widget.NewButtonWithIcon(lang.L("New code"), theme.ViewRefreshIcon(), s.newCode)
	s.Again.Hide()

	s.LinkTxt = widget.NewLabel("")
	s.LinkTxt.TextStyle.Monospace = true
	s.LinkTxt.Truncation = fyne.TextTruncateEllipsis
	s.ShortTxt = widget.NewLabel("")
	s.ShortTxt.TextStyle.Monospace = true
	s.ShortTxt.Wrapping = fyne.TextWrapBreak
	s.ShortTxt.Hide()
	s.CopyBtn = widget.NewButtonWithIcon(lang.L("Copy link"), theme.ContentCopyIcon(), func() {
		s.mw.Clipboard().SetContent(s.Link)
		s.CopyBtn.SetText(lang.L("Copied"))
		s.CopyBtn.SetIcon(theme.ConfirmIcon())
	})
	s.QR = canvas.NewImageFromResource(nil)
	s.QR.FillMode = canvas.ImageFillContain
	s.QR.ScaleMode = canvas.ImageScalePixels
	s.QR.Hide()

	spoken := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Sitting together or on the phone? Read out:"), fyne.TextAlignCenter, fyne.TextStyle{}),
		s.CodeText, s.Status, s.Waiting, container.NewCenter(s.Again),
	)
	link := container.NewVBox(
		widget.NewLabel(lang.L("Far away? Send them this link:")),
		s.LinkTxt,
		container.NewHBox(s.CopyBtn),
		s.ShortTxt,
		kit.Wrapped(lang.L("The first person who uses it becomes your contact.")),
	)
	return container.NewVBox(spoken, widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewCenter(s.QR), link))
}

// showLink makes a fresh invite link (each one works for one person).
func (s *Screen) showLink() {
	link, err := s.mw.contacts.InviteCode()
	if err != nil {
		kit.ShowError(s.Err, err)
		return
	}
	s.Link = link
	s.LinkTxt.SetText(link)
	if sc, ok := s.mw.contacts.(interface{ ShortInviteCode() (string, error) }); ok {
		if short, err := sc.ShortInviteCode(); err == nil {
			s.ShortTxt.SetText(lang.L("Or type this short code: {{.Code}}", map[string]any{"Code": short}))
			s.ShortTxt.Show()
		}
	}
	s.CopyBtn.SetText(lang.L("Copy link"))
	s.CopyBtn.SetIcon(theme.ContentCopyIcon())
	if png, modules, err := pairing.QRCode(link, 320); err == nil {
		s.QR.Resource = fyne.NewStaticResource("invite-qr.png", png)
		s.QR.SetMinSize(QRSize(modules, float32(max(150, 2*modules))))
		s.QR.Show()
		s.QR.Refresh()
	}
}

// newCode asks for a fresh spoken code and waits with it.
func (s *Screen) newCode() {
	kit.ShowError(s.Err, nil)
	s.Again.Hide()
	s.CodeText.Text = "…"
	s.CodeText.Color = theme.Color(theme.ColorNameForeground)
	s.CodeText.Refresh()
	s.setStatus(lang.L("Getting a code…"), true)
	var code string
	s.mw.Background(func() (err error) {
		code, err = s.mw.contacts.NewPairingCode()
		return err
	}, func(err error) {
		if s.mw.Open != s || s.Choice != ChoiceShow {
			// Closed meanwhile: nobody shows this code, so nobody may use it.
			if err == nil {
				s.mw.Background(func() error { s.mw.contacts.CancelPairingCode(); return nil }, nil)
			}
			return
		}
		if err != nil {
			s.CodeText.Text = ""
			s.CodeText.Refresh()
			s.setStatus("", false)
			kit.ShowError(s.Err, err)
			s.Again.Show()
			return
		}
		s.Code = code
		s.CodeText.Text = code
		s.CodeText.Refresh()
		s.setStatus(lang.L("They choose “I have a code” and type it. It works once, for ten minutes."), true)
	})
}

func (s *Screen) stopCode() {
	if s.Code == "" {
		return
	}
	s.Code = ""
	s.mw.Background(func() error { s.mw.contacts.CancelPairingCode(); return nil }, nil)
	s.setStatus("", false)
}

func (s *Screen) setStatus(text string, busy bool) {
	s.Status.SetText(text)
	if busy {
		s.Waiting.Show()
		s.Waiting.Start()
	} else {
		s.Waiting.Stop()
		s.Waiting.Hide()
	}
}

// PairingEvent handles the core's pairing events for the code shown.
func (mw *Dialogs) PairingEvent(ev event.Event) {
	s := mw.Open
	if s == nil {
		return
	}
	switch e := ev.(type) {
	case event.PairingSucceeded:
		if s.Code != "" && s.Code == e.Code {
			s.Code = ""
			s.Close()
			mw.Added(e.PeerID, e.Name)
		}
	case event.PairingFailed:
		if s.Code != "" && s.Code == e.Code {
			s.Code = ""
			s.setStatus("", false)
			s.CodeText.Color = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
			s.CodeText.Refresh()
			kit.ShowError(s.Err, errors.New(e.Reason))
			s.Again.Show()
		}
	}
}

// ---- Someone nearby ----

func (s *Screen) buildNearby() fyne.CanvasObject {
	// Choosing it makes this device visible and closes the screen: the
	// people found show in the sidebar, where their Add buttons are.
	return container.NewVBox()
}

// ---- I have a code ----

func (s *Screen) buildHave() fyne.CanvasObject {
	s.Field = kit.NewEscEntry(false)
	s.Field.SetPlaceHolder(lang.L("Paste their link, or type the words they read out"))
	s.Field.OnEscape = s.Close
	s.Field.OnSubmitted = func(string) { s.submit() }
	s.Field.OnChanged = func(string) { s.showKind() }
	s.Kind = kit.Wrapped("")
	s.Go = widget.NewButtonWithIcon(lang.L("Add"), theme.ConfirmIcon(), s.submit)
	s.Go.Importance = widget.HighImportance
	paste := widget.NewButtonWithIcon(lang.L("Paste"), theme.ContentPasteIcon(), s.paste)
	s.PictureBtn = widget.NewButtonWithIcon(lang.L("Picture of a QR code…"), theme.FileImageIcon(), s.pickPicture)
	paste.Importance = widget.LowImportance
	s.PictureBtn.Importance = widget.LowImportance
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Stop()
	s.busy.Hide()
	s.showKind()
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, s.Go, s.Field),
		s.Kind,
		container.NewHBox(paste, s.PictureBtn, layout.NewSpacer()),
		s.busy,
	)
}

// showKind says what the field holds, so the person knows it was read
// right before pressing Enter.
func (s *Screen) showKind() {
	kind, _ := Classify(s.Field.Text)
	switch kind {
	case KindLink:
		s.Kind.SetText(lang.L("This is an invite link. Press Enter to add them."))
		s.Go.SetText(lang.L("Add"))
	case KindSpoken:
		s.Kind.SetText(lang.L("These are the words of a spoken code. Press Enter; their screen must still show the code."))
		s.Go.SetText(lang.L("Pair"))
	case KindPicture:
		s.Kind.SetText(lang.L("This is a picture. Press Enter to read the QR code in it and add them."))
		s.Go.SetText(lang.L("Add"))
	default:
		s.Kind.SetText(lang.L("The link they sent you, the words they read out (like 7-orbit-maple-sugar), or a picture of their QR code: paste it, type it or drop the picture here."))
		s.Go.SetText(lang.L("Add"))
	}
}

func (s *Screen) paste() {
	text := strings.TrimSpace(s.mw.Clipboard().Content())
	if text == "" {
		kit.ShowError(s.Err, errEmptyClipboard)
		return
	}
	kit.ShowError(s.Err, nil)
	s.Field.SetText(text)
	s.mw.Window().Canvas().Focus(s.Field)
}

// Dropped takes a picture dropped on the window while the screen is open.
func (s *Screen) Dropped(uris []fyne.URI) {
	for _, u := range uris {
		if u.Scheme() == "file" {
			s.choose(ChoiceHave)
			s.Field.SetText(u.Path())
			s.submit()
			return
		}
	}
}

func (s *Screen) setBusy(busy bool) {
	if busy {
		kit.ShowError(s.Err, nil)
		s.Go.Disable()
		s.busy.Show()
		s.busy.Start()
		return
	}
	s.Go.Enable()
	s.busy.Stop()
	s.busy.Hide()
}

// submit adds whoever the field names, the way its kind calls for.
func (s *Screen) submit() {
	if s.Go.Disabled() {
		return
	}
	kind, text := Classify(s.Field.Text)
	switch kind {
	case KindNone:
		kit.ShowError(s.Err, errNoCode)
	case KindLink:
		s.addLink(text)
	case KindSpoken:
		s.pair(text)
	case KindPicture:
		s.readPicture(text)
	}
}

func (s *Screen) addLink(link string) {
	s.setBusy(true)
	s.mw.ExpectContact()
	s.mw.Background(func() error { return s.mw.contacts.AddByInvite(link, "") }, func(err error) {
		if s.mw.Open != s {
			return
		}
		s.setBusy(false)
		if err != nil {
			kit.ShowError(s.Err, err)
			return
		}
		s.Close()
		s.mw.ShowNotice(lang.L("Request sent. Their conversation opens here as soon as their Hearth answers."))
	})
}

func (s *Screen) pair(code string) {
	s.setBusy(true)
	s.Go.SetText(lang.L("Looking…"))
	s.mw.ExpectContact()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	var name string
	s.mw.Background(func() (err error) { name, err = s.mw.contacts.PairWithCode(ctx, code); return err }, func(err error) {
		cancel()
		if s.mw.Open != s {
			return
		}
		s.cancel = nil
		s.setBusy(false)
		s.showKind()
		if err != nil {
			kit.ShowError(s.Err, err)
			return
		}
		s.Close()
		s.mw.Added("", name)
	})
}

func (s *Screen) readPicture(path string) {
	s.setBusy(true)
	var link string
	s.mw.Background(func() (err error) {
		link, err = pairing.InviteFromQRImage(path)
		return err
	}, func(err error) {
		if s.mw.Open != s {
			return
		}
		s.setBusy(false)
		if err != nil {
			kit.ShowError(s.Err, pictureError(err))
			return
		}
		s.Field.SetText(link)
		s.addLink(link)
	})
}

func pictureError(err error) error {
	if errors.Is(err, errNotExist) {
		return errPictureNotFound
	}
	return err
}

// ReadQR reads the QR code in the picture at path and adds its owner.
func (s *Screen) ReadQR(path string) {
	s.choose(ChoiceHave)
	s.Field.SetText(path)
	s.submit()
}

// QRSize is the on-screen size of a QR code of modules modules: a whole
// number of units per module, close to about in all, so that a
// screenshot of it (at scale 1) stays readable.
func QRSize(modules int, about float32) fyne.Size {
	per := max(1, int(about)/modules)
	return fyne.NewSquareSize(float32(per * modules))
}
