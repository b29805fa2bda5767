package ui

import (
	"fmt"
	"image/color"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
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
	outgoingTint   = color.NRGBA{R: kit.Ember.R, G: kit.Ember.G, B: kit.Ember.B, A: 0x38}
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
	r.size = kit.Caption("")
	r.size.Truncation = fyne.TextTruncateEllipsis
	r.progress = widget.NewProgressBar()
	r.busy = widget.NewProgressBarInfinite()
	r.busy.Hide()
	r.status = kit.Caption("")
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
	head := container.NewBorder(nil, nil, iconBox, nil, kit.TightVBox(r.name, r.size))
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
	r.cv.mw.Background(func() error { return fn(id) }, func(err error) {
		r.enableButtons(true)
		if err != nil {
			r.cv.mw.ShowNotice(fmt.Sprintf("Could not %s “%s”: %s", what, name, kit.UserText(err)))
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
	return kit.HumanSize(int64(r.speed)) + "/s · " + kit.TimeLeft(left)
}

// showThumb puts the image in place of the icon once a picture is
// complete; the first call starts decoding it.
func (r *transferRow) showThumb() {
	t := r.t
	if !kit.IsImage(t) || t.State != contacts.Done || t.Path == "" {
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
