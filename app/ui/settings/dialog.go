package settings

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/transfers"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// settingsValueWidth is where the settings' values wrap.
const settingsValueWidth = 340

// settingsDialog shows the download folder (changeable) and the file
// policy (read-only).
type Dialog struct {
	host   Host
	files  area.FilesBackend
	d      *dialog.CustomDialog
	dir    *widget.Label
	change *widget.Button
	Err    *widget.Label
	Policy *fyne.Container
	// privacy: who may send requests, blocked people (privacy.go)
	Privacy *privacySection
	Auto    *widget.Select   // the auto-accept size, when the user may choose it
	You     *profileSettings // picture, auto-away, nearby (profile.go)
	Text    *TextSizeSection // textsize.go
	Lock    *LockSection     // lock.go
}

// Show opens the settings dialog over host's window: files,
// me and people are the areas it shows and changes.
func Show(host Host, files area.FilesBackend, me area.MeBackend, people area.ContactsBackend) *Dialog {
	s := &Dialog{host: host, files: files, Err: kit.ErrorLabel()}
	s.dir = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	s.showDir(s.files.DownloadDir())
	s.change = widget.NewButtonWithIcon("Change…", theme.FolderOpenIcon(), s.chooseDir)

	downloads := container.NewVBox(
		kit.Heading("Downloads"),
		kit.Caption("Files you accept are saved in this folder:"),
		container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), container.NewCenter(s.change), s.dir),
		s.Err,
	)
	p := s.files.Policy()
	s.Policy = policyView(p, s.autoAcceptRow(p))
	s.Privacy = newPrivacySection(host, people)
	s.You = newProfileSettings(host, me)
	s.Text = newTextSizeSection(fyne.CurrentApp())            // textsize.go
	s.Lock = newLockSection(host, fyne.CurrentApp(), s.Close) // lock.go
	content := container.NewVBox(s.You.root, widget.NewSeparator(), s.Text.root, widget.NewSeparator(), s.Lock.root, widget.NewSeparator(), downloads, widget.NewSeparator(), s.Policy, widget.NewSeparator(), s.Privacy.root,
		widget.NewSeparator(), conversationSettings(host, me),
		widget.NewSeparator(), carrySettings(me, host.Background), // carry.go
		widget.NewSeparator(), backgroundSettings(fyne.CurrentApp().Preferences()), // background.go
		widget.NewSeparator(), networkSettings(me, host.Background), // network.go
		widget.NewSeparator(), audioSettings(me, host.Background)) // audio.go

	// The sections outgrow a small window: scroll them.
	scroll := container.NewVScroll(content)
	scroll.SetMinSize(fyne.NewSize(0, min(content.MinSize().Height, 460)))
	s.d = dialog.NewCustomWithoutButtons("Settings", scroll, host.Window())
	s.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", s.Close)})
	s.d.Resize(fyne.NewSize(600, 0))
	host.ShowModal(s.d, s.Close)
	return s
}

func (s *Dialog) Close() { s.host.HideModal(s.d) }

func (s *Dialog) showDir(dir string) {
	if dir == "" {
		dir = "(not set)"
	}
	s.dir.SetText(strings.Join(kit.WrapText(dir, settingsValueWidth, theme.TextSize(), fyne.TextStyle{Monospace: true}), "\n"))
}

func (s *Dialog) chooseDir() {
	host := s.host
	d := dialog.NewFolderOpen(func(lu fyne.ListableURI, err error) {
		if err != nil {
			kit.ShowError(s.Err, err)
			return
		}
		if lu == nil {
			return // cancelled
		}
		dir := lu.Path()
		s.change.Disable()
		host.Background(func() error { return s.files.SetDownloadDir(dir) }, func(err error) {
			s.change.Enable()
			kit.ShowError(s.Err, err)
			if err == nil {
				s.showDir(s.files.DownloadDir())
			}
		})
	}, host.Window())
	if cur := s.files.DownloadDir(); cur != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(cur)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

// policyView lists the file policy. A policy file makes it the team's;
// otherwise these are Hearth's defaults. auto is the auto-accept row.
func policyView(p transfers.PolicyView, auto fyne.CanvasObject) *fyne.Container {
	// At home (no team policy) the settings say nothing about policies.
	var origin fyne.CanvasObject = layout.NewSpacer()
	if p.Installed {
		l := widget.NewLabel("Set by your team's policy. Ask whoever manages your computers to change it.")
		l.Importance = widget.WarningImportance
		l.Wrapping = fyne.TextWrapWord
		origin = container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), nil, l)
	}

	onOff := "On"
	if p.TransfersOff {
		onOff = "Off: files cannot be sent or received"
	}
	maxSize := "No limit"
	if p.MaxSize > 0 {
		maxSize = kit.HumanSize(p.MaxSize)
	}
	kinds := func(k []string, none string) string {
		if len(k) == 0 {
			return none
		}
		return strings.Join(k, ", ")
	}
	scanner := "None found: received files are not scanned"
	if p.ScannerAvailable {
		scanner = "ClamAV: received files are scanned before they can be opened"
		if p.ScannerAddr != "" {
			scanner += " (" + p.ScannerAddr + ")"
		}
	}

	form := container.New(layout.NewFormLayout())
	row := func(key, value string) {
		k := widget.NewLabelWithStyle(key, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		v := widget.NewLabel(strings.Join(kit.WrapText(value, settingsValueWidth, theme.TextSize(), fyne.TextStyle{}), "\n"))
		form.Add(k)
		form.Add(v)
	}
	row("File transfers", onOff)
	row("Largest file", maxSize)
	row("Allowed kinds", kinds(p.AllowedKinds, "Any"))
	row("Blocked kinds", kinds(p.BlockedKinds, "None"))
	form.Add(widget.NewLabelWithStyle("Accept without asking", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	form.Add(auto)
	if p.ScannerAvailable || p.Installed {
		row("Virus scanner", scanner) // nothing to say at home without one
	}
	return container.NewVBox(kit.Heading("Files"), origin, form)
}
