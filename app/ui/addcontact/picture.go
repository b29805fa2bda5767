package addcontact

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"hearth/app/ui/kit"
)

// pickPicture lets the person choose a picture of a QR code (a screenshot,
// a photo saved to a file) and adds its owner.
func (s *Screen) pickPicture() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			kit.ShowError(s.Err, err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		s.ReadQR(path)
	}, s.mw.Window())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".PNG", ".JPG", ".JPEG"}))
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}
