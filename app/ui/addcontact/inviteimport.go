package addcontact

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/pairing"
	"hearth/app/ui/kit"
)

// ShowAddContactWith opens the add-contact dialog with someone's invite
// code (or hearth: link) already filled in, ready to send: what clicking a
// hearth: link leads to.
func (mw *Dialogs) ShowAddContactWith(code string) *addContactDialog {
	a := mw.ShowAddContact()
	a.Paste.SetText(strings.TrimSpace(code))
	mw.Window().Canvas().Focus(a.Note)
	return a
}

// importButtons fill the code field from the clipboard or from a picture
// of a QR code (a screenshot, a photo saved to a file).
func (a *addContactDialog) importButtons() fyne.CanvasObject {
	paste := widget.NewButtonWithIcon("Paste", theme.ContentPasteIcon(), func() {
		text := strings.TrimSpace(a.mw.Clipboard().Content())
		if text == "" {
			kit.ShowError(a.Err, errEmptyClipboard)
			return
		}
		kit.ShowError(a.Err, nil)
		a.Paste.SetText(text)
	})
	qr := widget.NewButtonWithIcon("Read QR code from picture…", theme.FileImageIcon(), a.pickQR)
	paste.Importance = widget.LowImportance
	qr.Importance = widget.LowImportance
	return container.NewHBox(paste, qr)
}

var errEmptyClipboard = errors.New("the clipboard is empty: copy their invite code or link first")

func (a *addContactDialog) pickQR() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			kit.ShowError(a.Err, err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		a.ReadQR(path)
	}, a.mw.Window())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".PNG", ".JPG", ".JPEG"}))
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

// ReadQR decodes the picture off the UI goroutine and fills in the code.
func (a *addContactDialog) ReadQR(path string) {
	var code string
	a.mw.Background(func() error {
		var err error
		code, err = pairing.InviteFromQRImage(path)
		return err
	}, func(err error) {
		kit.ShowError(a.Err, err)
		if err == nil {
			a.Paste.SetText(code)
			a.mw.Window().Canvas().Focus(a.Note)
		}
	})
}
