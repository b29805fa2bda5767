package transfer

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
	"hearth/contacts"
)

// rowLook is what the row shows for its transfer: the parts in show are
// visible and every other part is hidden.
type rowLook struct {
	show               map[fyne.CanvasObject]bool
	name, size, status string
	nameImp, statusImp widget.Importance
	fill               color.Color
	icon               fyne.Resource
}

// Redraw shows r.Transfer.
func (r *Row) Redraw() {
	r.drawStamp()
	r.enableButtons(true)
	l := r.baseLook()
	switch r.Transfer.State {
	case contacts.Offered:
		r.lookOffered(&l)
	case contacts.Transferring, contacts.Paused:
		r.lookMoving(&l)
	case contacts.Verifying:
		l.show[r.Busy] = true
		l.status = "Checking…"
	case contacts.Done:
		r.lookDone(&l)
	case contacts.Quarantined:
		r.lookQuarantined(&l)
	case contacts.Declined, contacts.Cancelled, contacts.Failed:
		r.lookEnded(&l)
	}
	l.status = r.groupStatus(l.status) // groupfiles.go: sender, "sent to N of M"
	r.lookVoiceNote(&l)
	r.draw(l)
}

// drawStamp shows when the transfer was offered.
func (r *Row) drawStamp() {
	if stamp := r.Transfer.CreatedAt.Local().Format("15:04"); r.stamp.Text != stamp {
		r.stamp.Text = stamp
		r.stamp.Refresh()
	}
}

// baseLook is the row before its state has a say: name, size, the file's
// icon and my or their colour.
func (r *Row) baseLook() rowLook {
	t := r.Transfer
	l := rowLook{
		show: map[fyne.CanvasObject]bool{}, name: t.Name, size: kit.HumanSize(t.Size),
		nameImp: widget.MediumImportance, statusImp: widget.MediumImportance,
		fill: theme.Color(theme.ColorNameInputBackground), icon: kit.FileIcon(t),
	}
	if t.Outgoing {
		l.fill = kit.OutgoingBubble()
	}
	return l
}

// lookOffered: they may accept or decline mine, I may accept or decline theirs.
func (r *Row) lookOffered(l *rowLook) {
	if r.Transfer.Outgoing {
		l.status = lang.L("Waiting for {{.Name}} to accept", map[string]any{"Name": r.cv.PeerName()})
		l.show[r.cancel] = true
	} else {
		l.show[r.accept], l.show[r.decline] = true, true
	}
}

// lookMoving is a transfer under way or paused: progress, speed, pause or
// resume, cancel.
func (r *Row) lookMoving(l *rowLook) {
	t := r.Transfer
	l.show[r.Progress] = true
	if v := kit.Fraction(t.Done, t.Size); r.Progress.Value != v {
		r.Progress.SetValue(v)
	}
	l.size = lang.L("{{.Done}} of {{.Size}}", map[string]any{"Done": kit.HumanSize(t.Done), "Size": kit.HumanSize(t.Size)})
	if t.State == contacts.Transferring {
		l.status = r.speedText()
		l.show[r.pause] = true
	} else {
		l.status = lang.L("Paused")
		l.show[r.resume] = true
	}
	l.show[r.cancel] = true
}

// lookDone says how a finished file was scanned and offers to open a
// received one.
func (r *Row) lookDone(l *rowLook) {
	t := r.Transfer
	switch {
	case t.Outgoing:
		l.status = lang.L("Sent ✓")
	case t.VoiceNote:
	case t.Scan == contacts.Clean:
		l.status = lang.L("Scanned, clean")
		l.statusImp = widget.SuccessImportance
	case t.Reason != "": // the scanner failed on it
		l.status = lang.L("Not scanned: {{.Reason}}", map[string]any{"Reason": t.Reason})
		l.statusImp = widget.WarningImportance
	default:
		// No scanner on this computer: nothing to say about scanning (a
		// failed scan says so above).
		l.status = lang.L("Received ✓")
	}
	if !t.Outgoing && !t.VoiceNote && t.Path != "" {
		l.show[r.open], l.show[r.folder] = true, true
	}
}

// lookQuarantined warns about a virus the scanner found.
func (r *Row) lookQuarantined(l *rowLook) {
	sig := r.Transfer.Signature
	if sig == "" {
		sig = lang.L("unknown")
	}
	text := lang.L("Blocked: virus found ({{.Signature}}). The file was moved to quarantine.", map[string]any{"Signature": sig})
	if r.Transfer.Outgoing {
		text = lang.L("Blocked: {{.Name}}'s virus scanner found {{.Signature}}.", map[string]any{"Name": r.cv.PeerName(), "Signature": sig})
	}
	setText(r.Warn, strings.Join(kit.WrapText(text, transferWidth-2*theme.InnerPadding(), theme.TextSize(), r.Warn.TextStyle), "\n"))
	l.show[r.Warn] = true
	l.fill = QuarantineTint
	l.icon = theme.NewErrorThemedResource(theme.WarningIcon())
}

// lookEnded greys out a declined, cancelled or failed transfer and says why.
func (r *Row) lookEnded(l *rowLook) {
	line := r.Transfer.State.String()
	if reason := strings.TrimSpace(r.Transfer.Reason); reason != "" {
		line += ": " + reason
	}
	l.status = line // kept readable: the reason matters
	l.nameImp = widget.LowImportance
	l.icon = theme.NewDisabledResource(l.icon)
}

// lookVoiceNote names a voice note by its length and swaps the file icon
// for a play button once it can be played.
func (r *Row) lookVoiceNote(l *rowLook) {
	t := r.Transfer
	playable := r.playable()
	if t.VoiceNote {
		l.name = lang.L("Voice note")
		if d, ok := r.cv.Duration(t.ID); ok && d > 0 && !l.show[r.Progress] {
			l.size = kit.FormatElapsed(d)
		}
		if playable {
			r.cv.LoadDuration(r)
			r.SetPlaying(r.cv.Playing() == t.ID)
		}
	}
	l.show[r.Play], l.show[r.Icon] = playable, !playable
}

// draw puts l on the row's widgets, touching only what changed.
func (r *Row) draw(l rowLook) {
	if l.status != "" {
		w := transferWidth - 2*theme.InnerPadding()
		setText(r.status, strings.Join(kit.WrapText(l.status, w, theme.CaptionTextSize(), fyne.TextStyle{}), "\n"))
		l.show[r.status] = true
	}
	for _, o := range []fyne.CanvasObject{r.Progress, r.status, r.Warn, r.Icon, r.Play,
		r.accept, r.decline, r.pause, r.resume, r.cancel, r.open, r.folder} {
		SetVisible(o, l.show[o])
	}
	r.drawBusy(l.show[r.Busy])
	if r.Icon.Resource != l.icon {
		r.Icon.SetResource(l.icon)
	}
	setText(r.Name, l.name)
	setText(r.size, l.size)
	if r.Name.Importance != l.nameImp {
		r.Name.Importance = l.nameImp
		r.Name.Refresh()
	}
	if r.status.Importance != l.statusImp {
		r.status.Importance = l.statusImp
		r.status.Refresh()
	}
	if r.Bg.FillColor != l.fill {
		r.Bg.FillColor = l.fill
		r.Bg.Refresh()
	}
	r.ShowThumb()
}

// drawBusy shows and animates the "checking" bar, or stops and hides it.
func (r *Row) drawBusy(on bool) {
	if on == r.Busy.Visible() {
		return
	}
	if on {
		r.Busy.Show()
		r.Busy.Start()
	} else {
		r.Busy.Stop()
		r.Busy.Hide()
	}
}

// SetVisible shows or hides o.
func SetVisible(o fyne.CanvasObject, on bool) {
	switch {
	case on && !o.Visible():
		o.Show()
	case !on && o.Visible():
		o.Hide()
	}
}

// setText changes a label only when its text differs: progress ticks
// would otherwise refresh every label of the row.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}
