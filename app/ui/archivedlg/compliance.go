package archivedlg

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
	"hearth/contacts"
)

// NewBanner makes the compliance banner over the conversation, hidden
// until UpdateBanner shows it.
func (d *Dialogs) NewBanner() fyne.CanvasObject {
	text := widget.NewLabel(lang.L("This conversation is archived for compliance: both of you see this notice, and messages are kept as a record."))
	text.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
	bg.FillColor = withAlpha(bg.FillColor, 0x40)
	bg.CornerRadius = theme.InputRadiusSize()
	d.bar = container.NewPadded(container.NewStack(bg,
		container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(theme.DocumentIcon())), nil, text)))
	d.bar.Hide()
	return d.bar
}

// withAlpha is c with another opacity.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// UpdateBanner shows the banner when the conversation with peer (the
// open one) is archived for compliance (by either person).
func (d *Dialogs) UpdateBanner(peer string) {
	if peer != "" && d.arch.Compliance(peer) {
		d.bar.Show()
	} else {
		d.bar.Hide()
	}
}

// BannerShown reports whether the banner is visible.
func (d *Dialogs) BannerShown() bool { return d.bar.Visible() }

// NewMenuButton makes the "Archive" button beside the contact menu's "…":
// the open conversation's record.
func (d *Dialogs) NewMenuButton() *widget.Button {
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(lang.L("Archive"), theme.DocumentIcon(), func() {
		widget.ShowPopUpMenuAtRelativePosition(d.Menu(d.Selected()), d.Window().Canvas(), fyne.NewPos(0, btn.Size().Height), btn)
	})
	btn.Importance = widget.LowImportance
	return btn
}

// Menu is the Archive menu of the conversation with peer.
func (d *Dialogs) Menu(peer string) *fyne.Menu {
	if _, group := contacts.GroupID(peer); group || peer == "" {
		// Export, retention and the compliance flag are per contact.
		return fyne.NewMenu("", fyne.NewMenuItem(lang.L("Search all conversations…"), d.ShowSearch))
	}
	comply := lang.L("Archive for compliance…")
	if peer != "" && d.arch.Compliance(peer) {
		comply = lang.L("Stop archiving for compliance")
	}
	return fyne.NewMenu("",
		fyne.NewMenuItem(lang.L("Search all conversations…"), d.ShowSearch),
		fyne.NewMenuItem(lang.L("Export or print…"), func() { d.ShowExport(peer) }),
		fyne.NewMenuItem(lang.L("Keep messages…"), func() { d.ShowRetention(peer) }),
		fyne.NewMenuItem(comply, func() { d.toggleCompliance(peer) }),
	)
}

func (d *Dialogs) toggleCompliance(peer string) {
	if peer == "" {
		return
	}
	on := !d.arch.Compliance(peer)
	set := func() {
		d.Background(func() error { return d.arch.SetCompliance(peer, on) }, func(err error) {
			if err != nil {
				d.ShowNotice(lang.L("Could not change the compliance setting: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
				return
			}
			if peer == d.Selected() {
				d.UpdateBanner(peer)
			}
		})
	}
	if !on {
		set()
		return
	}
	name := d.PeerName(peer)
	dlg := dialog.NewConfirm(lang.L("Archive for compliance"),
		lang.L("Mark the conversation with {{.Name}} as archived for compliance? Both of you will see a notice above the conversation.", map[string]any{"Name": name}),
		func(ok bool) {
			if ok {
				set()
			}
		}, d.Window())
	d.ShowModal(dlg, nil)
}
