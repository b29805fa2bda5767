package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/contacts"
)

// The archive in the GUI: search across every conversation (Ctrl+F), a
// result opened in its conversation and highlighted, export to HTML or
// plain text, printing, retention, and the "archived for compliance"
// banner.

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

func (mw *MainWindow) applyArchive(ev core.Event) {
	switch e := ev.(type) {
	case core.ComplianceChanged:
		if e.PeerID == mw.selected {
			mw.updateComplianceBar()
		}
	case core.ConversationPruned:
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
		fyne.NewMenuItem("Export or print…", func() { mw.showExport(peer) }),
		fyne.NewMenuItem("Keep messages…", func() { mw.showRetention(peer) }),
		fyne.NewMenuItem(comply, func() { mw.toggleCompliance(peer) }),
	)
}

func (mw *MainWindow) toggleCompliance(peer string) {
	if peer == "" {
		return
	}
	on := !mw.b.Archive.Compliance(peer)
	set := func() {
		mw.background(func() error { return mw.b.Archive.SetCompliance(peer, on) }, func(err error) {
			if err != nil {
				mw.showNotice("Could not change the compliance setting: " + userText(err))
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
	name := mw.peerName(peer)
	d := dialog.NewConfirm("Archive for compliance",
		"Mark the conversation with "+name+" as archived for compliance? Both of you will see a notice above the conversation.",
		func(ok bool) {
			if ok {
				set()
			}
		}, mw.win)
	mw.showModal(d, nil)
}

func (mw *MainWindow) peerName(peer string) string {
	if c := mw.contact(peer); c != nil {
		return displayName(c.Name, c.PeerID)
	}
	return shortID(peer)
}

// ---- retention ----

// retentionChoices are the periods offered; 0 is forever.
var retentionChoices = []struct {
	label string
	days  int
}{
	{"Forever", 0}, {"1 day", 1}, {"7 days", 7}, {"30 days", 30}, {"90 days", 90}, {"1 year", 365},
}

func retentionLabel(days int) string {
	for _, c := range retentionChoices {
		if c.days == days {
			return c.label
		}
	}
	return fmt.Sprintf("%d days", days)
}

// showRetention asks how long a conversation's messages are kept.
func (mw *MainWindow) showRetention(peer string) *widget.Select {
	if peer == "" {
		return nil
	}
	var labels []string
	for _, c := range retentionChoices {
		labels = append(labels, c.label)
	}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelected(retentionLabel(mw.b.Archive.Retention(peer)))
	name := mw.peerName(peer)
	content := container.NewVBox(
		wrapped("Messages with "+name+" older than this are deleted from this computer for good, including from search. The other person keeps their own copy."),
		sel)
	d := dialog.NewCustomConfirm("Keep messages", "Save", "Cancel", content, func(ok bool) {
		if !ok {
			return
		}
		days := 0
		for _, c := range retentionChoices {
			if c.label == sel.Selected {
				days = c.days
			}
		}
		mw.background(func() error { return mw.b.Archive.SetRetention(peer, days) }, func(err error) {
			if err != nil {
				mw.showNotice("Could not change how long messages are kept: " + userText(err))
				return
			}
			if days == 0 {
				mw.showNotice("Messages with " + name + " are kept forever.")
			} else {
				mw.showNotice(fmt.Sprintf("Messages with %s are kept for %s; older ones were deleted.", name, retentionLabel(days)))
			}
		})
	}, mw.win)
	d.Resize(fyne.NewSize(440, 0)) // wide enough that the text is not a narrow column
	mw.showModal(d, nil)
	return sel
}

// ---- export and print ----

// exportDialog chooses a format and saves or prints a conversation.
type exportDialog struct {
	mw     *MainWindow
	arch   ArchiveBackend
	d      dialog.Dialog
	peer   string
	format *widget.RadioGroup
	save   *widget.Button
	print  *widget.Button
	err    *widget.Label
}

const (
	formatHTML = "Web page (HTML)"
	formatText = "Plain text"
)

// chooseSaveFile asks where to save; view tests replace it.
var chooseSaveFile = func(win fyne.Window, name string, done func(io.WriteCloser, error)) {
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

// printFile hands an HTML file to the system and says what happened;
// view tests replace it.
var printFile = func(path string) (string, error) {
	if lp, err := exec.LookPath("lp"); err == nil {
		if out, err := exec.Command(lp, path).CombinedOutput(); err != nil {
			return "", fmt.Errorf("the printer refused it (%s): %w", strings.TrimSpace(string(out)), err)
		}
		return "Sent to the printer.", nil
	}
	if open, err := exec.LookPath("xdg-open"); err == nil {
		if err := exec.Command(open, path).Start(); err != nil {
			return "", fmt.Errorf("could not open a browser: %w", err)
		}
		return "No printer command (lp) here: the conversation opened in your browser; print it from there.", nil
	}
	return "", fmt.Errorf("no printer command (lp) and no browser opener (xdg-open) found; the page is at %s", path)
}

// ShowExport opens the export dialog for the open conversation.
func (mw *MainWindow) ShowExport() { mw.showExport(mw.selected) }

func (mw *MainWindow) showExport(peer string) *exportDialog {
	if peer == "" {
		return nil
	}
	e := &exportDialog{mw: mw, arch: mw.b.Archive, peer: peer, err: errorLabel()}
	e.format = widget.NewRadioGroup([]string{formatHTML, formatText}, nil)
	e.format.SetSelected(formatHTML)
	e.format.Required = true
	e.save = widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), e.saveAs)
	e.save.Importance = widget.HighImportance
	e.print = widget.NewButtonWithIcon("Print…", theme.DocumentPrintIcon(), e.printIt)
	name := mw.peerName(peer)
	content := container.NewVBox(
		heading("Export the conversation with "+name),
		wrapped("The whole conversation, oldest first, with names and times. A web page keeps the layout and prints well."),
		e.format, e.err, container.NewHBox(e.save, e.print))
	e.d = dialog.NewCustom("Export", "Close", content, mw.win)
	mw.showModal(e.d, nil)
	return e
}

func (e *exportDialog) chosen() core.ExportFormat {
	if e.format.Selected == formatText {
		return core.ExportText
	}
	return core.ExportHTML
}

// render writes the conversation in the chosen format.
func (e *exportDialog) render(f core.ExportFormat) ([]byte, error) {
	var buf bytes.Buffer
	if err := e.arch.Export(e.peer, f, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (e *exportDialog) saveAs() {
	f := e.chosen()
	ext := ".html"
	if f == core.ExportText {
		ext = ".txt"
	}
	name := "Conversation with " + e.mw.peerName(e.peer) + ext
	chooseSaveFile(e.mw.win, name, func(w io.WriteCloser, err error) {
		if w == nil {
			if err != nil {
				showError(e.err, err)
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
			showError(e.err, fmt.Errorf("could not export: %w", err))
			return
		}
		e.mw.hideModal(e.d)
		e.mw.showNotice("Conversation exported" + savedWhere(w) + ".")
	})
}

func (e *exportDialog) printIt() {
	b, err := e.render(core.ExportHTML)
	if err != nil {
		showError(e.err, err)
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
		showError(e.err, fmt.Errorf("could not prepare the page to print: %w", err))
		return
	}
	path := filepath.Clean(f.Name())
	e.mw.hideModal(e.d)
	e.mw.background(func() error {
		msg, err := printFile(path)
		if err == nil {
			e.mw.do(func() { e.mw.showNotice(msg) })
		}
		return err
	}, func(err error) {
		if err != nil {
			e.mw.showNotice("Could not print: " + userText(err))
		}
	})
}

// ---- search ----

// searchPanel searches every conversation and opens a result in context.
type searchPanel struct {
	mw     *MainWindow
	arch   ArchiveBackend
	d      dialog.Dialog
	entry  *escEntry
	list   *widget.List
	status *widget.Label
	hits   []core.SearchHit
	seq    int // the latest query; older answers are dropped
}

// ShowSearch opens the search panel (Ctrl+F).
func (mw *MainWindow) ShowSearch() { mw.showSearch() }

func (mw *MainWindow) showSearch() *searchPanel {
	if p := mw.archive.search; p != nil {
		mw.win.Canvas().Focus(p.entry)
		return p
	}
	p := &searchPanel{mw: mw, arch: mw.b.Archive, status: caption("Type words to find in every conversation.")}
	p.entry = newEscEntry(false)
	p.entry.SetPlaceHolder("Search messages")
	p.entry.OnChanged = p.run
	p.entry.OnSubmitted = func(string) {
		if len(p.hits) > 0 {
			p.open(0)
		}
	}
	p.list = widget.NewList(func() int { return len(p.hits) }, newSearchRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { setSearchRow(o, p.hits[i]) })
	p.list.OnSelected = func(i widget.ListItemID) { p.open(i) }
	results := container.NewBorder(p.status, nil, nil, nil, p.list)
	content := container.NewBorder(p.entry, nil, nil, nil, results)
	d := dialog.NewCustom("Search all conversations", "Close", content, mw.win)
	d.Resize(fyne.NewSize(620, 480))
	p.d = d
	p.entry.onEscape = p.close
	mw.archive.search = p
	mw.showModal(d, p.close)
	d.SetOnClosed(func() {
		if mw.modal == d {
			mw.modal, mw.escape = nil, nil
		}
		mw.archive.search = nil
	})
	mw.win.Canvas().Focus(p.entry)
	return p
}

func (p *searchPanel) close() { p.mw.hideModal(p.d); p.mw.archive.search = nil }

// run searches in the background; only the newest query's answer counts.
func (p *searchPanel) run(query string) {
	p.seq++
	seq := p.seq
	if strings.TrimSpace(query) == "" {
		p.hits = nil
		p.list.Refresh()
		p.status.SetText("Type words to find in every conversation.")
		return
	}
	mw := p.mw
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		hits, err := p.arch.SearchArchive(query, searchLimit)
		mw.do(func() {
			if seq != p.seq {
				return
			}
			p.hits = hits
			p.list.UnselectAll()
			p.list.Refresh()
			switch {
			case err != nil:
				p.status.SetText("Search failed: " + userText(err))
			case len(hits) == 0:
				p.status.SetText("No messages found.")
			case len(hits) == searchLimit:
				p.status.SetText(fmt.Sprintf("The newest %d messages found; add words to narrow it down.", searchLimit))
			case len(hits) == 1:
				p.status.SetText("1 message found.")
			default:
				p.status.SetText(fmt.Sprintf("%d messages found.", len(hits)))
			}
		})
	}()
}

// open shows result i in its conversation.
func (p *searchPanel) open(i int) {
	if i < 0 || i >= len(p.hits) {
		return
	}
	h := p.hits[i]
	p.close()
	p.mw.jumpTo(h.Message.Conversation, h.Message.ID)
}

func newSearchRow() fyne.CanvasObject {
	who := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	when := caption("")
	snippet := widget.NewRichText()
	snippet.Wrapping = fyne.TextWrapWord
	return container.NewVBox(container.NewBorder(nil, nil, nil, when, who), snippet)
}

func setSearchRow(o fyne.CanvasObject, h core.SearchHit) {
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container)
	top.Objects[0].(*widget.Label).SetText(h.ContactName)
	top.Objects[1].(*widget.Label).SetText(h.Message.SentAt.Local().Format("2 Jan 2006 15:04"))
	rt := box.Objects[1].(*widget.RichText)
	rt.Segments = snippetSegments(h.Snippet, h.Match)
	rt.Refresh()
}

// snippetSegments renders a snippet with its match in bold.
func snippetSegments(s string, m [2]int) []widget.RichTextSegment {
	if m[1] <= m[0] || m[1] > len(s) {
		return []widget.RichTextSegment{&widget.TextSegment{Text: s, Style: widget.RichTextStyleInline}}
	}
	bold := widget.RichTextStyleStrong
	bold.Inline = true
	return []widget.RichTextSegment{
		&widget.TextSegment{Text: s[:m[0]], Style: widget.RichTextStyleInline},
		&widget.TextSegment{Text: s[m[0]:m[1]], Style: bold},
		&widget.TextSegment{Text: s[m[1]:], Style: widget.RichTextStyleInline},
	}
}

// jumpTo opens a conversation at one message: the messages around it are
// loaded when it is not among those shown, and it is highlighted and
// scrolled into view.
func (mw *MainWindow) jumpTo(peer, messageID string) {
	mw.archive.highlighted = ""
	if gid, ok := contacts.GroupID(peer); ok {
		mw.openGroup(gid)
	} else {
		mw.OpenConversation(peer)
	}
	if mw.selected != peer {
		mw.showNotice("That conversation is no longer in your contacts.")
		return
	}
	if _, shown := mw.chat.ids[messageID]; !shown {
		msgs, err := mw.b.Archive.MessagesAround(peer, messageID, aroundLimit)
		if errors.Is(err, core.ErrUnknownMessage) || (err == nil && len(msgs) == 0) {
			mw.showNotice("That message is no longer in the conversation.")
			return
		}
		if err != nil {
			mw.showNotice("Could not read this conversation: " + userText(err))
			return
		}
		mw.chat.setHistory(msgs, nil)
	}
	mw.chat.highlight(messageID)
}

// highlight marks a message's bubble and scrolls it into view.
func (cv *chatView) highlight(id string) {
	meta := cv.ids[id]
	if meta == nil || meta.row == nil {
		return
	}
	y := float32(0)
	for i, o := range cv.msgs.Objects {
		if o != meta.row {
			if o.Visible() {
				y += o.MinSize().Height + theme.Padding()
			}
			continue
		}
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
		bg.CornerRadius = 12
		row := container.NewStack(bg, meta.row)
		cv.msgs.Objects[i] = row
		meta.row = row
		cv.mw.archive.highlighted = id
		cv.msgs.Refresh()
		cv.stick, cv.bottom = false, false
		cv.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y-80)))
		return
	}
}
