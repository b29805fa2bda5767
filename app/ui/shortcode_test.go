package ui

import (
	"context"
	"errors"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hearth/app/core/event"
	"hearth/app/ui/uitest"
)

func TestAddContactLeadsToShortCode(t *testing.T) {
	mw, _, q := newTestMain(t)
	mw.add.ShowAddContact()
	test.Tap(button(t, top(mw), "Get a short code"))
	q.WaitFor(t, "the code shown", func() bool { return mw.add.ShortCode != nil && mw.add.ShortCode.Code != "" })
	if !mw.add.ShortCode.Show || mw.modal != mw.add.ShortCode.Dialog {
		t.Fatal("the short-code dialog is not the open one")
	}
	mw.add.ShortCode.Close()
	mw.add.ShowAddContact()
	test.Tap(button(t, top(mw), "Enter a code"))
	if mw.add.ShortCode == nil || mw.add.ShortCode.Show {
		t.Fatal("Enter a code did not open the entry")
	}
}

func TestShortCodeShowWaitsAndSucceeds(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowShortCode(true)
	q.WaitFor(t, "the code shown", func() bool { return s.CodeText.Text == "7-orbit-maple-sugar" })
	if !s.Waiting.Visible() || !uitest.HasText(top(mw), "Waiting for the other person") {
		t.Fatalf("no waiting indicator: %q", uitest.Texts(top(mw)))
	}
	// An event for another code is not ours.
	b.events <- event.PairingSucceeded{Code: "1-acorn-acorn-acorn", PeerID: "peer-x", Name: "X"}
	b.events <- event.PairingSucceeded{Code: "7-orbit-maple-sugar", PeerID: "peer-zoe", Name: "Zoe"}
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	if mw.NoticeText() != "Paired with Zoe: you can chat now." {
		t.Fatalf("notice %q", mw.NoticeText())
	}
	b.locked(func() {
		if b.people.pair.cancels != 0 {
			t.Error("a used code was cancelled")
		}
	})
}

func TestShortCodeShowFailsThenNewCode(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowShortCode(true)
	q.WaitFor(t, "the code shown", func() bool { return s.Code != "" })
	b.events <- event.PairingFailed{Code: "7-orbit-maple-sugar", Reason: "The code did not match: someone typed it wrong. Make a new code and try again."}
	q.WaitFor(t, "the failure shown", func() bool { return s.Err.Visible() })
	if s.Err.Text != "The code did not match: someone typed it wrong. Make a new code and try again." || s.Waiting.Visible() || mw.modal == nil {
		t.Fatalf("error %q, waiting %v", s.Err.Text, s.Waiting.Visible())
	}
	test.Tap(button(t, top(mw), "New code"))
	q.WaitFor(t, "a new code", func() bool { return s.CodeText.Text == "12-otter-lemon-drum" })
	if s.Err.Visible() {
		t.Error("the old error is still shown")
	}
	// Escape closes and gives the code up.
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	q.WaitFor(t, "the code cancelled", func() bool {
		var n int
		b.locked(func() { n = b.people.pair.cancels })
		return n == 1
	})
	if mw.modal != nil || mw.add.ShortCode != nil {
		t.Fatal("Escape did not close the dialog")
	}
}

func TestShortCodeEnter(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowShortCode(false)
	if mw.win.Canvas().Focused() != s.Entry {
		t.Error("the entry does not have the focus")
	}
	// Nothing typed: a hint, no call.
	enter(s.Entry)
	if !s.Err.Visible() {
		t.Fatal("no hint for an empty code")
	}
	b.locked(func() {
		b.people.pair.err = errors.New("the code did not match; the other person needs to make a new code, then try again")
	})
	test.Type(s.Entry, "7 orbit maple salad")
	enter(s.Entry)
	q.WaitFor(t, "the error", func() bool { return s.Err.Visible() && s.Pair.Text == "Pair" })
	if s.Err.Text != "The code did not match; the other person needs to make a new code, then try again" || mw.modal == nil {
		t.Fatalf("error %q", s.Err.Text)
	}
	b.locked(func() { b.people.pair.err = nil })
	test.Tap(s.Pair)
	q.WaitFor(t, "the dialog to close", func() bool { return mw.modal == nil })
	b.locked(func() {
		if !slices.Equal(b.people.pair.typed, []string{"7 orbit maple salad", "7 orbit maple salad"}) {
			t.Errorf("PairWithCode calls %q", b.people.pair.typed)
		}
	})
	if mw.NoticeText() != "Paired with Zoe: you can chat now." {
		t.Fatalf("notice %q", mw.NoticeText())
	}
}

func TestShortCodeEnterEscapeStopsSearch(t *testing.T) {
	mw, b, q := newTestMain(t)
	block := make(chan struct{})
	defer close(block)
	b.locked(func() { b.people.pair.block = block })
	s := mw.add.ShowShortCode(false)
	test.Type(s.Entry, "7-orbit-maple-sugar")
	test.Tap(s.Pair)
	if !s.Pair.Disabled() || !s.Waiting.Visible() {
		t.Fatal("no sign of work while looking")
	}
	s.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Fatal("Escape did not close")
	}
	// The search was cancelled: PairWithCode returned (ctx done), and the
	// closed dialog ignores the result.
	q.WaitFor(t, "the search to stop", func() bool {
		var ended []error
		b.locked(func() { ended = b.people.pair.ended })
		return len(ended) == 1 && errors.Is(ended[0], context.Canceled)
	})
}

// top is the dialog on top of the main window.
func top(mw *MainWindow) fyne.CanvasObject { return mw.win.Canvas().Overlays().Top() }
