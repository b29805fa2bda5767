package voice

import (
	"time"

	"hearth/app/ui/kit"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// holdMin is how long the mic button must be held for its release to send
// the voice note; a shorter press is a click, and the recording goes on
// until Stop and send (or another click).
const holdMin = 400 * time.Millisecond

// holdState says what the mic button's press in progress means.
type holdState int

const (
	holdNone  holdState = iota
	holdStart           // pressed to start recording: the release decides
	holdStop            // pressed while recording: a click that sends
)

// holdNext says how a hold ended before its recorder arrived: either way
// nothing was recorded yet, so the recording is dropped.
type holdNext int

const (
	nextNothing  holdNext = iota
	nextCancel            // the pointer left the button
	nextTooEarly          // released before the microphone was open
)

// newMicButton makes the voice note button: hold it to record and let go
// to send, or move the pointer off it (or press Escape) to throw the
// recording away. A click (or Space) starts a recording that goes on until
// Stop and send, ✕, or another click.
func (cv *Notes) newMicButton() *kit.HoldButton {
	b := kit.NewHoldButton(kit.MicIcon, cv.toggleRecording)
	b.Importance = widget.LowImportance
	b.OnDown = cv.micDown
	b.OnUp = cv.micUp
	b.OnLeave = cv.micLeave
	b.OnEscape = func() { cv.stopRecording(false) }
	return b
}

// toggleRecording is a click without the mouse handlers (the keyboard).
func (cv *Notes) toggleRecording() {
	if cv.Rec != nil {
		cv.stopRecording(true)
		return
	}
	cv.startRecording()
}

func (cv *Notes) micDown() {
	switch {
	case cv.Rec != nil:
		cv.hold = holdStop
	case cv.starting:
		cv.hold = holdNone
	default:
		cv.hold, cv.holdAt, cv.holdNext = holdStart, cv.host.Now(), nextNothing
		cv.startRecording()
	}
}

func (cv *Notes) micUp() {
	h := cv.hold
	cv.hold = holdNone
	switch {
	case h == holdStop:
		cv.stopRecording(true)
	case h == holdStart && cv.host.Now().Sub(cv.holdAt) >= holdMin:
		cv.endHold(true)
	case h == holdStart && cv.Rec != nil:
		// A short press: a click; the recording goes on, and the hint
		// no longer talks of releasing.
		cv.recNotice.SetText(cv.recordingHint())
	}
}

func (cv *Notes) micLeave() {
	if cv.hold == holdStart {
		cv.endHold(false)
	}
	cv.hold = holdNone
}

// endHold sends (send) or drops the held recording. While its recorder is
// still being started nothing has been recorded: startRecording drops it
// when it arrives.
func (cv *Notes) endHold(send bool) {
	if cv.Rec != nil {
		cv.stopRecording(send)
		return
	}
	if cv.starting {
		cv.holdNext = nextCancel
		if send {
			cv.holdNext = nextTooEarly
		}
	}
}

// recordingHint is the recorder strip's text: while the mic is held, how
// to end the recording, then the recorder's notice (a test tone standing
// in for a missing microphone) if any.
func (cv *Notes) recordingHint() string {
	notice := ""
	if cv.Rec != nil {
		notice = cv.Rec.Notice()
	}
	switch {
	case cv.hold == holdStart && notice != "":
		return lang.L("Release to send, move away to cancel · {{.Notice}}", map[string]any{"Notice": notice})
	case cv.hold == holdStart:
		return lang.L("Release to send, move away to cancel")
	case notice != "":
		return notice
	}
	return lang.L("Recording a voice note for {{.Name}}…", map[string]any{"Name": cv.host.PeerName()})
}
