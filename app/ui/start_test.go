package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestFirstRunCreatesProfile(t *testing.T) {
	test.NewTempApp(t)
	q := newQueue()
	l := &fakeLauncher{}
	var got *Backend
	s := newStartScreen(l, q.do, func(b *Backend) { got = b })
	test.NewTempWindow(t, s.content)

	test.Type(s.name, "Grandma Rose")
	test.Type(s.pass, "sunflower")
	test.Type(s.confirm, "sunflower")
	test.Tap(s.create)
	q.waitFor(t, "the profile to open", func() bool { return got != nil })
	l.locked(func() {
		if !slices.Equal(l.created, []string{"Grandma Rose/sunflower"}) {
			t.Errorf("Create calls = %q", l.created)
		}
	})
}

func TestFirstRunMismatchedPassphrase(t *testing.T) {
	test.NewTempApp(t)
	q := newQueue()
	l := &fakeLauncher{}
	s := newStartScreen(l, q.do, func(*Backend) { t.Error("opened despite mismatch") })
	test.NewTempWindow(t, s.content)

	test.Type(s.name, "Rose")
	test.Type(s.pass, "sunflower")
	test.Type(s.confirm, "sunflowr")
	test.Tap(s.create)
	time.Sleep(20 * time.Millisecond)
	q.drain()
	if !s.errText.Visible() || !strings.Contains(s.errText.Text, "not the same") {
		t.Errorf("error shown = %v %q", s.errText.Visible(), s.errText.Text)
	}
	l.locked(func() {
		if len(l.created) != 0 {
			t.Errorf("Create called: %q", l.created)
		}
	})
}

func TestFirstRunNeedsName(t *testing.T) {
	test.NewTempApp(t)
	s := newStartScreen(&fakeLauncher{}, newQueue().do, func(*Backend) { t.Error("opened without a name") })
	test.NewTempWindow(t, s.content)
	test.Tap(s.create)
	if !s.errText.Visible() {
		t.Error("no error for a missing name")
	}
}

func TestUnlockWrongThenRight(t *testing.T) {
	test.NewTempApp(t)
	q := newQueue()
	l := &fakeLauncher{exists: true, needsPass: true, pass: "right"}
	var got *Backend
	s := newStartScreen(l, q.do, func(b *Backend) { got = b })
	w := test.NewTempWindow(t, s.content)
	if s.unlockPass == nil {
		t.Fatal("no unlock screen")
	}

	test.Type(s.unlockPass, "wrong")
	enter(s.unlockPass) // Enter submits
	q.waitFor(t, "the wrong-passphrase message", func() bool { return s.errText.Visible() })
	if !strings.Contains(s.errText.Text, "not right") {
		t.Errorf("message = %q", s.errText.Text)
	}
	if got != nil || w.Content() != s.content || s.unlock.Disabled() {
		t.Fatal("the unlock screen did not stay usable")
	}

	test.Type(s.unlockPass, "right")
	test.Tap(s.unlock)
	q.waitFor(t, "the profile to open", func() bool { return got != nil })
	l.locked(func() {
		if !slices.Equal(l.tries, []string{"wrong", "right"}) {
			t.Errorf("Unlock calls = %q", l.tries)
		}
	})
}

func TestNoPassphraseSkipsUnlock(t *testing.T) {
	test.NewTempApp(t)
	s := newStartScreen(&fakeLauncher{exists: true}, newQueue().do, nil)
	if s.view != nil || s.backend == nil || s.err != nil {
		t.Fatalf("view=%v backend=%v err=%v", s.view, s.backend, s.err)
	}
}
