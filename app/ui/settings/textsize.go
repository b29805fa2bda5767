package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
)

// TextSizeSection is the text-size setting: bigger text for people who
// need it, on top of the desktop's own scale. It applies at once and is
// kept for the next start.
type TextSizeSection struct {
	root   fyne.CanvasObject
	Choice *widget.RadioGroup
}

func newTextSizeSection(a fyne.App) *TextSizeSection {
	s := &TextSizeSection{}
	names := make([]string, len(kit.TextSizes))
	current := kit.TextFactor(a)
	selected := kit.TextSizes[0].Name
	for i, t := range kit.TextSizes {
		names[i] = t.Name
		if t.Factor == current {
			selected = t.Name
		}
	}
	s.Choice = widget.NewRadioGroup(names, nil)
	s.Choice.Horizontal = true
	s.Choice.Required = true
	s.Choice.SetSelected(selected)
	s.Choice.OnChanged = func(name string) {
		for _, t := range kit.TextSizes {
			if t.Name == name {
				kit.SetTextFactor(a, t.Factor)
			}
		}
	}
	s.root = container.NewVBox(kit.Heading(lang.L("Text size")), s.Choice)
	return s
}
