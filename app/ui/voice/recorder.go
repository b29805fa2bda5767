package voice

import (
	"image/color"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
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

// Notes is the conversation's voice notes: the one recording and the one
// playing. Use it on the UI goroutine.
type Notes struct {
	host     Host
	composer fyne.CanvasObject // hidden while recording

	// Mic is the button beside the composer; hold to record, release to
	// send, a click toggles. Strip is the recorder strip, shown in the
	// composer's place while a note records.
	Mic   *kit.HoldButton
	Strip fyne.CanvasObject

	// the voice note being recorded
	hold      holdState // what the mic button's press in progress means
	holdAt    time.Time // when it went down
	holdNext  holdNext  // what to do once a recorder being started arrives
	starting  bool      // a recorder is being started
	Rec       transfers.Recorder
	recDone   chan struct{} // closed when Rec ends
	recDot    *canvas.Circle
	RecTime   *canvas.Text
	recNotice *widget.Label
	RecStop   *widget.Button
	RecCancel *widget.Button

	// the voice note playing
	playing   string // transfer ID
	stopPlay  func()
	playTimer *time.Timer
}

// New makes the mic button and the recorder strip; composer is what the
// strip replaces while a note records.
func New(host Host, composer fyne.CanvasObject) *Notes {
	cv := &Notes{host: host, composer: composer}
	cv.Mic = cv.newMicButton()
	cv.Strip = cv.buildRecorder()
	return cv
}

// Recording reports whether a note is being recorded.
func (cv *Notes) Recording() bool { return cv.Rec != nil }

// Cancel throws the note being recorded away, if any.
func (cv *Notes) Cancel() { cv.stopRecording(false) }

// Playing is the ID of the voice note playing, "" when none.
func (cv *Notes) Playing() string { return cv.playing }

// TogglePlay plays r's voice note, or stops it when it is the one playing.
func (cv *Notes) TogglePlay(r *transfer.Row) { cv.togglePlay(r) }

// buildRecorder makes the strip that replaces the composer while a voice
// note records: "● 0:07  Stop and send  ✕".
func (cv *Notes) buildRecorder() fyne.CanvasObject {
	var dotBox fyne.CanvasObject
	cv.recDot, dotBox = kit.NewDot(recordRed, 12)
	cv.RecTime = canvas.NewText("0:00", recordRed)
	cv.RecTime.TextStyle = fyne.TextStyle{Bold: true}
	cv.RecTime.TextSize = theme.TextSubHeadingSize()
	cv.recNotice = widget.NewLabel("")
	cv.recNotice.Truncation = fyne.TextTruncateEllipsis
	cv.RecStop = widget.NewButtonWithIcon(lang.L("Stop and send"), theme.MailSendIcon(), func() { cv.stopRecording(true) })
	cv.RecStop.Importance = widget.DangerImportance
	cv.RecCancel = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { cv.stopRecording(false) })
	cv.RecCancel.Importance = widget.LowImportance

	bg := canvas.NewRectangle(color.NRGBA{R: recordRed.R, G: recordRed.G, B: recordRed.B, A: 0x22})
	bg.CornerRadius = theme.InputRadiusSize()
	left := container.NewHBox(kit.LayoutSpacer(2, 1), dotBox, container.NewCenter(cv.RecTime))
	right := container.NewHBox(container.NewCenter(cv.RecStop), container.NewCenter(cv.RecCancel))
	strip := container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, left, right, cv.recNotice)))
	box := container.NewVBox(layout.NewSpacer(), strip, layout.NewSpacer())
	box.Hide()
	return box
}

// startRecording asks the backend for a recorder off the UI goroutine
// (opening the device can take a moment) and then shows the recorder
// strip. The mic button (hold.go) calls it.
func (cv *Notes) startRecording() {
	peer := cv.host.Peer()
	if peer == "" || cv.Rec != nil || cv.starting {
		return
	}
	cv.stopPlayback()
	cv.starting = true
	mw := cv.host
	var rec transfers.Recorder
	mw.Background(func() (err error) {
		rec, err = cv.host.Files().RecordVoiceNote(peer)
		return err
	}, func(err error) {
		cv.starting = false
		if err != nil {
			cv.holdNext = nextNothing
			mw.ShowNotice(lang.L("Could not record a voice note: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			return
		}
		next := cv.holdNext
		cv.holdNext = nextNothing
		if !mw.OnScreen(peer) || next != nextNothing {
			cv.discard(rec) // the conversation changed, or the hold ended
			if next == nextTooEarly {
				mw.ShowNotice(lang.L("The microphone was not ready yet: hold the button while you speak."))
			}
			return
		}
		cv.showRecorder(rec)
	})
}

func (cv *Notes) showRecorder(rec transfers.Recorder) {
	cv.Rec = rec
	cv.recDone = make(chan struct{})
	cv.RecTime.Text = kit.FormatElapsed(rec.Elapsed())
	cv.RecTime.Refresh()
	cv.recNotice.SetText(cv.recordingHint())
	if rec.Notice() != "" {
		cv.recNotice.Importance = widget.WarningImportance
	} else {
		cv.recNotice.Importance = widget.MediumImportance
	}
	cv.recNotice.Refresh()
	cv.composer.Hide()
	cv.Strip.Show()
	cv.Mic.Importance = widget.DangerImportance
	cv.Mic.Refresh()
	// Escape reaches the window's handler (or the mic, when it has focus).
	if c := cv.host.Canvas(); c.Focused() != fyne.Focusable(cv.Mic) {
		c.Unfocus()
	}
	cv.tick(rec, cv.recDone)
}

// tick updates the recorder's clock every recorderTick until done closes.
// At most one update waits for the UI goroutine at a time.
func (cv *Notes) tick(rec transfers.Recorder, done chan struct{}) {
	mw := cv.host
	mw.Go(func(stop <-chan struct{}) {
		t := time.NewTicker(recorderTick)
		defer t.Stop()
		var queued atomic.Bool
		for {
			select {
			case <-done:
				return
			case <-stop:
				return
			case <-t.C:
				if !queued.CompareAndSwap(false, true) {
					continue
				}
				mw.Do(func() {
					queued.Store(false)
					if cv.Rec != rec {
						return
					}
					d := rec.Elapsed()
					cv.RecTime.Text = kit.FormatElapsed(d)
					cv.RecTime.Refresh()
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
	})
}

// stopRecording hides the strip and sends the note (send) or throws it
// away.
func (cv *Notes) stopRecording(send bool) {
	rec := cv.Rec
	if rec == nil {
		return
	}
	cv.Rec = nil
	close(cv.recDone)
	cv.Strip.Hide()
	cv.composer.Show()
	cv.Mic.Importance = widget.LowImportance
	cv.Mic.Refresh()
	if !send {
		cv.discard(rec)
		return
	}
	mw := cv.host
	peer := cv.host.Peer()
	var t contacts.Transfer
	mw.Background(func() (err error) {
		t, err = rec.Stop()
		return err
	}, func(err error) {
		if err != nil {
			mw.ShowNotice(lang.L("Could not send the voice note: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			return
		}
		if t.Conversation == "" {
			t.Conversation = peer
		}
		cv.host.AddTransfer(t)
	})
}

func (cv *Notes) discard(rec transfers.Recorder) {
	cv.host.Background(func() error { rec.Cancel(); return nil }, nil)
}

// togglePlay plays a voice note, or stops it when it is the one playing.
func (cv *Notes) togglePlay(r *transfer.Row) {
	id := r.Transfer.ID
	if cv.playing == id {
		cv.stopPlayback()
		return
	}
	cv.stopPlayback()
	r.Play.Disable()
	mw := cv.host
	var stop func()
	mw.Background(func() (err error) {
		stop, err = cv.host.Files().PlayVoiceNote(id)
		return err
	}, func(err error) {
		r.Play.Enable()
		if err != nil {
			mw.ShowNotice(lang.L("Could not play the voice note: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			return
		}
		if cv.host.Row(id) != r || cv.playing != "" {
			cv.runStop(stop) // the conversation changed, or another note started
			return
		}
		cv.playing, cv.stopPlay = id, stop
		r.SetPlaying(true)
		// Playback has no end event: the button turns back after the
		// note's length, when that is known.
		if d, _ := cv.host.Duration(id); d > 0 {
			cv.playTimer = time.AfterFunc(d+300*time.Millisecond, func() {
				mw.Do(func() {
					if cv.playing == id {
						cv.stopPlayback()
					}
				})
			})
		}
	})
}

// stopPlayback stops the voice note playing, if any.
func (cv *Notes) stopPlayback() {
	if cv.playTimer != nil {
		cv.playTimer.Stop()
		cv.playTimer = nil
	}
	if cv.stopPlay != nil {
		cv.runStop(cv.stopPlay)
		cv.stopPlay = nil
	}
	if r := cv.host.Row(cv.playing); r != nil {
		r.SetPlaying(false)
	}
	cv.playing = ""
}

// runStop calls a playback stop function off the UI goroutine: closing an
// audio device may take a moment.
func (cv *Notes) runStop(stop func()) {
	if stop == nil {
		return
	}
	cv.host.Background(func() error { stop(); return nil }, nil)
}

// Leave ends what belongs to the conversation on screen: a recording is
// thrown away, playback stops.
func (cv *Notes) Leave() {
	cv.stopRecording(false)
	cv.stopPlayback()
}

// Shutdown ends a recording and playback synchronously; the main window
// calls it as it closes, before the backend closes.
func (cv *Notes) Shutdown() {
	if rec := cv.Rec; rec != nil {
		cv.Rec = nil
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
