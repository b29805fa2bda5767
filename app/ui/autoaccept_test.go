package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/transfers"
	"hearth/app/ui/settings"
	"hearth/app/ui/uitest"
)

// selects lists the visible drop-downs under o.
func selects(o fyne.CanvasObject) []*widget.Select {
	var out []*widget.Select
	uitest.Visible(o, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			out = append(out, s)
		}
	})
	return out
}

// TestSettingsAutoAcceptChoice: without a policy that sets it, the
// auto-accept size is a choice that is saved; a refusal shows the reason
// and puts the old choice back.
func TestSettingsAutoAcceptChoice(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.locked(func() { b.files.policy = transfers.PolicyView{AutoAcceptBelow: 10 << 20} })
	s := mw.showSettings()
	top := mw.win.Canvas().Overlays().Top()
	if sel := selects(s.Policy); len(sel) != 1 || sel[0] != s.Auto {
		t.Fatalf("%d drop-downs in the settings", len(sel))
	}
	if s.Auto.Selected != "Files under 10 MB" || len(s.Auto.Options) != len(settings.AutoAcceptSizes) {
		t.Fatalf("selected %q of %q", s.Auto.Selected, s.Auto.Options)
	}
	if !uitest.HasText(top, "Only from your contacts") {
		t.Errorf("no explanation in %q", uitest.Texts(top))
	}

	s.Auto.SetSelected("Files under 100 MB")
	q.WaitFor(t, "saved", func() bool {
		var n int64
		b.locked(func() { n = b.files.policy.AutoAcceptBelow })
		return n == 100_000_000 && !s.Auto.Disabled()
	})
	s.Auto.SetSelected("Never: always ask me")
	q.WaitFor(t, "saved as never", func() bool {
		var n int64
		b.locked(func() { n = b.files.policy.AutoAcceptBelow })
		return n == 0 && !s.Auto.Disabled()
	})

	// The team's policy arrives meanwhile: the change is refused.
	b.locked(func() { b.files.policy.AutoAcceptFixed = true })
	s.Auto.SetSelected("Files under 1.0 GB")
	q.WaitFor(t, "refusal shown", func() bool { return s.Err.Visible() && !s.Auto.Disabled() })
	if s.Auto.Selected != "Never: always ask me" {
		t.Errorf("after a refusal the choice shows %q", s.Auto.Selected)
	}
	if !uitest.HasText(top, "policy sets this") {
		t.Errorf("reason not shown: %q", uitest.Texts(top))
	}
	s.Close()
}

// TestSettingsAutoAcceptFixed: a policy that sets the size, or turns
// transfers off, shows it read-only with the reason.
func TestSettingsAutoAcceptFixed(t *testing.T) {
	mw, b, _ := newTestMain(t)
	b.locked(func() {
		b.files.policy = transfers.PolicyView{Installed: true, AutoAcceptBelow: 2_000_000, AutoAcceptFixed: true}
	})
	s := mw.showSettings()
	top := mw.win.Canvas().Overlays().Top()
	if len(selects(s.Policy)) != 0 || s.Auto != nil {
		t.Fatal("a fixed size can be chosen")
	}
	for _, want := range []string{"Files under 2.0 MB from your contacts", "Set by your team's policy"} {
		if !uitest.HasText(top, want) {
			t.Errorf("%q not in %q", want, uitest.Texts(top))
		}
	}
	s.Close()

	b.locked(func() { b.files.policy = transfers.PolicyView{Installed: true, TransfersOff: true} })
	s = mw.showSettings()
	top = mw.win.Canvas().Overlays().Top()
	if len(selects(s.Policy)) != 0 || !uitest.HasText(top, "file transfers are off") {
		t.Errorf("transfers off: %d drop-downs, texts %q", len(selects(s.Policy)), uitest.Texts(top))
	}
	s.Close()
}
