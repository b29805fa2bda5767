package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/archive"
	"hearth/app/core/base"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// searchPanel searches every conversation and opens a result in context.
type searchPanel struct {
	mw     *MainWindow
	arch   area.ArchiveBackend
	d      dialog.Dialog
	entry  *kit.EscEntry
	list   *widget.List
	status *widget.Label
	hits   []archive.SearchHit
	seq    int // the latest query; older answers are dropped
}

// ShowSearch opens the search panel (Ctrl+F).
func (mw *MainWindow) ShowSearch() { mw.showSearch() }

func (mw *MainWindow) showSearch() *searchPanel {
	if p := mw.archive.search; p != nil {
		mw.win.Canvas().Focus(p.entry)
		return p
	}
	p := &searchPanel{mw: mw, arch: mw.b.Archive, status: kit.Caption("Type words to find in every conversation.")}
	p.entry = kit.NewEscEntry(false)
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
	p.entry.OnEscape = p.close
	mw.archive.search = p
	mw.ShowModal(d, p.close)
	d.SetOnClosed(func() {
		if mw.modal == d {
			mw.modal, mw.escape = nil, nil
		}
		mw.archive.search = nil
	})
	mw.win.Canvas().Focus(p.entry)
	return p
}

func (p *searchPanel) close() { p.mw.HideModal(p.d); p.mw.archive.search = nil }

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
				p.status.SetText("Search failed: " + kit.UserText(err))
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
	when := kit.Caption("")
	snippet := widget.NewRichText()
	snippet.Wrapping = fyne.TextWrapWord
	return container.NewVBox(container.NewBorder(nil, nil, nil, when, who), snippet)
}

func setSearchRow(o fyne.CanvasObject, h archive.SearchHit) {
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
		mw.OpenGroup(gid)
	} else {
		mw.OpenConversation(peer)
	}
	if mw.selected != peer {
		mw.ShowNotice("That conversation is no longer in your contacts.")
		return
	}
	if _, shown := mw.chat.ids[messageID]; !shown {
		msgs, err := mw.b.Archive.MessagesAround(peer, messageID, aroundLimit)
		if errors.Is(err, base.ErrUnknownMessage) || (err == nil && len(msgs) == 0) {
			mw.ShowNotice("That message is no longer in the conversation.")
			return
		}
		if err != nil {
			mw.ShowNotice("Could not read this conversation: " + kit.UserText(err))
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
