package archivedlg

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/archive"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// exportDialog chooses a format and saves or prints a conversation.
type exportDialog struct {
	mw     *Dialogs
	arch   area.ArchiveBackend
	d      dialog.Dialog
	peer   string
	Format *widget.RadioGroup
	Save   *widget.Button
	Print  *widget.Button
	err    *widget.Label
}

// The export formats, as the dialog names them.
const (
	FormatHTML = "Web page (HTML)"
	FormatText = "Plain text"
)

// ChooseSaveFile asks where to save; view tests replace it.
var ChooseSaveFile = func(win fyne.Window, name string, done func(io.WriteCloser, error)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if w == nil {
			done(nil, err)
			return
		}
		done(w, err)
	}, win)
	d.SetFileName(name)
	d.Show()
}

// PrintFile hands an HTML file to the system and says what happened;
// view tests replace it.
var PrintFile = func(path string) (string, error) {
	if lp, err := exec.LookPath("lp"); err == nil {
		if out, err := exec.Command(lp, path).CombinedOutput(); err != nil {
			return "", fmt.Errorf("the printer refused it (%s): %w", strings.TrimSpace(string(out)), err)
		}
		return lang.L("Sent to the printer."), nil
	}
	if open, err := exec.LookPath("xdg-open"); err == nil {
		if err := exec.Command(open, path).Start(); err != nil {
			return "", fmt.Errorf("could not open a browser: %w", err)
		}
		return lang.L("No printer command (lp) here: the conversation opened in your browser; print it from there."), nil
	}
	return "", fmt.Errorf("no printer command (lp) and no browser opener (xdg-open) found; the page is at %s", path)
}

// ShowExport opens the export dialog for the conversation with peer.
func (mw *Dialogs) ShowExport(peer string) *exportDialog {
	if peer == "" {
		return nil
	}
	e := &exportDialog{mw: mw, arch: mw.arch, peer: peer, err: kit.ErrorLabel()}
	e.Format = widget.NewRadioGroup([]string{FormatHTML, FormatText}, nil)
	e.Format.SetSelected(FormatHTML)
	e.Format.Required = true
	e.Save = widget.NewButtonWithIcon(lang.L("Save…"), theme.DocumentSaveIcon(), e.saveAs)
	e.Save.Importance = widget.HighImportance
	e.Print = widget.NewButtonWithIcon(lang.L("Print…"), theme.DocumentPrintIcon(), e.printIt)
	name := mw.PeerName(peer)
	content := container.NewVBox(
		kit.Heading(lang.L("Export the conversation with {{.Name}}", map[string]any{"Name": name})),
		kit.Wrapped(lang.L("The whole conversation, oldest first, with names and times. A web page keeps the layout and prints well.")),
		e.Format, e.err, container.NewHBox(e.Save, e.Print))
	e.d = dialog.NewCustom(lang.L("Export"), lang.L("Close"), content, mw.Window())
	mw.ShowModal(e.d, nil)
	return e
}

func (e *exportDialog) chosen() archive.ExportFormat {
	if e.Format.Selected == FormatText {
		return archive.ExportText
	}
	return archive.ExportHTML
}

// render writes the conversation in the chosen format.
func (e *exportDialog) render(f archive.ExportFormat) ([]byte, error) {
	var buf bytes.Buffer
	if err := e.arch.Export(e.peer, f, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (e *exportDialog) saveAs() {
	f := e.chosen()
	ext := ".html"
	if f == archive.ExportText {
		ext = ".txt"
	}
	name := "Conversation with " + e.mw.PeerName(e.peer) + ext
	ChooseSaveFile(e.mw.Window(), name, func(w io.WriteCloser, err error) {
		if w == nil {
			if err != nil {
				kit.ShowError(e.err, err)
			}
			return // cancelled
		}
		b, err := e.render(f)
		if err == nil {
			_, err = w.Write(b)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			kit.ShowError(e.err, fmt.Errorf("could not export: %w", err))
			return
		}
		e.mw.HideModal(e.d)
		e.mw.ShowNotice("Conversation exported" + kit.SavedWhere(w) + ".")
	})
}

func (e *exportDialog) printIt() {
	b, err := e.render(archive.ExportHTML)
	if err != nil {
		kit.ShowError(e.err, err)
		return
	}
	f, err := os.CreateTemp("", "hearth-print-*.html")
	if err == nil {
		_, err = f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		kit.ShowError(e.err, fmt.Errorf("could not prepare the page to print: %w", err))
		return
	}
	path := filepath.Clean(f.Name())
	e.mw.HideModal(e.d)
	e.mw.Background(func() error {
		msg, err := PrintFile(path)
		if err == nil {
			e.mw.Do(func() { e.mw.ShowNotice(msg) })
		}
		return err
	}, func(err error) {
		if err != nil {
			e.mw.ShowNotice(lang.L("Could not print: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
		}
	})
}
