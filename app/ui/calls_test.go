package ui

import (
	"image"
	"image/color"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"hearth/app/core/event"
)

func TestIncomingCallAcceptAndEnd(t *testing.T) {
	endedLinger = 10 * time.Millisecond
	mw, b, q := newTestMain(t)
	b.events <- event.IncomingCall{CallID: "call-1", PeerID: "peer-bob", Name: "Bob"}
	q.waitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-1"] != nil })
	top := mw.win.Canvas().Overlays().Top()
	if !hasText(top, "Bob is calling") {
		t.Errorf("dialog texts %q", texts(top))
	}
	button(t, top, "Decline")
	test.Tap(button(t, top, "Accept"))
	q.waitFor(t, "the call window", func() bool { return mw.calls["call-1"] != nil })
	b.locked(func() {
		if !slices.Equal(b.calls.accCalls, []string{"call-1"}) {
			t.Errorf("AcceptCall calls = %q", b.calls.accCalls)
		}
	})
	cw := mw.calls["call-1"]
	b.events <- event.CallConnected{CallID: "call-1"}
	q.waitFor(t, "Connected", func() bool { return cw.status.Text == "Connected" })
	b.events <- event.CallEnded{CallID: "call-1", Reason: "Bob hung up"}
	q.waitFor(t, "the call window to close", func() bool { return mw.calls["call-1"] == nil })
	if cw.status.Text != "Bob hung up" {
		t.Errorf("status = %q", cw.status.Text)
	}
}

func TestIncomingCallDeclineAndMissed(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.events <- event.IncomingCall{CallID: "call-2", PeerID: "peer-bob", Name: "Bob"}
	q.waitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-2"] != nil })
	test.Tap(button(t, mw.win.Canvas().Overlays().Top(), "Decline"))
	q.waitFor(t, "DeclineCall", func() bool {
		var ok bool
		b.locked(func() { ok = slices.Equal(b.calls.decCalls, []string{"call-2"}) })
		return ok
	})

	b.events <- event.IncomingCall{CallID: "call-3", PeerID: "peer-bob", Name: "Bob"}
	q.waitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-3"] != nil })
	b.events <- event.CallEnded{CallID: "call-3", Reason: "Missed call"}
	q.waitFor(t, "the missed-call notice", func() bool { return mw.NoticeText() == "Missed call" })
	if mw.modal != nil {
		t.Error("ringing dialog still open after the caller gave up")
	}
}

func TestCallWindowVideoAndHangup(t *testing.T) {
	a := test.NewTempApp(t)
	q := newQueue()
	c := &fakeCall{id: "c1", peer: "peer-bob", notice: "Synthetic test picture — no camera found"}
	cw := newCallWindow(a, c, "Bob", "Calling…", q.do)
	remote, local := c.sinks()
	if remote == nil || local == nil {
		t.Fatal("SetVideoSinks got nil sinks")
	}
	if !hasText(cw.win.Content(), "Synthetic test picture") || !hasText(cw.win.Content(), "Calling…") {
		t.Errorf("texts %q", texts(cw.win.Content()))
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
	if cw.remote.img.Image != last {
		t.Error("the remote image is not the newest frame")
	}
	if cw.local.img.Image == nil {
		t.Error("no local preview")
	}
	if cw.waiting.Visible() {
		t.Error("the waiting text still covers the video")
	}

	test.Tap(cw.mute)
	test.Tap(cw.camera)
	c.mu.Lock()
	if !c.muted || !c.camOff {
		t.Errorf("muted=%v camOff=%v", c.muted, c.camOff)
	}
	c.mu.Unlock()
	if cw.mute.Text != "Unmute" || cw.camera.Text != "Camera on" {
		t.Errorf("buttons %q %q", cw.mute.Text, cw.camera.Text)
	}

	test.Tap(cw.hangup)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hungUp != 1 || !cw.closed {
		t.Errorf("hung up %d times, closed %v", c.hungUp, cw.closed)
	}
	if c.remote != nil {
		t.Error("sinks still set after the window closed")
	}
}

func TestCallWindowCloseHangsUp(t *testing.T) {
	a := test.NewTempApp(t)
	c := &fakeCall{id: "c2"}
	cw := newCallWindow(a, c, "Bob", "Calling…", newQueue().do)
	cw.Close()
	cw.Close()
	if c.hungUp != 1 {
		t.Errorf("hung up %d times", c.hungUp)
	}
}

func TestStartCallOpensWindow(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	test.Tap(mw.chat.call)
	q.waitFor(t, "the call window", func() bool { return mw.calls["call-out"] != nil })
	b.locked(func() {
		if len(b.calls.calls) != 1 || b.calls.calls[0].peer != "peer-bob" {
			t.Errorf("StartCall calls = %v", b.calls.calls)
		}
	})
	if mw.calls["call-out"].status.Text != "Calling…" {
		t.Errorf("status %q", mw.calls["call-out"].status.Text)
	}
}
