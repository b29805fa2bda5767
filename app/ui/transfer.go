package ui

import (
	"fmt"
	"image/color"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/contacts"
)

// transferWidth is the width of a transfer bubble's content. A fixed width
// keeps names truncating and reasons wrapping the same way on every row.
const transferWidth = 300

// speedWindow is the shortest gap between two progress samples used for
// the speed; closer updates are folded into the next sample.
const speedWindow = 200 * time.Millisecond

// speedSmoothing is the weight of the newest sample in the running speed.
const speedSmoothing = 0.3

var (
	quarantineTint = color.NRGBA{R: 0xD6, G: 0x3B, B: 0x3B, A: 0x30}
	outgoingTint   = color.NRGBA{R: ember.R, G: ember.G, B: ember.B, A: 0x38}
)

// transferRow is one file or voice note in the conversation. It is built
// once and updated in place by set, so progress ticks touch only the few
// widgets that change.
type transferRow struct {
	cv   *chatView
	t    contacts.Transfer
	root fyne.CanvasObject // what the conversation holds
	line *fyne.Container   // the bubble, aligned to its side

	bg       *canvas.Rectangle
	thumb    *canvas.Image
	icon     *widget.Icon
	play     *widget.Button // voice notes
	name     *widget.Label
	size     *widget.Label
	progress *widget.ProgressBar
	busy     *widget.ProgressBarInfinite
	status   *widget.Label
	warn     *widget.Label

	accept, decline, pause, resume, cancel, open, folder *widget.Button
	buttons                                              *fyne.Container
	stamp                                                *canvas.Text

	// speed estimate while Transferring
	lastAt   time.Time
	lastDone int64
	speed    float64 // bytes per second, smoothed; 0 until known
}

func newTransferRow(cv *chatView, t contacts.Transfer) *transferRow {
	r := &transferRow{cv: cv}
	r.thumb = canvas.NewImageFromImage(nil)
	r.thumb.FillMode = canvas.ImageFillContain
	r.thumb.ScaleMode = canvas.ImageScaleSmooth
	r.thumb.Hide()
	r.icon = widget.NewIcon(theme.FileIcon())
	r.play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), func() { cv.togglePlay(r) })
	r.play.Importance = widget.HighImportance
	r.play.Hide()
	r.name = widget.NewLabel("")
	r.name.TextStyle.Bold = true
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.size = caption("")
	r.size.Truncation = fyne.TextTruncateEllipsis
	r.progress = widget.NewProgressBar()
	r.busy = widget.NewProgressBarInfinite()
	r.busy.Hide()
	r.status = caption("")
	r.warn = widget.NewLabel("")
	r.warn.Importance = widget.DangerImportance
	r.warn.TextStyle.Bold = true

	mw := cv.mw
	r.accept = widget.NewButtonWithIcon("Accept", theme.DownloadIcon(), func() { r.act("accept", cv.files.AcceptTransfer) })
	r.accept.Importance = widget.HighImportance
	r.decline = widget.NewButtonWithIcon("Decline", theme.CancelIcon(), func() { r.act("decline", cv.files.DeclineTransfer) })
	r.pause = widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), func() { r.act("pause", cv.files.PauseTransfer) })
	r.resume = widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), func() { r.act("resume", cv.files.ResumeTransfer) })
	r.resume.Importance = widget.HighImportance
	r.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { r.act("cancel", cv.files.CancelTransfer) })
	r.open = widget.NewButtonWithIcon("Open", theme.FileIcon(), func() { mw.openPath(r.t.Path) })
	r.open.Importance = widget.HighImportance
	r.folder = widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), func() { mw.openPath(filepath.Dir(r.t.Path)) })
	r.buttons = container.NewHBox(r.accept, r.decline, r.pause, r.resume, r.open, r.folder, r.cancel)

	muted := theme.Color(theme.ColorNamePlaceHolder)
	r.stamp = canvas.NewText("", muted)
	r.stamp.TextSize = theme.CaptionTextSize()

	// Leading: the file icon, or the play button of a voice note.
	iconBox := container.NewCenter(container.NewStack(
		container.NewGridWrap(fyne.NewSquareSize(36), r.icon), r.play))
	head := container.NewBorder(nil, nil, iconBox, nil, tightVBox(r.name, r.size))
	pad := theme.InnerPadding()
	// The labels bring their own inner padding; the rows need none.
	body := container.New(layout.NewCustomPaddedVBoxLayout(0),
		container.NewCenter(r.thumb),
		head,
		r.progress, r.busy,
		r.status, r.warn,
		container.NewBorder(nil, nil, nil, container.NewVBox(layout.NewSpacer(), r.stamp), r.buttons))
	inner := container.New(layout.NewCustomPaddedLayout(pad/2, pad/2, pad, pad),
		container.New(&fixedWidthLayout{width: transferWidth}, body))

	r.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	r.bg.CornerRadius = 12
	bubble := container.NewStack(r.bg, inner)
	if t.Outgoing {
		r.bg.FillColor = outgoingTint
		r.line = container.NewHBox(layout.NewSpacer(), bubble)
	} else {
		r.line = container.NewHBox(bubble, layout.NewSpacer())
	}
	// A little air between stacked file bubbles.
	r.root = container.New(layout.NewCustomPaddedLayout(theme.Padding()/2, theme.Padding()/2, 0, 0), r.line)
	r.set(t)
	return r
}

// fixedWidthLayout gives its objects one width and the tallest minimum
// height.
type fixedWidthLayout struct{ width float32 }

func (l *fixedWidthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *fixedWidthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

// act runs one of the backend's transfer actions off the UI goroutine. The
// TransferChanged event that follows redraws the row.
func (r *transferRow) act(what string, fn func(id string) error) {
	id, name := r.t.ID, r.t.Name
	r.enableButtons(false)
	r.cv.mw.background(func() error { return fn(id) }, func(err error) {
		r.enableButtons(true)
		if err != nil {
			r.cv.mw.showNotice(fmt.Sprintf("Could not %s “%s”: %s", what, name, userText(err)))
		}
	})
}

func (r *transferRow) enableButtons(on bool) {
	for _, b := range []*widget.Button{r.accept, r.decline, r.pause, r.resume, r.cancel} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// set shows the transfer's current state.
func (r *transferRow) set(t contacts.Transfer) {
	prev := r.t
	r.t = t
	r.observe(prev, t)
	r.redraw()
}

// redraw shows r.t.
func (r *transferRow) redraw() {
	t := r.t

	if stamp := t.CreatedAt.Local().Format("15:04"); r.stamp.Text != stamp {
		r.stamp.Text = stamp
		r.stamp.Refresh()
	}

	// What the state shows; everything else in the row is hidden.
	show := map[fyne.CanvasObject]bool{}
	r.enableButtons(true)
	nameImp, statusImp := widget.MediumImportance, widget.MediumImportance
	fill := theme.Color(theme.ColorNameInputBackground)
	if t.Outgoing {
		fill = outgoingTint
	}
	status := ""
	res := fileIcon(t)
	size := humanSize(t.Size)

	switch t.State {
	case contacts.Offered:
		if t.Outgoing {
			status = "Waiting for " + r.cv.peerName + " to accept"
			show[r.cancel] = true
		} else {
			show[r.accept], show[r.decline] = true, true
		}
	case contacts.Transferring, contacts.Paused:
		show[r.progress] = true
		if v := fraction(t.Done, t.Size); r.progress.Value != v {
			r.progress.SetValue(v)
		}
		size = humanSize(t.Done) + " of " + humanSize(t.Size)
		if t.State == contacts.Transferring {
			status = r.speedText()
			show[r.pause] = true
		} else {
			status = "Paused"
			show[r.resume] = true
		}
		show[r.cancel] = true
	case contacts.Verifying:
		show[r.busy] = true
		status = "Checking…"
	case contacts.Done:
		switch {
		case t.Outgoing:
			status = "Sent ✓"
		case t.VoiceNote:
		case t.Scan == contacts.Clean:
			status = "Scanned, clean"
			statusImp = widget.SuccessImportance
		case t.Reason != "": // the scanner failed on it
			status = "Not scanned: " + t.Reason
			statusImp = widget.WarningImportance
		default:
			status = "Not scanned (no virus scanner)"
		}
		if !t.Outgoing && !t.VoiceNote && t.Path != "" {
			show[r.open], show[r.folder] = true, true
		}
	case contacts.Quarantined:
		sig := t.Signature
		if sig == "" {
			sig = "unknown"
		}
		text := "Blocked: virus found (" + sig + "). The file was moved to quarantine."
		if t.Outgoing {
			text = "Blocked: " + r.cv.peerName + "'s virus scanner found " + sig + "."
		}
		setText(r.warn, strings.Join(wrapText(text, transferWidth-2*theme.InnerPadding(), theme.TextSize(), r.warn.TextStyle), "\n"))
		show[r.warn] = true
		fill = quarantineTint
		res = theme.NewErrorThemedResource(theme.WarningIcon())
	case contacts.Declined, contacts.Cancelled, contacts.Failed:
		line := t.State.String()
		if reason := strings.TrimSpace(t.Reason); reason != "" {
			line += ": " + reason
		}
		status = line // kept readable: the reason matters
		nameImp = widget.LowImportance
		res = theme.NewDisabledResource(res)
	}

	status = r.groupStatus(status) // groupfiles.go: sender, "sent to N of M"

	name := t.Name
	playable := r.playable()
	if t.VoiceNote {
		name = "Voice note"
		if d, ok := r.cv.durations[t.ID]; ok && d > 0 && !show[r.progress] {
			size = formatElapsed(d)
		}
		if playable {
			r.cv.loadDuration(r)
			r.setPlaying(r.cv.playing == t.ID)
		}
	}
	show[r.play], show[r.icon] = playable, !playable
	if status != "" {
		w := transferWidth - 2*theme.InnerPadding()
		setText(r.status, strings.Join(wrapText(status, w, theme.CaptionTextSize(), fyne.TextStyle{}), "\n"))
		show[r.status] = true
	}
	for _, o := range []fyne.CanvasObject{r.progress, r.status, r.warn, r.icon, r.play,
		r.accept, r.decline, r.pause, r.resume, r.cancel, r.open, r.folder} {
		setVisible(o, show[o])
	}
	if show[r.busy] != r.busy.Visible() {
		if show[r.busy] {
			r.busy.Show()
			r.busy.Start()
		} else {
			r.busy.Stop()
			r.busy.Hide()
		}
	}
	if r.icon.Resource != res {
		r.icon.SetResource(res)
	}
	setText(r.name, name)
	setText(r.size, size)
	if r.name.Importance != nameImp {
		r.name.Importance = nameImp
		r.name.Refresh()
	}
	if r.status.Importance != statusImp {
		r.status.Importance = statusImp
		r.status.Refresh()
	}
	if r.bg.FillColor != fill {
		r.bg.FillColor = fill
		r.bg.Refresh()
	}
	r.showThumb()
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

// playable: a voice note whose file is on this computer.
func (r *transferRow) playable() bool {
	t := r.t
	if !t.VoiceNote || t.State == contacts.Quarantined {
		return false
	}
	if t.Outgoing {
		return t.Path != ""
	}
	return t.State == contacts.Done
}

func (r *transferRow) setPlaying(on bool) {
	if on {
		r.play.SetIcon(theme.MediaStopIcon())
	} else {
		r.play.SetIcon(theme.MediaPlayIcon())
	}
}

// observe folds a progress update into the smoothed speed.
func (r *transferRow) observe(prev, t contacts.Transfer) {
	if t.State != contacts.Transferring {
		r.lastAt, r.speed = time.Time{}, 0
		return
	}
	now := r.cv.now()
	if r.lastAt.IsZero() || prev.State != contacts.Transferring || t.Done < r.lastDone {
		r.lastAt, r.lastDone = now, t.Done
		return
	}
	dt := now.Sub(r.lastAt)
	if dt < speedWindow {
		return
	}
	rate := float64(t.Done-r.lastDone) / dt.Seconds()
	if r.speed == 0 {
		r.speed = rate
	} else {
		r.speed = speedSmoothing*rate + (1-speedSmoothing)*r.speed
	}
	r.lastAt, r.lastDone = now, t.Done
}

func (r *transferRow) speedText() string {
	if r.speed <= 0 {
		return "Starting…"
	}
	left := time.Duration(float64(r.t.Size-r.t.Done) / r.speed * float64(time.Second))
	return humanSize(int64(r.speed)) + "/s · " + timeLeft(left)
}

// showThumb puts the image in place of the icon once a picture is
// complete; the first call starts decoding it.
func (r *transferRow) showThumb() {
	t := r.t
	if !isImage(t) || t.State != contacts.Done || t.Path == "" {
		r.thumb.Hide()
		return
	}
	img, ok := r.cv.thumbs.get(t.ID)
	if !ok {
		r.thumb.Hide()
		r.cv.loadThumb(t.ID, t.Path)
		return
	}
	if img == nil {
		r.thumb.Hide() // could not be decoded: the plain file row stays
		return
	}
	if r.thumb.Image != img {
		r.thumb.Image = img
		b := img.Bounds()
		r.thumb.SetMinSize(fyne.NewSize(float32(b.Dx()), float32(b.Dy())))
		r.thumb.Refresh()
	}
	r.thumb.Show()
}

func fraction(done, size int64) float64 {
	if size <= 0 {
		return 1
	}
	return min(1, max(0, float64(done)/float64(size)))
}

// humanSize writes a byte count the way file managers do: 1.5 MB.
func humanSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n) / unit
	units := []string{"kB", "MB", "GB", "TB"}
	i := 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// timeLeft says roughly how long is left.
func timeLeft(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return "a few seconds left"
	case d < time.Minute:
		return fmt.Sprintf("%d s left", int(d.Seconds())/5*5)
	case d < time.Hour:
		return fmt.Sprintf("%d min left", int(d.Minutes()+0.5))
	case d < 100*time.Hour:
		h := int(d.Hours())
		return fmt.Sprintf("%d h %d min left", h, int(d.Minutes())-60*h)
	default:
		return "many hours left"
	}
}

// formatElapsed is m:ss.
func formatElapsed(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true}

// isImage: a picture the thumbnail decoder understands.
func isImage(t contacts.Transfer) bool {
	switch strings.ToLower(t.MIME) {
	case "image/png", "image/jpeg", "image/gif":
		return true
	}
	return imageExts[strings.ToLower(filepath.Ext(t.Name))]
}

func fileIcon(t contacts.Transfer) fyne.Resource {
	if t.VoiceNote {
		return micIcon
	}
	mime := strings.ToLower(t.MIME)
	switch {
	case strings.HasPrefix(mime, "image/") || imageExts[strings.ToLower(filepath.Ext(t.Name))]:
		return theme.FileImageIcon()
	case strings.HasPrefix(mime, "audio/"):
		return theme.FileAudioIcon()
	case strings.HasPrefix(mime, "video/"):
		return theme.FileVideoIcon()
	case strings.HasPrefix(mime, "text/"):
		return theme.FileTextIcon()
	case strings.HasPrefix(mime, "application/"):
		return theme.FileApplicationIcon()
	}
	return theme.FileIcon()
}

// micIcon is a microphone (the Material "mic" glyph); Fyne's theme has
// none.
var micIcon = theme.NewThemedResource(fyne.NewStaticResource("mic.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path d="M12 14c1.66 0 2.99-1.34 2.99-3L15 5c0-1.66-1.34-3-3-3S9 3.34 9 5v6c0 1.66 1.34 3 3 3zm5.3-3c0 3-2.54 5.1-5.3 5.1S6.7 14 6.7 11H5c0 3.41 2.72 6.23 6 6.72V21h2v-3.28c3.28-.48 6-3.3 6-6.72h-1.7z"/>`+
		`</svg>`)))
