package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"hearth/app/core/event"
	"hearth/app/ui/callwin"
	"hearth/app/ui/uitest"
)

func TestIncomingCallAcceptAndEnd(t *testing.T) {
	callwin.EndedLinger = 10 * time.Millisecond
	mw, b, q := newTestMain(t)
	b.events <- event.IncomingCall{CallID: "call-1", PeerID: "peer-bob", Name: "Bob"}
	q.WaitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-1"] != nil })
	top := mw.win.Canvas().Overlays().Top()
	if !uitest.HasText(top, "Bob is calling") {
		t.Errorf("dialog texts %q", uitest.Texts(top))
	}
	button(t, top, "Decline")
	test.Tap(button(t, top, "Accept"))
	q.WaitFor(t, "the call window", func() bool { return mw.calls["call-1"] != nil })
	b.locked(func() {
		if !slices.Equal(b.calls.accCalls, []string{"call-1"}) {
			t.Errorf("AcceptCall calls = %q", b.calls.accCalls)
		}
	})
	cw := mw.calls["call-1"]
	b.events <- event.CallConnected{CallID: "call-1"}
	q.WaitFor(t, "Connected", func() bool { return cw.Status.Text == "Connected" })
	b.events <- event.CallEnded{CallID: "call-1", Reason: "Bob hung up"}
	q.WaitFor(t, "the call window to close", func() bool { return mw.calls["call-1"] == nil })
	if cw.Status.Text != "Bob hung up" {
		t.Errorf("status = %q", cw.Status.Text)
	}
}

func TestIncomingCallDeclineAndMissed(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.events <- event.IncomingCall{CallID: "call-2", PeerID: "peer-bob", Name: "Bob"}
	q.WaitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-2"] != nil })
	test.Tap(button(t, mw.win.Canvas().Overlays().Top(), "Decline"))
	q.WaitFor(t, "DeclineCall", func() bool {
		var ok bool
		b.locked(func() { ok = slices.Equal(b.calls.decCalls, []string{"call-2"}) })
		return ok
	})

	b.events <- event.IncomingCall{CallID: "call-3", PeerID: "peer-bob", Name: "Bob"}
	q.WaitFor(t, "the ringing dialog", func() bool { return mw.ringing["call-3"] != nil })
	b.events <- event.CallEnded{CallID: "call-3", Reason: "Missed call"}
	q.WaitFor(t, "the missed-call notice", func() bool { return mw.NoticeText() == "Missed call from Bob" })
	if mw.modal != nil {
		t.Error("ringing dialog still open after the caller gave up")
	}
	// It stays until seen: no timer hides it.
	if mw.noticeTimer != nil && mw.noticeTimer.Stop() {
		t.Error("the missed-call notice would time out")
	}
}

func TestStartCallOpensWindow(t *testing.T) {
	mw, b, q := newTestMain(t)
	mw.list.Select(0)
	test.Tap(mw.chat.call)
	q.WaitFor(t, "the call window", func() bool { return mw.calls["call-out"] != nil })
	b.locked(func() {
		if len(b.calls.calls) != 1 || b.calls.calls[0].Peer != "peer-bob" {
			t.Errorf("StartCall calls = %v", b.calls.calls)
		}
	})
	if mw.calls["call-out"].Status.Text != "Calling…" {
		t.Errorf("status %q", mw.calls["call-out"].Status.Text)
	}
}
