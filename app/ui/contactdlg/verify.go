package contactdlg

// Verification: the safety code dialog, and the shield shown beside a
// verified contact's name in the list and the chat header.

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/pairing"
	"hearth/app/core/people"
	"hearth/app/ui/addcontact"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// VerifiedIcon is a shield with a check mark (Material "verified_user"),
// in the success colour.
var VerifiedIcon = theme.NewSuccessThemedResource(fyne.NewStaticResource("verified.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path d="M12 1L3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm-2 16l-4-4 1.41-1.41L10 14.17l6.59-6.59L18 9l-8 8z"/>`+
		`</svg>`)))

// NewVerifiedMark is the shield, hidden until the contact is verified.
func NewVerifiedMark() *widget.Icon {
	i := widget.NewIcon(VerifiedIcon)
	i.Hide()
	return i
}

// SetVerifiedMark shows or hides the shield, and lays out row (the
// container holding it) again when that changed its size.
func SetVerifiedMark(i *widget.Icon, row *fyne.Container, verified bool) {
	if i.Visible() == verified {
		return
	}
	if verified {
		i.Show()
	} else {
		i.Hide()
	}
	row.Refresh()
}

// WithWarning replaces a contact's status line with its warning, if it
// has one (it uses the name of a contact I verified).
func WithWarning(line string, c people.ContactView) string {
	if c.Warning != "" {
		return "⚠ " + c.Warning
	}
	return line
}

// verifyDialog shows the safety code for one contact (text and QR), checks
// a code they sent, and marks the contact verified.
type verifyDialog struct {
	mw     *Dialogs
	ver    area.Verifier
	peerID string
	d      *dialog.CustomDialog
	Code   *widget.Label
	QR     *canvas.Image // nil when the QR could not be made
	Check  *kit.EscEntry
	Result *widget.Label
	Mark   *widget.Button
	err    *widget.Label
}

// ShowVerify opens the safety-code dialog for a contact.
func (mw *Dialogs) ShowVerify(peerID string) *verifyDialog {
	c, _ := mw.ContactView(peerID)
	name := kit.DisplayName(c.Name, peerID)
	v := &verifyDialog{mw: mw, ver: mw.contacts, peerID: peerID, err: kit.ErrorLabel(), Result: widget.NewLabel("")}
	code, err := v.ver.SafetyCode(peerID)
	if err != nil {
		mw.ShowNotice("Could not make the safety code: " + kit.UserText(err))
		return nil
	}
	// Three lines of four groups: easy to read out loud.
	groups := strings.Fields(code)
	var lines []string
	for i := 0; i < len(groups); i += 4 {
		lines = append(lines, strings.Join(groups[i:min(i+4, len(groups))], "  "))
	}
	v.Code = widget.NewLabelWithStyle(strings.Join(lines, "\n"), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.Code.SizeName = theme.SizeNameSubHeadingText
	v.Code.Selectable = true
	left := container.NewVBox(
		kit.Wrapped("Compare this code with the one "+name+" sees in Hearth, in person or on a call. "+
			"If they are the same, you are talking to "+name+" and nobody is in between."),
		v.Code,
	)
	var top fyne.CanvasObject = left
	if text, err := v.ver.SafetyQR(peerID); err == nil {
		if png, modules, err := pairing.QRCode(text, 256); err == nil {
			v.QR = canvas.NewImageFromResource(fyne.NewStaticResource("safety-qr.png", png))
			v.QR.FillMode = canvas.ImageFillContain
			v.QR.ScaleMode = canvas.ImageScalePixels
			v.QR.SetMinSize(addcontact.QRSize(modules, 150))
			top = container.NewBorder(nil, nil, nil, container.NewCenter(v.QR), left)
		}
	}
	v.Check = kit.NewEscEntry(false)
	v.Check.SetPlaceHolder("Or paste the code " + name + " sent you, to check it")
	v.Check.OnEscape = v.close
	v.Check.OnChanged = func(string) { v.checkCode() }
	v.Result.Hide()

	status := widget.NewLabel("")
	if c.Verified {
		status.SetText("You verified " + name + ".")
		v.Mark = widget.NewButtonWithIcon("Remove verified mark", theme.CancelIcon(), func() { v.setVerified(false) })
	} else {
		status.SetText("Not verified yet.")
		v.Mark = widget.NewButtonWithIcon("Mark as verified", VerifiedIcon, func() { v.setVerified(true) })
		v.Mark.Importance = widget.HighImportance
	}
	content := container.NewVBox(top, widget.NewSeparator(), v.Check, v.Result, status, v.err)
	v.d = dialog.NewCustomWithoutButtons("Verify "+name, content, mw.Window())
	v.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", v.close), v.Mark})
	v.d.Resize(fyne.NewSize(620, 0))
	mw.ShowModal(v.d, v.close)
	return v
}

func (v *verifyDialog) close() { v.mw.HideModal(v.d) }

// checkCode compares a pasted code; it is quick and local, so it runs on
// the UI goroutine.
func (v *verifyDialog) checkCode() {
	text := strings.TrimSpace(v.Check.Text)
	if text == "" {
		v.Result.Hide()
		return
	}
	ok, err := v.ver.CheckSafetyCode(v.peerID, text)
	switch {
	case err != nil:
		v.Result.SetText(kit.UserText(err))
		v.Result.Importance = widget.DangerImportance
	case ok:
		v.Result.SetText("The codes match.")
		v.Result.Importance = widget.SuccessImportance
	default:
		v.Result.SetText("These codes do not match. Do not mark this contact as verified.")
		v.Result.Importance = widget.DangerImportance
	}
	v.Result.Show()
	v.Result.Refresh()
}

func (v *verifyDialog) setVerified(on bool) {
	v.Mark.Disable()
	v.mw.Background(func() error { return v.ver.SetVerified(v.peerID, on) }, func(err error) {
		v.Mark.Enable()
		if err != nil {
			kit.ShowError(v.err, err)
			return
		}
		v.close()
	})
}
