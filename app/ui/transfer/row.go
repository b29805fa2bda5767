package transfer

import (
	"image/color"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
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
	QuarantineTint = color.NRGBA{R: 0xD6, G: 0x3B, B: 0x3B, A: 0x30}
)

// Row is one file or voice note in the conversation. It is built
// once and updated in place by set, so progress ticks touch only the few
// widgets that change.
type Row struct {
	cv       Conversation
	Transfer contacts.Transfer
	Root     fyne.CanvasObject // what the conversation holds
	Line     *fyne.Container   // the bubble, aligned to its side

	Bg       *canvas.Rectangle
	Thumb    *canvas.Image
	Icon     *widget.Icon
	Play     *widget.Button // voice notes
	Name     *widget.Label
	size     *widget.Label
	Progress *widget.ProgressBar
	Busy     *widget.ProgressBarInfinite
	status   *widget.Label
	Warn     *widget.Label

	accept, decline, pause, resume, cancel, open, folder *widget.Button
	buttons                                              *fyne.Container
	stamp                                                *canvas.Text

	// speed estimate while Transferring
	lastAt   time.Time
	lastDone int64
	speed    float64 // bytes per second, smoothed; 0 until known
}

// NewRow builds the row of transfer t in the conversation cv.
func NewRow(cv Conversation, t contacts.Transfer) *Row {
	r := &Row{cv: cv}
	r.Thumb = canvas.NewImageFromImage(nil)
	r.Thumb.FillMode = canvas.ImageFillContain
	r.Thumb.ScaleMode = canvas.ImageScaleSmooth
	r.Thumb.Hide()
	r.Icon = widget.NewIcon(theme.FileIcon())
	r.Play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), func() { cv.TogglePlay(r) })
	r.Play.Importance = widget.HighImportance
	r.Play.Hide()
	r.Name = widget.NewLabel("")
	r.Name.TextStyle.Bold = true
	r.Name.Truncation = fyne.TextTruncateEllipsis
	r.size = kit.Caption("")
	r.size.Truncation = fyne.TextTruncateEllipsis
	r.Progress = widget.NewProgressBar()
	r.Busy = widget.NewProgressBarInfinite()
	r.Busy.Hide()
	r.status = kit.Caption("")
	r.Warn = widget.NewLabel("")
	r.Warn.Importance = widget.DangerImportance
	r.Warn.TextStyle.Bold = true

	r.accept = widget.NewButtonWithIcon(lang.L("Accept"), theme.DownloadIcon(), func() { r.act(lang.L("accept"), cv.Files().AcceptTransfer) })
	r.accept.Importance = widget.HighImportance
	r.decline = widget.NewButtonWithIcon(lang.L("Decline"), theme.CancelIcon(), func() { r.act(lang.L("decline"), cv.Files().DeclineTransfer) })
	r.pause = widget.NewButtonWithIcon(lang.L("Pause"), theme.MediaPauseIcon(), func() { r.act(lang.L("pause"), cv.Files().PauseTransfer) })
	r.resume = widget.NewButtonWithIcon(lang.L("Resume"), theme.MediaPlayIcon(), func() { r.act(lang.L("resume"), cv.Files().ResumeTransfer) })
	r.resume.Importance = widget.HighImportance
	r.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() { r.act(lang.L("cancel"), cv.Files().CancelTransfer) })
	r.open = widget.NewButtonWithIcon(lang.L("Open"), theme.FileIcon(), func() { cv.OpenPath(r.Transfer.Path) })
	r.open.Importance = widget.HighImportance
	r.folder = widget.NewButtonWithIcon(lang.L("Show in folder"), theme.FolderOpenIcon(), func() { cv.OpenPath(filepath.Dir(r.Transfer.Path)) })
	r.buttons = container.NewHBox(r.accept, r.decline, r.pause, r.resume, r.open, r.folder, r.cancel)

	muted := theme.Color(theme.ColorNamePlaceHolder)
	r.stamp = canvas.NewText("", muted)
	r.stamp.TextSize = theme.CaptionTextSize()

	// Leading: the file icon, or the play button of a voice note.
	iconBox := container.NewCenter(container.NewStack(
		container.NewGridWrap(fyne.NewSquareSize(36), r.Icon), r.Play))
	head := container.NewBorder(nil, nil, iconBox, nil, kit.TightVBox(r.Name, r.size))
	pad := theme.InnerPadding()
	// The labels bring their own inner padding; the rows need none.
	body := container.New(layout.NewCustomPaddedVBoxLayout(0),
		container.NewCenter(r.Thumb),
		head,
		r.Progress, r.Busy,
		r.status, r.Warn,
		container.NewBorder(nil, nil, nil, container.NewVBox(layout.NewSpacer(), r.stamp), r.buttons))
	inner := container.New(layout.NewCustomPaddedLayout(pad/2, pad/2, pad, pad),
		container.New(&fixedWidthLayout{width: transferWidth}, body))

	r.Bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	r.Bg.CornerRadius = 12
	bubble := container.NewStack(r.Bg, inner)
	if t.Outgoing {
		r.Bg.FillColor = kit.OutgoingBubble()
		r.Line = container.NewHBox(layout.NewSpacer(), bubble)
	} else {
		r.Line = container.NewHBox(bubble, layout.NewSpacer())
	}
	// A little air between stacked file bubbles.
	r.Root = container.New(layout.NewCustomPaddedLayout(theme.Padding()/2, theme.Padding()/2, 0, 0), r.Line)
	r.Set(t)
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
func (r *Row) act(what string, fn func(id string) error) {
	id, name := r.Transfer.ID, r.Transfer.Name
	r.enableButtons(false)
	r.cv.Background(func() error { return fn(id) }, func(err error) {
		r.enableButtons(true)
		if err != nil {
			r.cv.ShowNotice(lang.L("Could not {{.Action}} “{{.Name}}”: {{.Error}}", map[string]any{"Action": what, "Name": name, "Error": kit.UserText(err)}))
		}
	})
}

func (r *Row) enableButtons(on bool) {
	for _, b := range []*widget.Button{r.accept, r.decline, r.pause, r.resume, r.cancel} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// Set shows the transfer's current state.
func (r *Row) Set(t contacts.Transfer) {
	prev := r.Transfer
	r.Transfer = t
	r.observe(prev, t)
	r.Redraw()
}

// playable: a voice note whose file is on this computer.
func (r *Row) playable() bool {
	t := r.Transfer
	if !t.VoiceNote || t.State == contacts.Quarantined {
		return false
	}
	if t.Outgoing {
		return t.Path != ""
	}
	return t.State == contacts.Done
}

func (r *Row) SetPlaying(on bool) {
	if on {
		r.Play.SetIcon(theme.MediaStopIcon())
	} else {
		r.Play.SetIcon(theme.MediaPlayIcon())
	}
}

// observe folds a progress update into the smoothed speed.
func (r *Row) observe(prev, t contacts.Transfer) {
	if t.State != contacts.Transferring {
		r.lastAt, r.speed = time.Time{}, 0
		return
	}
	now := r.cv.Now()
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

func (r *Row) speedText() string {
	if r.speed <= 0 {
		return lang.L("Starting…")
	}
	left := time.Duration(float64(r.Transfer.Size-r.Transfer.Done) / r.speed * float64(time.Second))
	return kit.HumanSize(int64(r.speed)) + "/s · " + kit.TimeLeft(left)
}

// ShowThumb puts the image in place of the icon once a picture is
// complete; the first call starts decoding it.
func (r *Row) ShowThumb() {
	t := r.Transfer
	if !kit.IsImage(t) || t.State != contacts.Done || t.Path == "" {
		r.Thumb.Hide()
		return
	}
	img, ok := r.cv.Thumb(t.ID)
	if !ok {
		r.Thumb.Hide()
		r.cv.LoadThumb(t.ID, t.Path)
		return
	}
	if img == nil {
		r.Thumb.Hide() // could not be decoded: the plain file row stays
		return
	}
	if r.Thumb.Image != img {
		r.Thumb.Image = img
		b := img.Bounds()
		r.Thumb.SetMinSize(fyne.NewSize(float32(b.Dx()), float32(b.Dy())))
		r.Thumb.Refresh()
	}
	r.Thumb.Show()
}
