package ui

import (
	"image/color"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/transfers"
	"hearth/app/ui/kit"
	"hearth/app/ui/transfer"
	"hearth/contacts"
)

// recorderTick is how often the recorder strip updates its clock.
const recorderTick = 200 * time.Millisecond

var recordRed = color.NRGBA{R: 0xD6, G: 0x3B, B: 0x3B, A: 0xFF}

// buildRecorder makes the strip that replaces the composer while a voice
// note records: "● 0:07  Stop and send  ✕".
func (cv *chatView) buildRecorder() fyne.CanvasObject {
	var dotBox fyne.CanvasObject
	cv.recDot, dotBox = kit.NewDot(recordRed, 12)
	cv.recTime = canvas.NewText("0:00", recordRed)
	cv.recTime.TextStyle = fyne.TextStyle{Bold: true}
	cv.recTime.TextSize = theme.TextSubHeadingSize()
	cv.recNotice = widget.NewLabel("")
	cv.recNotice.Truncation = fyne.TextTruncateEllipsis
	cv.recStop = widget.NewButtonWithIcon("Stop and send", theme.MailSendIcon(), func() { cv.stopRecording(true) })
	cv.recStop.Importance = widget.DangerImportance
	cv.recCancel = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { cv.stopRecording(false) })
	cv.recCancel.Importance = widget.LowImportance

	bg := canvas.NewRectangle(color.NRGBA{R: recordRed.R, G: recordRed.G, B: recordRed.B, A: 0x22})
	bg.CornerRadius = theme.InputRadiusSize()
	left := container.NewHBox(kit.LayoutSpacer(2, 1), dotBox, container.NewCenter(cv.recTime))
	right := container.NewHBox(container.NewCenter(cv.recStop), container.NewCenter(cv.recCancel))
	strip := container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, left, right, cv.recNotice)))
	box := container.NewVBox(layout.NewSpacer(), strip, layout.NewSpacer())
	box.Hide()
	return box
}

// startRecording asks the backend for a recorder off the UI goroutine
// (opening the device can take a moment) and then shows the recorder
// strip. The mic button (voicehold.go) calls it.
func (cv *chatView) startRecording() {
	peer := cv.peer
	if peer == "" || cv.rec != nil || cv.starting {
		return
	}
	cv.stopPlayback()
	cv.starting = true
	mw := cv.mw
	var rec transfers.Recorder
	mw.Background(func() (err error) {
		rec, err = cv.files.RecordVoiceNote(peer)
		return err
	}, func(err error) {
		cv.starting = false
		if err != nil {
			cv.holdNext = nextNothing
			mw.ShowNotice("Could not record a voice note: " + kit.UserText(err))
			return
		}
		next := cv.holdNext
		cv.holdNext = nextNothing
		if cv.peer != peer || mw.selected != peer || next != nextNothing {
			cv.discard(rec) // the conversation changed, or the hold ended
			if next == nextTooEarly {
				mw.ShowNotice("The microphone was not ready yet: hold the button while you speak.")
			}
			return
		}
		cv.showRecorder(rec)
	})
}

func (cv *chatView) showRecorder(rec transfers.Recorder) {
	cv.rec = rec
	cv.recDone = make(chan struct{})
	cv.recTime.Text = kit.FormatElapsed(rec.Elapsed())
	cv.recTime.Refresh()
	cv.recNotice.SetText(cv.recordingHint())
	if rec.Notice() != "" {
		cv.recNotice.Importance = widget.WarningImportance
	} else {
		cv.recNotice.Importance = widget.MediumImportance
	}
	cv.recNotice.Refresh()
	cv.composer.Hide()
	cv.recorder.Show()
	cv.mic.Importance = widget.DangerImportance
	cv.mic.Refresh()
	// Escape reaches the window's handler (or the mic, when it has focus).
	if c := cv.mw.win.Canvas(); c.Focused() != fyne.Focusable(cv.mic) {
		c.Unfocus()
	}
	cv.tick(rec, cv.recDone)
}

// tick updates the recorder's clock every recorderTick until done closes.
// At most one update waits for the UI goroutine at a time.
func (cv *chatView) tick(rec transfers.Recorder, done chan struct{}) {
	mw := cv.mw
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		t := time.NewTicker(recorderTick)
		defer t.Stop()
		var queued atomic.Bool
		for {
			select {
			case <-done:
				return
			case <-mw.stop:
				return
			case <-t.C:
				if !queued.CompareAndSwap(false, true) {
					continue
				}
				mw.do(func() {
					queued.Store(false)
					if cv.rec != rec {
						return
					}
					d := rec.Elapsed()
					cv.recTime.Text = kit.FormatElapsed(d)
					cv.recTime.Refresh()
					// The dot blinks once a second.
					a := uint8(0xFF)
					if d/(500*time.Millisecond)%2 == 1 {
						a = 0x50
					}
					cv.recDot.FillColor = color.NRGBA{R: recordRed.R, G: recordRed.G, B: recordRed.B, A: a}
					cv.recDot.Refresh()
				})
			}
		}
	}()
}

// stopRecording hides the strip and sends the note (send) or throws it
// away.
func (cv *chatView) stopRecording(send bool) {
	rec := cv.rec
	if rec == nil {
		return
	}
	cv.rec = nil
	close(cv.recDone)
	cv.recorder.Hide()
	cv.composer.Show()
	cv.mic.Importance = widget.LowImportance
	cv.mic.Refresh()
	if !send {
		cv.discard(rec)
		return
	}
	mw := cv.mw
	peer := cv.peer
	var t contacts.Transfer
	mw.Background(func() (err error) {
		t, err = rec.Stop()
		return err
	}, func(err error) {
		if err != nil {
			mw.ShowNotice("Could not send the voice note: " + kit.UserText(err))
			return
		}
		if t.Conversation == "" {
			t.Conversation = peer
		}
		cv.setTransfer(t)
	})
}

func (cv *chatView) discard(rec transfers.Recorder) {
	cv.mw.Background(func() error { rec.Cancel(); return nil }, nil)
}

// togglePlay plays a voice note, or stops it when it is the one playing.
func (cv *chatView) togglePlay(r *transfer.Row) {
	id := r.Transfer.ID
	if cv.playing == id {
		cv.stopPlayback()
		return
	}
	cv.stopPlayback()
	r.Play.Disable()
	mw := cv.mw
	var stop func()
	mw.Background(func() (err error) {
		stop, err = cv.files.PlayVoiceNote(id)
		return err
	}, func(err error) {
		r.Play.Enable()
		if err != nil {
			mw.ShowNotice("Could not play the voice note: " + kit.UserText(err))
			return
		}
		if cv.transfers[id] != r || cv.playing != "" {
			cv.runStop(stop) // the conversation changed, or another note started
			return
		}
		cv.playing, cv.stopPlay = id, stop
		r.SetPlaying(true)
		// Playback has no end event: the button turns back after the
		// note's length, when that is known.
		if d := cv.durations[id]; d > 0 {
			cv.playTimer = time.AfterFunc(d+300*time.Millisecond, func() {
				mw.do(func() {
					if cv.playing == id {
						cv.stopPlayback()
					}
				})
			})
		}
	})
}

// stopPlayback stops the voice note playing, if any.
func (cv *chatView) stopPlayback() {
	if cv.playTimer != nil {
		cv.playTimer.Stop()
		cv.playTimer = nil
	}
	if cv.stopPlay != nil {
		cv.runStop(cv.stopPlay)
		cv.stopPlay = nil
	}
	if r := cv.transfers[cv.playing]; r != nil {
		r.SetPlaying(false)
	}
	cv.playing = ""
}

// runStop calls a playback stop function off the UI goroutine: closing an
// audio device may take a moment.
func (cv *chatView) runStop(stop func()) {
	if stop == nil {
		return
	}
	cv.mw.Background(func() error { stop(); return nil }, nil)
}

// leave ends what belongs to the conversation on screen: a recording is
// thrown away, playback stops.
func (cv *chatView) leave() {
	cv.stopRecording(false)
	cv.stopPlayback()
}

// shutdown ends a recording and playback synchronously; the main window
// calls it as it closes, before the backend closes.
func (cv *chatView) shutdown() {
	if rec := cv.rec; rec != nil {
		cv.rec = nil
		close(cv.recDone)
		rec.Cancel()
	}
	if cv.playTimer != nil {
		cv.playTimer.Stop()
		cv.playTimer = nil
	}
	if cv.stopPlay != nil {
		cv.stopPlay()
		cv.stopPlay = nil
	}
	cv.playing = ""
}
