// Package uitest is what the UI's tests share across its packages: a
// stand-in for Fyne's UI goroutine, a walk over what a window shows, and a
// fake call. Only tests import it.
package uitest

import (
	"image"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/calls"
)

// Queue stands in for fyne.Do in view tests: goroutines queue functions
// and the test goroutine runs them, as the Fyne main goroutine would.
type Queue chan func()

// NewQueue returns an empty queue.
func NewQueue() Queue { return make(Queue, 4096) }

// Do queues f (the view's "run on the UI goroutine").
func (q Queue) Do(f func()) { q <- f }

// Drain runs everything queued so far.
func (q Queue) Drain() {
	for {
		select {
		case f := <-q:
			f()
		default:
			return
		}
	}
}

// WaitFor runs queued UI work until cond holds or two seconds pass.
func (q Queue) WaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		q.Drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Visible walks what is shown under o: containers' children and widgets'
// rendered objects, skipping hidden ones.
func Visible(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			Visible(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			Visible(c, visit)
		}
	}
}

// Texts lists the visible labels, buttons and canvas texts under o.
func Texts(o fyne.CanvasObject) []string {
	var out []string
	Visible(o, func(o fyne.CanvasObject) {
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

// HasText reports whether a visible text under o contains want.
func HasText(o fyne.CanvasObject, want string) bool {
	return slices.ContainsFunc(Texts(o), func(s string) bool { return strings.Contains(s, want) })
}

// Call is a fake call that records what the call window does with it.
type Call struct {
	CallID, Peer, Notice string

	mu            sync.Mutex // guards the fields below
	remote, local func(image.Image)
	muted, camOff bool
	hungUp        int
	live          calls.Live
}

// Live is what SetLive last set.
func (c *Call) Live() calls.Live {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// SetLive sets what Live reports (the other side's state, the link's).
func (c *Call) SetLive(l calls.Live) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live = l
}

func (c *Call) ID() string          { return c.CallID }
func (c *Call) PeerID() string      { return c.Peer }
func (c *Call) MediaNotice() string { return c.Notice }

func (c *Call) SetVideoSinks(remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remote, c.local = remote, local
}

func (c *Call) SetMuted(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.muted = b
}

func (c *Call) SetCameraOff(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.camOff = b
}

func (c *Call) Hangup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hungUp++
}

// Sinks are where the window asked for remote and local frames.
func (c *Call) Sinks() (remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote, c.local
}

// State is what the window set: muted, camera off, and how often it hung up.
func (c *Call) State() (muted, cameraOff bool, hangups int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.muted, c.camOff, c.hungUp
}
