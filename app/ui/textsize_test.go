package ui

import (
	"testing"

	"fyne.io/fyne/v2/theme"

	"hearth/app/ui/kit"
)

func TestTextSizeSettingAppliesAndIsKept(t *testing.T) {
	mw, _, _ := newTestMain(t)
	base := kit.NewTheme().Size(theme.SizeNameText)
	d := mw.showSettings()
	if d.Text.Choice.Selected != "Normal" {
		t.Fatalf("text size starts at %q", d.Text.Choice.Selected)
	}
	d.Text.Choice.SetSelected("Larger")
	if got := mw.app.Settings().Theme().Size(theme.SizeNameText); got != base*1.4 {
		t.Errorf("text size after choosing Larger = %v, want %v", got, base*1.4)
	}
	if kit.TextFactor(mw.app) != 1.4 {
		t.Error("the choice was not kept")
	}
	d.Close()
	if d := mw.showSettings(); d.Text.Choice.Selected != "Larger" {
		t.Errorf("settings reopened with %q", d.Text.Choice.Selected)
	}
}
