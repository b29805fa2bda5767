package settings

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/transfers"
	"hearth/app/ui/kit"
)

// autoAcceptSizes are the sizes the settings offer for accepting files
// without asking; 0 is "never".
var AutoAcceptSizes = []int64{0, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000}

func autoAcceptLabel(n int64) string {
	if n <= 0 {
		return lang.L("Never: always ask me")
	}
	return lang.L("Files under {{.Size}}", map[string]any{"Size": kit.HumanSize(n)})
}

// autoAcceptRow is the "Accept without asking" setting: a choice of sizes,
// or, when the team's policy sets it or turns transfers off, the value
// with the reason it cannot be changed.
func (s *Dialog) autoAcceptRow(p transfers.PolicyView) fyne.CanvasObject {
	wrapped := func(text string) *widget.Label {
		return widget.NewLabel(strings.Join(kit.WrapText(text, settingsValueWidth, theme.TextSize(), fyne.TextStyle{}), "\n"))
	}
	switch {
	case p.TransfersOff:
		return wrapped(lang.L("Never: file transfers are off"))
	case p.AutoAcceptFixed:
		v := lang.L("Never: you are always asked")
		if p.AutoAcceptBelow > 0 {
			v = lang.L("Files under {{.Size}} from your contacts", map[string]any{"Size": kit.HumanSize(p.AutoAcceptBelow)})
		}
		why := kit.Caption(lang.L("Set by your team's policy"))
		why.Importance = widget.WarningImportance
		return kit.TightVBox(wrapped(v), why)
	}
	var labels []string
	values := map[string]int64{}
	for _, n := range AutoAcceptSizes {
		l := autoAcceptLabel(n)
		labels = append(labels, l)
		values[l] = n
	}
	cur := autoAcceptLabel(p.AutoAcceptBelow)
	if !slices.Contains(labels, cur) {
		// A size saved by another version of Hearth: keep it on offer.
		labels = append(labels, cur)
		values[cur] = p.AutoAcceptBelow
	}
	s.Auto = widget.NewSelect(labels, nil)
	s.Auto.SetSelected(cur)
	last := cur
	s.Auto.OnChanged = func(l string) {
		if l == last {
			return
		}
		host := s.host
		s.Auto.Disable()
		host.Background(func() error { return s.files.SetAutoAcceptBelow(values[l]) }, func(err error) {
			s.Auto.Enable()
			kit.ShowError(s.Err, err)
			if err != nil {
				s.Auto.SetSelected(last) // the saved value is still the old one
				return
			}
			last = l
		})
	}
	return kit.TightVBox(s.Auto, kit.Caption(lang.L("Only from your contacts; bigger files wait for you.")))
}
