package callwin

import (
	"image"
	"image/color"
	"testing"

	"hearth/app/ui/uitest"

	"fyne.io/fyne/v2/test"
)

func TestCallWindowVideoAndHangup(t *testing.T) {
	a := test.NewTempApp(t)
	q := uitest.NewQueue()
	c := &uitest.Call{CallID: "c1", Peer: "peer-bob", Notice: "Synthetic test picture — no camera found"}
	cw := NewCallWindowDo(a, c, "Bob", "Calling…", q.Do)
	remote, local := c.Sinks()
	if remote == nil || local == nil {
		t.Fatal("SetVideoSinks got nil sinks")
	}
	if !uitest.HasText(cw.Win.Content(), "Synthetic test picture") || !uitest.HasText(cw.Win.Content(), "Calling…") {
		t.Errorf("texts %q", uitest.Texts(cw.Win.Content()))
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
	q.Drain()
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
	if muted, camOff, _ := c.State(); !muted || !camOff {
		t.Errorf("muted=%v camOff=%v", muted, camOff)
	}
	if cw.MuteButton.Text != "Unmute" || cw.CameraButton.Text != "Camera on" {
		t.Errorf("buttons %q %q", cw.MuteButton.Text, cw.CameraButton.Text)
	}

	test.Tap(cw.HangupButton)
	if _, _, hungUp := c.State(); hungUp != 1 || !cw.Closed {
		t.Errorf("hung up %d times, closed %v", hungUp, cw.Closed)
	}
	if remote, _ := c.Sinks(); remote != nil {
		t.Error("sinks still set after the window closed")
	}
}

func TestCallWindowCloseHangsUp(t *testing.T) {
	a := test.NewTempApp(t)
	c := &uitest.Call{CallID: "c2"}
	cw := NewCallWindowDo(a, c, "Bob", "Calling…", uitest.NewQueue().Do)
	cw.Close()
	cw.Close()
	if _, _, hungUp := c.State(); hungUp != 1 {
		t.Errorf("hung up %d times", hungUp)
	}
}
