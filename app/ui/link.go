package ui

import (
	"strings"

	"hearth/app/ui/kit"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// startInvite is a hearth: link from the command line (a click on a link
// in a mail): Run opens it in the add-contact dialog once the main window
// is up. Set before Run, read on the UI goroutine.
var startInvite string

// OpenInviteOnStart makes Run open the add-contact dialog with code
// filled in as soon as the profile is open.
func OpenInviteOnStart(code string) { startInvite = strings.TrimSpace(code) }

// takeStartInvite opens the pending link, once, and says whether there
// was one.
func (mw *MainWindow) takeStartInvite() bool {
	if startInvite == "" {
		return false
	}
	code := startInvite
	startInvite = ""
	mw.add.ShowAddContactWith(code)
	return true
}

// IsInviteLink reports whether a command-line argument is a hearth: link.
func IsInviteLink(arg string) bool {
	arg = strings.TrimSpace(arg)
	return len(arg) > len("hearth:") && strings.EqualFold(arg[:len("hearth:")], "hearth:")
}

// RunProfileInUse tells the user that the link cannot be opened here
// because Hearth already runs with this profile, and gives them the code
// to paste there. It returns when the window is closed.
func RunProfileInUse(a fyne.App, code string) {
	a.SetIcon(kit.AppIcon)
	kit.ApplyTheme(a)
	w := a.NewWindow("Hearth")
	w.SetContent(profileInUseView(a, w, code))
	w.Resize(fyne.NewSize(560, 0))
	w.CenterOnScreen()
	w.Show()
	a.Run()
}

func profileInUseView(a fyne.App, w fyne.Window, code string) fyne.CanvasObject {
	msg := kit.Wrapped(lang.L("Hearth is already running with your profile, so this link could not be opened in a new window. In the Hearth window that is open, click “Add contact” and paste this invite code:"))
	mono := fyne.TextStyle{Monospace: true}
	codeTxt := widget.NewLabelWithStyle(strings.Join(kit.WrapText(code, 480, theme.TextSize(), mono), "\n"), fyne.TextAlignLeading, mono)
	codeTxt.Selectable = true
	var copyBtn *widget.Button
	copyBtn = widget.NewButtonWithIcon(lang.L("Copy code"), theme.ContentCopyIcon(), func() {
		a.Clipboard().SetContent(code)
		copyBtn.SetText(lang.L("Copied"))
		copyBtn.SetIcon(theme.ConfirmIcon())
	})
	copyBtn.Importance = widget.HighImportance
	closeBtn := widget.NewButton(lang.L("Close"), w.Close)
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	return container.NewPadded(container.NewVBox(kit.Heading(lang.L("Hearth is already open")), msg, codeTxt,
		container.NewHBox(copyBtn, closeBtn)))
}
