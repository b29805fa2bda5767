package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/app/ui/area"
	"hearth/app/ui/start"
	"hearth/app/ui/uitest"

	"fyne.io/fyne/v2/test"
)

func TestFirstRunCreatesProfile(t *testing.T) {
	test.NewTempApp(t)
	q := uitest.NewQueue()
	l := &fakeLauncher{}
	var got *area.Backend
	s := start.NewScreen(l, q.Do, func(b *area.Backend) { got = b })
	test.NewTempWindow(t, s.Content)

	test.Type(s.Name, "Grandma Rose")
	test.Type(s.Pass, "sunflower")
	test.Type(s.Confirm, "sunflower")
	test.Tap(s.Create)
	q.WaitFor(t, "the profile to open", func() bool { return got != nil })
	l.locked(func() {
		if !slices.Equal(l.created, []string{"Grandma Rose/sunflower"}) {
			t.Errorf("Create calls = %q", l.created)
		}
	})
}

func TestFirstRunMismatchedPassphrase(t *testing.T) {
	test.NewTempApp(t)
	q := uitest.NewQueue()
	l := &fakeLauncher{}
	s := start.NewScreen(l, q.Do, func(*area.Backend) { t.Error("opened despite mismatch") })
	test.NewTempWindow(t, s.Content)

	test.Type(s.Name, "Rose")
	test.Type(s.Pass, "sunflower")
	test.Type(s.Confirm, "sunflowr")
	test.Tap(s.Create)
	time.Sleep(20 * time.Millisecond)
	q.Drain()
	if !s.ErrText.Visible() || !strings.Contains(s.ErrText.Text, "not the same") {
		t.Errorf("error shown = %v %q", s.ErrText.Visible(), s.ErrText.Text)
	}
	l.locked(func() {
		if len(l.created) != 0 {
			t.Errorf("Create called: %q", l.created)
		}
	})
}

func TestFirstRunNeedsName(t *testing.T) {
	test.NewTempApp(t)
	s := start.NewScreen(&fakeLauncher{}, uitest.NewQueue().Do, func(*area.Backend) { t.Error("opened without a name") })
	test.NewTempWindow(t, s.Content)
	test.Tap(s.Create)
	if !s.ErrText.Visible() {
		t.Error("no error for a missing name")
	}
}

func TestUnlockWrongThenRight(t *testing.T) {
	test.NewTempApp(t)
	q := uitest.NewQueue()
	l := &fakeLauncher{exists: true, needsPass: true, pass: "right"}
	var got *area.Backend
	s := start.NewScreen(l, q.Do, func(b *area.Backend) { got = b })
	w := test.NewTempWindow(t, s.Content)
	if s.UnlockPass == nil {
		t.Fatal("no unlock screen")
	}

	test.Type(s.UnlockPass, "wrong")
	enter(s.UnlockPass) // Enter submits
	q.WaitFor(t, "the wrong-passphrase message", func() bool { return s.ErrText.Visible() })
	if !strings.Contains(s.ErrText.Text, "not right") {
		t.Errorf("message = %q", s.ErrText.Text)
	}
	if got != nil || w.Content() != s.Content || s.Unlock.Disabled() {
		t.Fatal("the unlock screen did not stay usable")
	}

	test.Type(s.UnlockPass, "right")
	test.Tap(s.Unlock)
	q.WaitFor(t, "the profile to open", func() bool { return got != nil })
	l.locked(func() {
		if !slices.Equal(l.tries, []string{"wrong", "right"}) {
			t.Errorf("Unlock calls = %q", l.tries)
		}
	})
}

func TestNoPassphraseSkipsUnlock(t *testing.T) {
	test.NewTempApp(t)
	s := start.NewScreen(&fakeLauncher{exists: true}, uitest.NewQueue().Do, nil)
	if s.View != nil || s.Backend == nil || s.Err != nil {
		t.Fatalf("view=%v backend=%v err=%v", s.View, s.Backend, s.Err)
	}
}
