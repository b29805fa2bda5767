package search

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/archive"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// Limit is how many results the search panel lists.
const Limit = 100

// Host is what the search panel needs from the main window.
type Host interface {
	Window() fyne.Window
	Background(fn func() error, done func(error))
	ShowModal(d dialog.Dialog, onEscape func())
	HideModal(d dialog.Dialog)
	// ModalClosed is told when d closed by itself (its Close button).
	ModalClosed(d dialog.Dialog)
	// JumpTo opens a conversation at one message.
	JumpTo(peer, messageID string)
}

// Finder opens one main window's search panel.
type Finder struct {
	host Host
	arch area.ArchiveBackend
	// Open is the open search panel, or nil.
	Open *Panel
}

// New makes the main window's Finder.
func New(host Host, arch area.ArchiveBackend) *Finder {
	return &Finder{host: host, arch: arch}
}

// Panel searches every conversation and opens a result in context.
type Panel struct {
	f      *Finder
	d      dialog.Dialog
	Entry  *kit.EscEntry
	List   *widget.List
	Status *widget.Label
	Hits   []archive.SearchHit
	seq    int // the latest query; older answers are dropped
}

// Show opens the search panel, or focuses the open one.
func (f *Finder) Show() *Panel {
	win := f.host.Window()
	if p := f.Open; p != nil {
		win.Canvas().Focus(p.Entry)
		return p
	}
	p := &Panel{f: f, Status: kit.Caption(lang.L("Type words to find in every conversation."))}
	p.Entry = kit.NewEscEntry(false)
	p.Entry.SetPlaceHolder(lang.L("Search messages"))
	p.Entry.OnChanged = p.run
	p.Entry.OnSubmitted = func(string) {
		if len(p.Hits) > 0 {
			p.open(0)
		}
	}
	p.List = widget.NewList(func() int { return len(p.Hits) }, newRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { SetRow(o, p.Hits[i]) })
	p.List.OnSelected = func(i widget.ListItemID) { p.open(i) }
	results := container.NewBorder(p.Status, nil, nil, nil, p.List)
	content := container.NewBorder(p.Entry, nil, nil, nil, results)
	d := dialog.NewCustom(lang.L("Search all conversations"), lang.L("Close"), content, win)
	d.Resize(fyne.NewSize(620, 480))
	p.d = d
	p.Entry.OnEscape = p.close
	f.Open = p
	f.host.ShowModal(d, p.close)
	d.SetOnClosed(func() {
		f.host.ModalClosed(d)
		f.Open = nil
	})
	win.Canvas().Focus(p.Entry)
	return p
}

func (p *Panel) close() { p.f.host.HideModal(p.d); p.f.Open = nil }

// run searches in the background; only the newest query's answer counts.
func (p *Panel) run(query string) {
	p.seq++
	seq := p.seq
	if strings.TrimSpace(query) == "" {
		p.Hits = nil
		p.List.Refresh()
		p.Status.SetText(lang.L("Type words to find in every conversation."))
		return
	}
	var hits []archive.SearchHit
	p.f.host.Background(func() (err error) {
		hits, err = p.f.arch.SearchArchive(query, Limit)
		return err
	}, func(err error) {
		if seq != p.seq {
			return
		}
		p.Hits = hits
		p.List.UnselectAll()
		p.List.Refresh()
		switch {
		case err != nil:
			p.Status.SetText(lang.L("Search failed: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
		case len(hits) == 0:
			p.Status.SetText(lang.L("No messages found."))
		case len(hits) == Limit:
			p.Status.SetText(lang.L("The newest {{.Count}} messages found; add words to narrow it down.", map[string]any{"Count": Limit}))
		case len(hits) == 1:
			p.Status.SetText("1 message found.")
		default:
			p.Status.SetText(fmt.Sprintf("%d messages found.", len(hits)))
		}
	})
}

// open shows result i in its conversation.
func (p *Panel) open(i int) {
	if i < 0 || i >= len(p.Hits) {
		return
	}
	h := p.Hits[i]
	p.close()
	p.f.host.JumpTo(h.Message.Conversation, h.Message.ID)
}

func newRow() fyne.CanvasObject {
	who := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	when := kit.Caption("")
	snippet := widget.NewRichText()
	snippet.Wrapping = fyne.TextWrapWord
	return container.NewVBox(container.NewBorder(nil, nil, nil, when, who), snippet)
}

// SetRow shows hit h in a result row: the contact, the time and the
// snippet.
func SetRow(o fyne.CanvasObject, h archive.SearchHit) {
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
