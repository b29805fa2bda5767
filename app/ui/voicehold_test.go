package ui

import (
	"strings"
	"testing"
	"time"

	"hearth/app/ui/kit"
	"hearth/app/ui/uitest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

func press(b *kit.HoldButton)   { b.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary}) }
func release(b *kit.HoldButton) { b.MouseUp(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary}) }

// click is a whole mouse click as the driver delivers it: down, up, then
// the tap.
func click(b *kit.HoldButton) {
	press(b)
	release(b)
	b.Tapped(&fyne.PointEvent{})
}

// TestVoiceNoteHoldToRecord: holding the mic records (with the clock
// showing), releasing sends, moving away or Escape throws the recording
// away, and a click or Space toggles instead.
func TestVoiceNoteHoldToRecord(t *testing.T) {
	mw, b, q := openBob(t)
	cv := mw.chat
	clock := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	cv.now = func() time.Time { return clock }
	recorder := func(i int) *fakeRecorder {
		var fr *fakeRecorder
		q.WaitFor(t, "recorder", func() bool {
			b.locked(func() {
				if len(b.files.recorders) > i {
					fr = b.files.recorders[i]
				}
			})
			return fr != nil
		})
		return fr
	}
	recorders := func() int {
		var n int
		b.locked(func() { n = len(b.files.recorders) })
		return n
	}

	// Hold, then release over the button: sent. The strip says how, and
	// what the recorder has to say.
	b.locked(func() { b.files.recNotice = "No microphone found: recording a test tone" })
	press(cv.mic)
	q.WaitFor(t, "the recorder strip", func() bool { return cv.voice.Rec != nil && cv.recorder.Visible() })
	if !uitest.HasText(cv.root, "Release to send") || !uitest.HasText(cv.root, "test tone") || !cv.voice.RecTime.Visible() || cv.voice.RecTime.Text != "0:00" {
		t.Errorf("while held: clock %q, texts %q", cv.voice.RecTime.Text, uitest.Texts(cv.root))
	}
	if !cv.mic.Visible() {
		t.Fatal("the mic button left the pointer while held")
	}
	clock = clock.Add(3 * time.Second)
	release(cv.mic)
	cv.mic.Tapped(&fyne.PointEvent{})
	fr := recorder(0)
	q.WaitFor(t, "sent", func() bool { s, _ := fr.counts(); return s == 1 })
	q.WaitFor(t, "the note's row", func() bool { return cv.transfers["voice-1"] != nil })
	if cv.voice.Rec != nil || cv.recorder.Visible() || !cv.composer.Visible() || recorders() != 1 {
		t.Errorf("after the release: recording %v, strip %v, %d recorders", cv.voice.Rec != nil, cv.recorder.Visible(), recorders())
	}

	// Hold, then move off the button: thrown away.
	press(cv.mic)
	q.WaitFor(t, "the recorder strip", func() bool { return cv.voice.Rec != nil })
	clock = clock.Add(2 * time.Second)
	cv.mic.MouseOut()
	fr = recorder(1)
	q.WaitFor(t, "cancelled", func() bool { _, c := fr.counts(); return c == 1 })
	if s, _ := fr.counts(); s != 0 || cv.voice.Rec != nil {
		t.Errorf("moving away: sent %d, still recording %v", s, cv.voice.Rec != nil)
	}

	// A hold released before the microphone opened recorded nothing: it is
	// dropped, and the banner says why.
	press(cv.mic)
	clock = clock.Add(time.Second)
	release(cv.mic) // the recorder is still queued
	fr = recorder(2)
	q.WaitFor(t, "dropped once open", func() bool { _, c := fr.counts(); return c == 1 })
	if s, _ := fr.counts(); s != 0 || cv.voice.Rec != nil || !strings.Contains(mw.NoticeText(), "not ready yet") {
		t.Errorf("early release: sent %d, recording %v, notice %q", s, cv.voice.Rec != nil, mw.NoticeText())
	}

	// A click starts a recording that goes on; a second click sends it.
	click(cv.mic)
	q.WaitFor(t, "the recorder strip", func() bool { return cv.voice.Rec != nil })
	clock = clock.Add(5 * time.Second) // time passes; no button is held
	q.Drain()
	if cv.voice.Rec == nil || uitest.HasText(cv.root, "Release to send") {
		t.Fatalf("after a click: recording %v, texts %q", cv.voice.Rec != nil, uitest.Texts(cv.root))
	}
	click(cv.mic)
	fr = recorder(3)
	q.WaitFor(t, "sent by the second click", func() bool { s, _ := fr.counts(); return s == 1 })
	q.Drain()
	if cv.voice.Rec != nil || recorders() != 4 {
		t.Errorf("the second click started another recording (%d recorders)", recorders())
	}

	// The keyboard: Space starts, Escape throws away; on the window too.
	cv.mic.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	q.WaitFor(t, "the recorder strip", func() bool { return cv.voice.Rec != nil })
	cv.mic.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	fr = recorder(4)
	q.WaitFor(t, "Escape on the mic", func() bool { _, c := fr.counts(); return c == 1 })
	canvas := mw.win.Canvas()
	cv.mic.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	q.WaitFor(t, "the recorder strip", func() bool { return cv.voice.Rec != nil })
	canvas.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	fr = recorder(5)
	q.WaitFor(t, "Escape on the window", func() bool { _, c := fr.counts(); return c == 1 })
	if s, _ := fr.counts(); s != 0 || cv.voice.Rec != nil {
		t.Error("Escape sent the note")
	}
}
