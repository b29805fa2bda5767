package ui

import (
	"testing"

	"hearth/app/ui/settings"
	"hearth/app/ui/uitest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// findCheck returns the check box labelled text under o.
func findCheck(o fyne.CanvasObject, text string) *widget.Check {
	switch w := o.(type) {
	case *widget.Check:
		if w.Text == text {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if found := findCheck(c, text); found != nil {
				return found
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			if found := findCheck(c, text); found != nil {
				return found
			}
		}
	}
	return nil
}

func TestSettingsCarrySwitch(t *testing.T) {
	mw, b, q := newTestMain(t)
	d := mw.showSettings()
	check := findCheck(mw.win.Canvas().Overlays().Top(), settings.CarryLabel)
	if check == nil {
		t.Fatalf("no %q switch in %q", settings.CarryLabel, uitest.Texts(mw.win.Canvas().Overlays().Top()))
	}
	if check.Checked {
		t.Fatal("carrying shown on while it is off")
	}
	test.Tap(check)
	q.WaitFor(t, "carrying turned on", func() bool { return b.me.CarryMessages() && !check.Disabled() })
	d.Close()

	// Reopened, the settings show the saved state; turning it off saves.
	mw.showSettings()
	check = findCheck(mw.win.Canvas().Overlays().Top(), settings.CarryLabel)
	if !check.Checked {
		t.Fatal("carrying shown off after it was turned on")
	}
	test.Tap(check)
	q.WaitFor(t, "carrying turned off", func() bool { return !b.me.CarryMessages() && !check.Disabled() })
	if top := mw.win.Canvas().Overlays().Top(); uitest.HasText(top, "Now holding") {
		t.Errorf("holding shown while nothing is held: %q", uitest.Texts(top))
	}
	mw.HideModal(mw.modal)

	// What is held for others is shown.
	b.locked(func() { b.me.carried = 3 })
	mw.showSettings()
	if top := mw.win.Canvas().Overlays().Top(); !uitest.HasText(top, "Now holding 3 sealed messages (1.2 kB)") {
		t.Errorf("holding not shown: %q", uitest.Texts(top))
	}
}
