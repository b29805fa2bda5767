package callwin

import (
	"image"
	"image/color"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// uiQueue stands in for fyne.Do: goroutines queue functions and the test
// goroutine runs them, as the Fyne main goroutine would.
type uiQueue chan func()

func newQueue() uiQueue { return make(uiQueue, 4096) }

func (q uiQueue) do(f func()) { q <- f }

func (q uiQueue) drain() {
	for {
		select {
		case f := <-q:
			f()
		default:
			return
		}
	}
}

// hasText reports whether a visible label, button or text under o
// contains want.
func hasText(o fyne.CanvasObject, want string) bool {
	return slices.ContainsFunc(texts(o), func(s string) bool { return strings.Contains(s, want) })
}

func texts(o fyne.CanvasObject) []string {
	var out []string
	visible(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *canvas.Text:
			out = append(out, x.Text)
		}
	})
	return out
}

// visible walks what is shown under o: containers' children and widgets'
// rendered objects, skipping hidden ones.
func visible(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			visible(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			visible(c, visit)
		}
	}
}

// fakeCall records what the call window does with it.
type fakeCall struct {
	id, peer string
	notice   string

	mu            sync.Mutex // guards the fields below
	remote, local func(image.Image)
	muted, camOff bool
	hungUp        int
}

func (c *fakeCall) ID() string          { return c.id }
func (c *fakeCall) PeerID() string      { return c.peer }
func (c *fakeCall) MediaNotice() string { return c.notice }

func (c *fakeCall) SetVideoSinks(remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remote, c.local = remote, local
}

func (c *fakeCall) SetMuted(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.muted = b
}

func (c *fakeCall) SetCameraOff(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.camOff = b
}

func (c *fakeCall) Hangup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hungUp++
}

func (c *fakeCall) sinks() (remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote, c.local
}

func TestCallWindowVideoAndHangup(t *testing.T) {
	a := test.NewTempApp(t)
	q := newQueue()
	c := &fakeCall{id: "c1", peer: "peer-bob", notice: "Synthetic test picture — no camera found"}
	cw := NewCallWindowDo(a, c, "Bob", "Calling…", q.do)
	remote, local := c.sinks()
	if remote == nil || local == nil {
		t.Fatal("SetVideoSinks got nil sinks")
	}
	if !hasText(cw.Win.Content(), "Synthetic test picture") || !hasText(cw.Win.Content(), "Calling…") {
		t.Errorf("texts %q", texts(cw.Win.Content()))
	}

	frame := func(c color.Color) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, 64, 48))
		for i := 0; i < len(img.Pix); i += 4 {
			r, g, b, _ := c.RGBA()
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = byte(r>>8), byte(g>>8), byte(b>>8), 255
		}
		return img
	}
	// A hundred frames from a media goroutine queue one UI update only,
	// and that update shows the newest frame.
	last := frame(color.RGBA{G: 200, A: 255})
	done := make(chan struct{})
	go func() {
		for i := 0; i < 99; i++ {
			remote(frame(color.RGBA{R: byte(i), A: 255}))
		}
		remote(last)
		local(frame(color.RGBA{B: 200, A: 255}))
		close(done)
	}()
	<-done
	if n := len(q); n != 2 {
		t.Errorf("%d UI updates queued for 101 frames, want 2 (one per sink)", n)
	}
	q.drain()
	if cw.Remote.Img.Image != last {
		t.Error("the remote image is not the newest frame")
	}
	if cw.Local.Img.Image == nil {
		t.Error("no local preview")
	}
	if cw.Waiting.Visible() {
		t.Error("the waiting text still covers the video")
	}

	test.Tap(cw.MuteButton)
	test.Tap(cw.CameraButton)
	c.mu.Lock()
	if !c.muted || !c.camOff {
		t.Errorf("muted=%v camOff=%v", c.muted, c.camOff)
	}
	c.mu.Unlock()
	if cw.MuteButton.Text != "Unmute" || cw.CameraButton.Text != "Camera on" {
		t.Errorf("buttons %q %q", cw.MuteButton.Text, cw.CameraButton.Text)
	}

	test.Tap(cw.HangupButton)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hungUp != 1 || !cw.Closed {
		t.Errorf("hung up %d times, closed %v", c.hungUp, cw.Closed)
	}
	if c.remote != nil {
		t.Error("sinks still set after the window closed")
	}
}

func TestCallWindowCloseHangsUp(t *testing.T) {
	a := test.NewTempApp(t)
	c := &fakeCall{id: "c2"}
	cw := NewCallWindowDo(a, c, "Bob", "Calling…", newQueue().do)
	cw.Close()
	cw.Close()
	if c.hungUp != 1 {
		t.Errorf("hung up %d times", c.hungUp)
	}
}
