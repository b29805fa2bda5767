package callwin

import (
	"fmt"
	"image"
	"image/color"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/calls"
	"hearth/app/ui/kit"
)

// endedLinger is how long a finished call's window shows the reason.
var EndedLinger = 2500 * time.Millisecond

// CallWindow is the window of one running call: the remote picture large,
// my preview small in a corner, and Mute, Camera and Hang up. Closing the
// window hangs up.
type CallWindow struct {
	call calls.Call
	Win  fyne.Window
	do   func(func())

	Remote, Local *frameSink

	// fields below are used on the UI goroutine only
	Name         string
	Status       *widget.Label
	Waiting      *fyne.Container // shown until the first remote frame
	notice       *fyne.Container
	MuteButton   *widget.Button
	CameraButton *widget.Button
	HangupButton *widget.Button
	muted        bool
	camOff       bool
	over         bool // the call ended; closing must not hang up again
	WasConnected bool // media flowed at some point (callnotice.go)
	Closed       bool
	OnClosed     func() // set by the main window

	// The other side's state and the link's, refreshed each second.
	Timer       *widget.Label   // time since media began
	Quality     *widget.Label   // "Good connection · 1200 kbit/s · 0% loss · 30 fps"
	CameraOff   *fyne.Container // their avatar and name, over the black picture
	MutedBadge  *fyne.Container // "Bob is muted"
	stopTicking chan struct{}
}

// LiveEvery is how often the window reads the call's live state.
var LiveEvery = time.Second

// NewCallWindow opens a window for a call that was started or accepted.
// status is the first line to show ("Calling…", "Connecting…").
func NewCallWindow(a fyne.App, call calls.Call, peerName, status string) *CallWindow {
	cw := NewCallWindowDo(a, call, peerName, status, fyne.Do)
	cw.Win.Show()
	return cw
}

func NewCallWindowDo(a fyne.App, call calls.Call, name, status string, do func(func())) *CallWindow {
	cw := &CallWindow{call: call, do: do, Name: name}
	cw.Win = a.NewWindow("Call with " + name)
	cw.Win.SetIcon(kit.AppIcon)
	cw.Win.Resize(fyne.NewSize(800, 600))

	remoteImg := canvas.NewImageFromImage(nil)
	remoteImg.FillMode = canvas.ImageFillContain
	localImg := canvas.NewImageFromImage(nil)
	localImg.FillMode = canvas.ImageFillContain
	cw.Remote = newFrameSink(remoteImg, do, func() { cw.Waiting.Hide() })
	cw.Local = newFrameSink(localImg, do, nil)

	nameText := canvas.NewText(name, color.White)
	nameText.TextSize = theme.TextHeadingSize() * 1.4
	nameText.Alignment = fyne.TextAlignCenter
	cw.Waiting = container.NewCenter(container.NewVBox(nameText))

	cw.Status = widget.NewLabelWithStyle(status, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})

	// The notice says when a synthetic picture or tone stands in for a
	// missing device, so nobody mistakes the test pattern for a fault.
	cw.notice = container.NewStack()
	if n := call.MediaNotice(); n != "" {
		bg := canvas.NewRectangle(color.NRGBA{R: 0xFF, G: 0xE0, B: 0x8A, A: 0xF0})
		bg.CornerRadius = theme.InputRadiusSize()
		txt := canvas.NewText(n, color.NRGBA{R: 0x3A, G: 0x2A, B: 0x00, A: 0xFF})
		txt.Alignment = fyne.TextAlignCenter
		cw.notice = container.NewStack(bg, container.NewPadded(txt))
	} else {
		cw.notice.Hide()
	}

	cw.Timer = widget.NewLabel("")
	cw.Quality = widget.NewLabel("")
	avatar := kit.NewAvatarView(120)
	avatar.Set(name, nil)
	offName := canvas.NewText(name, color.White)
	offName.TextSize = theme.TextHeadingSize() * 1.4
	offName.Alignment = fyne.TextAlignCenter
	offText := canvas.NewText(name+" turned the camera off", color.NRGBA{R: 0xC8, G: 0xC8, B: 0xCC, A: 0xFF})
	offText.Alignment = fyne.TextAlignCenter
	cw.CameraOff = container.NewStack(canvas.NewRectangle(color.NRGBA{R: 0x12, G: 0x12, B: 0x14, A: 0xFF}),
		container.NewCenter(container.NewVBox(avatar, offName, offText)))
	cw.CameraOff.Hide()
	badgeBg := canvas.NewRectangle(color.NRGBA{R: 0, G: 0, B: 0, A: 0xB0})
	badgeBg.CornerRadius = theme.InputRadiusSize()
	mutedText := canvas.NewText(name+" is muted", color.White)
	cw.MutedBadge = container.NewStack(badgeBg, container.NewPadded(container.NewHBox(widget.NewIcon(theme.VolumeMuteIcon()), mutedText)))
	cw.MutedBadge.Hide()

	black := canvas.NewRectangle(color.NRGBA{R: 0x12, G: 0x12, B: 0x14, A: 0xFF})
	localFrame := canvas.NewRectangle(color.NRGBA{R: 0x2A, G: 0x2A, B: 0x2E, A: 0xFF})
	localFrame.StrokeColor = color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xB0}
	localFrame.StrokeWidth = 2
	localFrame.CornerRadius = 6
	video := container.New(&videoLayout{}, black, remoteImg, cw.Waiting,
		container.NewStack(localFrame, container.NewPadded(localImg)),
		container.NewVBox(container.NewPadded(cw.notice)), cw.CameraOff, cw.MutedBadge)

	cw.MuteButton = widget.NewButtonWithIcon("Mute", theme.VolumeMuteIcon(), cw.toggleMute)
	cw.CameraButton = widget.NewButtonWithIcon("Camera off", theme.VisibilityOffIcon(), cw.toggleCamera)
	cw.HangupButton = widget.NewButtonWithIcon("Hang up", theme.CancelIcon(), cw.Hangup)
	cw.HangupButton.Importance = widget.DangerImportance
	buttons := container.NewHBox(layout.NewSpacer(), cw.MuteButton, cw.CameraButton, kit.LayoutSpacer(24, 1), cw.HangupButton, layout.NewSpacer())
	statusRow := container.NewHBox(cw.Timer, layout.NewSpacer(), cw.Status, layout.NewSpacer(), cw.Quality)
	bar := container.NewVBox(statusRow, buttons)

	cw.Win.SetContent(container.NewBorder(nil, container.NewPadded(bar), nil, nil, video))
	cw.Win.SetCloseIntercept(cw.Hangup)
	cw.Win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			cw.Hangup()
		}
	})
	call.SetVideoSinks(cw.Remote.put, cw.Local.put)
	cw.stopTicking = make(chan struct{})
	go func(stop <-chan struct{}) {
		t := time.NewTicker(LiveEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				cw.do(cw.RefreshLive)
			}
		}
	}(cw.stopTicking)
	return cw
}

// RefreshLive shows the call's live state: the timer, the connection's
// quality, and the other side's camera and microphone.
func (cw *CallWindow) RefreshLive() {
	if cw.Closed || cw.over {
		return
	}
	l := cw.call.Live()
	if !l.ConnectedAt.IsZero() {
		cw.Timer.SetText(FormatDuration(time.Since(l.ConnectedAt)))
	}
	q := l.Quality.String()
	if d := l.Detail(); d != "" {
		q += " · " + d
	}
	cw.Quality.SetText(q)
	if l.RemoteCameraOff {
		cw.CameraOff.Show()
	} else {
		cw.CameraOff.Hide()
	}
	if l.RemoteMuted {
		cw.MutedBadge.Show()
	} else {
		cw.MutedBadge.Hide()
	}
}

// FormatDuration shows a call's length as m:ss, or h:mm:ss past an hour.
func FormatDuration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Window is the call's Fyne window.
func (cw *CallWindow) Window() fyne.Window { return cw.Win }

// Hangup ends the call and closes the window.
func (cw *CallWindow) Hangup() { cw.Close() }

// hangupOnly ends the call if it still runs, leaving the window alone.
func (cw *CallWindow) HangupOnly() {
	if !cw.over {
		cw.over = true
		cw.call.Hangup()
	}
	cw.Remote.stop()
	cw.Local.stop()
}

// Close closes the window, hanging up first if the call still runs.
func (cw *CallWindow) Close() {
	if cw.Closed {
		return
	}
	cw.HangupOnly()
	cw.Closed = true
	close(cw.stopTicking)
	cw.call.SetVideoSinks(nil, nil)
	cw.Win.Close()
	if cw.OnClosed != nil {
		cw.OnClosed()
	}
}

func (cw *CallWindow) toggleMute() {
	cw.muted = !cw.muted
	cw.call.SetMuted(cw.muted)
	setToggle(cw.MuteButton, cw.muted, "Unmute", theme.VolumeUpIcon(), "Mute", theme.VolumeMuteIcon())
}

func (cw *CallWindow) toggleCamera() {
	cw.camOff = !cw.camOff
	cw.call.SetCameraOff(cw.camOff)
	setToggle(cw.CameraButton, cw.camOff, "Camera on", theme.VisibilityIcon(), "Camera off", theme.VisibilityOffIcon())
}

// setToggle shows a two-state button: while on, its text and icon offer to
// undo, and it is highlighted.
func setToggle(b *widget.Button, on bool, onText string, onIcon fyne.Resource, offText string, offIcon fyne.Resource) {
	if on {
		b.SetText(onText)
		b.SetIcon(onIcon)
		b.Importance = widget.WarningImportance
	} else {
		b.SetText(offText)
		b.SetIcon(offIcon)
		b.Importance = widget.MediumImportance
	}
	b.Refresh()
}

// connected: media flows both ways.
func (cw *CallWindow) Connected() {
	cw.WasConnected = true
	if !cw.over {
		cw.Status.SetText("Connected")
	}
}

// ended shows why the call finished, then closes the window.
func (cw *CallWindow) Ended(reason string) {
	if cw.Closed {
		return
	}
	cw.over = true
	if reason == "" {
		reason = "Call ended"
	}
	cw.Status.SetText(reason)
	cw.MuteButton.Disable()
	cw.CameraButton.Disable()
	cw.HangupButton.Disable()
	time.AfterFunc(EndedLinger, func() { cw.do(cw.Close) })
}

// frameSink takes frames from a media goroutine and shows the newest on a
// canvas.Image. At most one update waits for the UI goroutine at a time:
// frames arriving meanwhile replace the waiting one, so a busy UI drops
// frames instead of queueing them.
type frameSink struct {
	Img     *canvas.Image
	do      func(func())
	onFirst func() // on the UI goroutine, after the first frame

	latest  atomic.Pointer[image.Image]
	queued  atomic.Bool
	stopped atomic.Bool
	first   sync.Once
}

func newFrameSink(img *canvas.Image, do func(func()), onFirst func()) *frameSink {
	return &frameSink{Img: img, do: do, onFirst: onFirst}
}

// put is the sink handed to Call.SetVideoSinks; any goroutine may call it.
func (s *frameSink) put(frame image.Image) {
	if frame == nil || s.stopped.Load() {
		return
	}
	s.latest.Store(&frame)
	if !s.queued.CompareAndSwap(false, true) {
		return // an update is already waiting; it will show this frame
	}
	s.do(s.show)
}

// show runs on the UI goroutine.
func (s *frameSink) show() {
	s.queued.Store(false)
	p := s.latest.Load()
	if p == nil || s.stopped.Load() {
		return
	}
	s.Img.Image = *p
	s.Img.Refresh()
	if s.onFirst != nil {
		s.first.Do(s.onFirst)
	}
}

func (s *frameSink) stop() { s.stopped.Store(true) }

// videoLayout fills the area with the background, the remote picture and
// the waiting text, puts the local preview in the bottom-right corner and
// the notice along the top.
type videoLayout struct{}

func (videoLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	bg, remote, waiting, local, notice, camOff, muted := objs[0], objs[1], objs[2], objs[3], objs[4], objs[5], objs[6]
	for _, o := range []fyne.CanvasObject{bg, remote, waiting, camOff} {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	w := max(min(size.Width*0.24, 240), 96)
	h := w * 3 / 4
	m := theme.Padding() * 3
	local.Resize(fyne.NewSize(w, h))
	local.Move(fyne.NewPos(size.Width-w-m, size.Height-h-m))
	nh := notice.MinSize().Height
	notice.Resize(fyne.NewSize(size.Width, nh))
	notice.Move(fyne.NewPos(0, 0))
	if !notice.Visible() || notice.MinSize().Height == 0 {
		nh = 0
	}
	muted.Resize(muted.MinSize())
	muted.Move(fyne.NewPos(m, nh+m))
}

func (videoLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(320, 240) }
