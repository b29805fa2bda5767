package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

const (
	// searchLimit is how many results the search panel lists.
	searchLimit = 100
	// aroundLimit is how many messages on each side of a search result its
	// conversation loads.
	aroundLimit = historyLimit / 2
)

// archiveState is the MainWindow's archive part, used on the UI goroutine.
type archiveState struct {
	bar     *fyne.Container // the compliance banner over the conversation
	barText *widget.Label
	search  *searchPanel // the open search panel, or nil
	// highlighted is the message a search result opened, while shown.
	highlighted string
}

func (mw *MainWindow) addArchiveShortcuts() {
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { mw.ShowSearch() })
}

func (mw *MainWindow) applyArchive(ev event.Event) {
	switch e := ev.(type) {
	case event.ComplianceChanged:
		if e.PeerID == mw.selected {
			mw.updateComplianceBar()
		}
	case event.ConversationPruned:
		if e.PeerID == mw.selected {
			sel := mw.selected
			mw.selected = ""
			mw.openConversation(sel) // reload without the deleted messages
		}
	}
}

// ---- compliance banner ----

func (mw *MainWindow) newComplianceBar() fyne.CanvasObject {
	a := &mw.archive
	a.barText = widget.NewLabel("This conversation is archived for compliance: both of you see this notice, and messages are kept as a record.")
	a.barText.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
	bg.FillColor = withAlpha(bg.FillColor, 0x40)
	bg.CornerRadius = theme.InputRadiusSize()
	a.bar = container.NewPadded(container.NewStack(bg,
		container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(theme.DocumentIcon())), nil, a.barText)))
	a.bar.Hide()
	return a.bar
}

// withAlpha is c with another opacity.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// updateComplianceBar shows the banner when the open conversation is
// archived for compliance (by either person).
func (mw *MainWindow) updateComplianceBar() {
	if mw.selected != "" && mw.b.Archive.Compliance(mw.selected) {
		mw.archive.bar.Show()
	} else {
		mw.archive.bar.Hide()
	}
}

// ComplianceBannerShown reports whether the banner is visible (for tests).
func (mw *MainWindow) ComplianceBannerShown() bool { return mw.archive.bar.Visible() }

// ---- conversation menu ----

func (mw *MainWindow) newArchiveMenuButton() *widget.Button {
	var btn *widget.Button
	// Beside the contact menu's "…": the conversation's record.
	btn = widget.NewButtonWithIcon("Archive", theme.DocumentIcon(), func() {
		widget.ShowPopUpMenuAtRelativePosition(mw.conversationMenu(), mw.win.Canvas(), fyne.NewPos(0, btn.Size().Height), btn)
	})
	btn.Importance = widget.LowImportance
	return btn
}

// conversationMenu is the open conversation's Archive menu.
func (mw *MainWindow) conversationMenu() *fyne.Menu {
	peer := mw.selected
	if _, group := contacts.GroupID(peer); group || peer == "" {
		// Export, retention and the compliance flag are per contact.
		return fyne.NewMenu("", fyne.NewMenuItem("Search all conversations…", mw.ShowSearch))
	}
	comply := "Archive for compliance…"
	if peer != "" && mw.b.Archive.Compliance(peer) {
		comply = "Stop archiving for compliance"
	}
	return fyne.NewMenu("",
		fyne.NewMenuItem("Search all conversations…", mw.ShowSearch),
		fyne.NewMenuItem("Export or print…", func() { mw.archiveDlg.ShowExport(peer) }),
		fyne.NewMenuItem("Keep messages…", func() { mw.archiveDlg.ShowRetention(peer) }),
		fyne.NewMenuItem(comply, func() { mw.toggleCompliance(peer) }),
	)
}

func (mw *MainWindow) toggleCompliance(peer string) {
	if peer == "" {
		return
	}
	on := !mw.b.Archive.Compliance(peer)
	set := func() {
		mw.Background(func() error { return mw.b.Archive.SetCompliance(peer, on) }, func(err error) {
			if err != nil {
				mw.ShowNotice("Could not change the compliance setting: " + kit.UserText(err))
				return
			}
			if peer == mw.selected {
				mw.updateComplianceBar()
			}
		})
	}
	if !on {
		set()
		return
	}
	name := mw.PeerName(peer)
	d := dialog.NewConfirm("Archive for compliance",
		"Mark the conversation with "+name+" as archived for compliance? Both of you will see a notice above the conversation.",
		func(ok bool) {
			if ok {
				set()
			}
		}, mw.win)
	mw.ShowModal(d, nil)
}

// PeerName is how the window names the other side of a conversation: the
// contact's name, or a short form of the peer ID.
func (mw *MainWindow) PeerName(peer string) string {
	if c := mw.contact(peer); c != nil {
		return kit.DisplayName(c.Name, c.PeerID)
	}
	return kit.ShortID(peer)
}
