package addcontact

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/pairing"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// addContactDialog shows my invite code (text, Copy, QR) and takes
// someone else's code to send them a contact request.
type addContactDialog struct {
	mw  *Dialogs
	inv area.Inviter
	d   *dialog.CustomDialog

	code    string
	CodeTxt *widget.Label
	CopyBtn *widget.Button
	QR      *canvas.Image // nil when there is no code or it does not fit a QR

	Paste *kit.EscEntry
	Note  *kit.EscEntry
	Send  *widget.Button
	Err   *widget.Label
}

var errNoCode = errors.New("paste the invite code you were given first")

// ShowAddContact opens the add-contact dialog.
func (mw *Dialogs) ShowAddContact() *addContactDialog {
	a := &addContactDialog{mw: mw, inv: mw.contacts, Err: kit.ErrorLabel()}
	mine := a.myCode()

	a.Paste = kit.NewEscEntry(true)
	a.Paste.SetPlaceHolder("Paste their invite code here")
	a.Paste.SetMinRowsVisible(3)
	a.Paste.OnEscape = a.close
	a.Note = kit.NewEscEntry(false)
	a.Note.SetPlaceHolder("A note so they know it's you (optional)")
	a.Note.OnEscape = a.close
	a.Note.OnSubmitted = func(string) { a.submit() }
	a.Send = widget.NewButtonWithIcon("Send request", theme.MailSendIcon(), a.submit)
	a.Send.Importance = widget.HighImportance

	theirs := container.NewVBox(
		kit.Heading("Add someone"),
		kit.Wrapped("Paste the invite code or hearth: link they sent you, or read their QR code from a picture. If their code is new you can chat at once; otherwise they see your request and your note, and you can chat once they accept."),
		a.Paste, a.importButtons(), a.Note,
	)
	content := container.NewVBox(mine, widget.NewSeparator(), theirs, widget.NewSeparator(), a.shortCodeButtons())
	// A small window must still show the dialog's buttons: the content
	// scrolls when it is taller than the window leaves room for.
	scroll := container.NewVScroll(content)
	room := mw.Window().Canvas().Size().Height - 190 // title, buttons and an error line
	scroll.SetMinSize(fyne.NewSize(600, max(min(content.MinSize().Height, room), 240)))

	closeBtn := widget.NewButton("Close", a.close)
	// The error stays in view under the scrolled part: inside it, "already
	// one of your contacts" appeared out of sight and Send seemed to do
	// nothing.
	a.d = dialog.NewCustomWithoutButtons("Add a contact", container.NewBorder(nil, a.Err, nil, nil, scroll), mw.Window())
	a.d.SetButtons([]fyne.CanvasObject{closeBtn, a.Send})
	a.d.Resize(fyne.NewSize(640, 0))
	mw.ShowModal(a.d, a.close)
	mw.Window().Canvas().Focus(a.Paste)
	return a
}

func (a *addContactDialog) myCode() fyne.CanvasObject {
	title := kit.Heading("Your invite code")
	// The core accepts the first request carrying this code's one-time
	// secret without asking (InviteCode); this used to say "you still
	// decide", which was not true for that first request.
	help := kit.Wrapped("Send this code to the person you want to talk to, or let them scan it. " +
		"The first person to use it becomes your contact straight away; after that it only lets people ask, and you decide. " +
		"You get a new code each time you open this.")
	code, err := a.inv.InviteCode()
	if err != nil {
		e := kit.ErrorLabel()
		kit.ShowError(e, err)
		return container.NewVBox(title, e)
	}
	a.code = code
	mono := fyne.TextStyle{Monospace: true}
	a.CodeTxt = widget.NewLabelWithStyle(strings.Join(kit.WrapText(code, 360, theme.TextSize(), mono), "\n"), fyne.TextAlignLeading, mono)
	a.CodeTxt.Selectable = true
	a.CopyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		a.mw.Clipboard().SetContent(a.code)
		a.CopyBtn.SetText("Copied")
		a.CopyBtn.SetIcon(theme.ConfirmIcon())
	})
	left := container.NewVBox(help, a.CodeTxt, container.NewHBox(a.CopyBtn))
	if png, modules, err := pairing.QRCode(code, 320); err == nil {
		a.QR = canvas.NewImageFromResource(fyne.NewStaticResource("invite-qr.png", png))
		a.QR.FillMode = canvas.ImageFillContain
		a.QR.ScaleMode = canvas.ImageScalePixels
		a.QR.SetMinSize(QRSize(modules, 168))
		return container.NewVBox(title, container.NewBorder(nil, nil, nil, container.NewCenter(a.QR), left))
	}
	return container.NewVBox(title, left)
}

func (a *addContactDialog) close() { a.mw.HideModal(a.d) }

func (a *addContactDialog) submit() {
	if a.Send.Disabled() {
		return
	}
	code := strings.Join(strings.Fields(a.Paste.Text), "")
	if code == "" {
		kit.ShowError(a.Err, errNoCode)
		return
	}
	note := strings.TrimSpace(a.Note.Text)
	kit.ShowError(a.Err, nil)
	a.Send.Disable()
	a.Send.SetText("Sending…")
	a.mw.Background(func() error { return a.inv.AddByInvite(code, note) }, func(err error) {
		a.Send.Enable()
		a.Send.SetText("Send request")
		if err != nil {
			kit.ShowError(a.Err, err)
			return
		}
		a.close()
		a.mw.ShowNotice("Request sent. If their code was new you can chat in a moment; otherwise as soon as they accept.")
	})
}

// QRSize is the on-screen size of a QR code of modules modules: a whole
// number of units per module, close to about in all, so that a
// screenshot of it (at scale 1) stays readable.
func QRSize(modules int, about float32) fyne.Size {
	per := max(1, int(about)/modules)
	return fyne.NewSquareSize(float32(per * modules))
}
