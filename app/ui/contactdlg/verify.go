package contactdlg

// Verification: the safety code dialog.

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/pairing"
	"hearth/app/ui/addcontact"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

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
		mw.ShowNotice(lang.L("Could not make the safety code: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
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
		kit.Wrapped(lang.L("Compare this code with the one {{.Name}} sees in Hearth, in person or on a call. If they are the same, you are talking to {{.Name}} and nobody is in between.", map[string]any{"Name": name})),
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
	v.Check.SetPlaceHolder(lang.L("Or paste the code {{.Name}} sent you, to check it", map[string]any{"Name": name}))
	v.Check.OnEscape = v.close
	v.Check.OnChanged = func(string) { v.checkCode() }
	v.Result.Hide()

	status := widget.NewLabel("")
	if c.Verified {
		status.SetText(lang.L("You verified {{.Name}}.", map[string]any{"Name": name}))
		v.Mark = widget.NewButtonWithIcon(lang.L("Remove verified mark"), theme.CancelIcon(), func() { v.setVerified(false) })
	} else {
		status.SetText(lang.L("Not verified yet."))
		v.Mark = widget.NewButtonWithIcon(lang.L("Mark as verified"), kit.VerifiedIcon, func() { v.setVerified(true) })
		v.Mark.Importance = widget.HighImportance
	}
	content := container.NewVBox(top, widget.NewSeparator(), v.Check, v.Result, status, v.err)
	v.d = dialog.NewCustomWithoutButtons(lang.L("Verify {{.Name}}", map[string]any{"Name": name}), content, mw.Window())
	v.d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Close"), v.close), v.Mark})
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
		v.Result.SetText(lang.L("The codes match."))
		v.Result.Importance = widget.SuccessImportance
	default:
		v.Result.SetText(lang.L("These codes do not match. Do not mark this contact as verified."))
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
