package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
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

// redraw shows r.t.
func (r *transferRow) redraw() {
	r.drawStamp()
	r.enableButtons(true)
	l := r.baseLook()
	switch r.t.State {
	case contacts.Offered:
		r.lookOffered(&l)
	case contacts.Transferring, contacts.Paused:
		r.lookMoving(&l)
	case contacts.Verifying:
		l.show[r.busy] = true
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
func (r *transferRow) drawStamp() {
	if stamp := r.t.CreatedAt.Local().Format("15:04"); r.stamp.Text != stamp {
		r.stamp.Text = stamp
		r.stamp.Refresh()
	}
}

// baseLook is the row before its state has a say: name, size, the file's
// icon and my or their colour.
func (r *transferRow) baseLook() rowLook {
	t := r.t
	l := rowLook{
		show: map[fyne.CanvasObject]bool{}, name: t.Name, size: kit.HumanSize(t.Size),
		nameImp: widget.MediumImportance, statusImp: widget.MediumImportance,
		fill: theme.Color(theme.ColorNameInputBackground), icon: kit.FileIcon(t),
	}
	if t.Outgoing {
		l.fill = outgoingTint
	}
	return l
}

// lookOffered: they may accept or decline mine, I may accept or decline theirs.
func (r *transferRow) lookOffered(l *rowLook) {
	if r.t.Outgoing {
		l.status = "Waiting for " + r.cv.peerName + " to accept"
		l.show[r.cancel] = true
	} else {
		l.show[r.accept], l.show[r.decline] = true, true
	}
}

// lookMoving is a transfer under way or paused: progress, speed, pause or
// resume, cancel.
func (r *transferRow) lookMoving(l *rowLook) {
	t := r.t
	l.show[r.progress] = true
	if v := kit.Fraction(t.Done, t.Size); r.progress.Value != v {
		r.progress.SetValue(v)
	}
	l.size = kit.HumanSize(t.Done) + " of " + kit.HumanSize(t.Size)
	if t.State == contacts.Transferring {
		l.status = r.speedText()
		l.show[r.pause] = true
	} else {
		l.status = "Paused"
		l.show[r.resume] = true
	}
	l.show[r.cancel] = true
}

// lookDone says how a finished file was scanned and offers to open a
// received one.
func (r *transferRow) lookDone(l *rowLook) {
	t := r.t
	switch {
	case t.Outgoing:
		l.status = "Sent ✓"
	case t.VoiceNote:
	case t.Scan == contacts.Clean:
		l.status = "Scanned, clean"
		l.statusImp = widget.SuccessImportance
	case t.Reason != "": // the scanner failed on it
		l.status = "Not scanned: " + t.Reason
		l.statusImp = widget.WarningImportance
	default:
		l.status = "Not scanned (no virus scanner)"
	}
	if !t.Outgoing && !t.VoiceNote && t.Path != "" {
		l.show[r.open], l.show[r.folder] = true, true
	}
}

// lookQuarantined warns about a virus the scanner found.
func (r *transferRow) lookQuarantined(l *rowLook) {
	sig := r.t.Signature
	if sig == "" {
		sig = "unknown"
	}
	text := "Blocked: virus found (" + sig + "). The file was moved to quarantine."
	if r.t.Outgoing {
		text = "Blocked: " + r.cv.peerName + "'s virus scanner found " + sig + "."
	}
	setText(r.warn, strings.Join(kit.WrapText(text, transferWidth-2*theme.InnerPadding(), theme.TextSize(), r.warn.TextStyle), "\n"))
	l.show[r.warn] = true
	l.fill = quarantineTint
	l.icon = theme.NewErrorThemedResource(theme.WarningIcon())
}

// lookEnded greys out a declined, cancelled or failed transfer and says why.
func (r *transferRow) lookEnded(l *rowLook) {
	line := r.t.State.String()
	if reason := strings.TrimSpace(r.t.Reason); reason != "" {
		line += ": " + reason
	}
	l.status = line // kept readable: the reason matters
	l.nameImp = widget.LowImportance
	l.icon = theme.NewDisabledResource(l.icon)
}

// lookVoiceNote names a voice note by its length and swaps the file icon
// for a play button once it can be played.
func (r *transferRow) lookVoiceNote(l *rowLook) {
	t := r.t
	playable := r.playable()
	if t.VoiceNote {
		l.name = "Voice note"
		if d, ok := r.cv.durations[t.ID]; ok && d > 0 && !l.show[r.progress] {
			l.size = kit.FormatElapsed(d)
		}
		if playable {
			r.cv.loadDuration(r)
			r.setPlaying(r.cv.playing == t.ID)
		}
	}
	l.show[r.play], l.show[r.icon] = playable, !playable
}

// draw puts l on the row's widgets, touching only what changed.
func (r *transferRow) draw(l rowLook) {
	if l.status != "" {
		w := transferWidth - 2*theme.InnerPadding()
		setText(r.status, strings.Join(kit.WrapText(l.status, w, theme.CaptionTextSize(), fyne.TextStyle{}), "\n"))
		l.show[r.status] = true
	}
	for _, o := range []fyne.CanvasObject{r.progress, r.status, r.warn, r.icon, r.play,
		r.accept, r.decline, r.pause, r.resume, r.cancel, r.open, r.folder} {
		setVisible(o, l.show[o])
	}
	r.drawBusy(l.show[r.busy])
	if r.icon.Resource != l.icon {
		r.icon.SetResource(l.icon)
	}
	setText(r.name, l.name)
	setText(r.size, l.size)
	if r.name.Importance != l.nameImp {
		r.name.Importance = l.nameImp
		r.name.Refresh()
	}
	if r.status.Importance != l.statusImp {
		r.status.Importance = l.statusImp
		r.status.Refresh()
	}
	if r.bg.FillColor != l.fill {
		r.bg.FillColor = l.fill
		r.bg.Refresh()
	}
	r.showThumb()
}

// drawBusy shows and animates the "checking" bar, or stops and hides it.
func (r *transferRow) drawBusy(on bool) {
	if on == r.busy.Visible() {
		return
	}
	if on {
		r.busy.Show()
		r.busy.Start()
	} else {
		r.busy.Stop()
		r.busy.Hide()
	}
}

func setVisible(o fyne.CanvasObject, on bool) {
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
