package kit

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// Every colour Hearth draws text in, on every background it is drawn on,
// in both variants, reaches WCAG AA (4.5:1). The pairs follow what Fyne's
// widgets do: a label's importance picks its colour (low importance is
// "disabled"), buttons put their "on" colour on their fill, entries draw
// the placeholder on the input background, lists and hover blend a
// translucent colour over the background; Hearth's own bubbles and
// avatars are added.
func TestThemeContrast(t *testing.T) {
	test.NewTempApp(t) // Fyne's theme asks the app for its settings
	th := NewTheme()
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		name := map[fyne.ThemeVariant]string{theme.VariantDark: "dark", theme.VariantLight: "light"}[v]
		c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
		bg := c(theme.ColorNameBackground)
		over := func(n fyne.ThemeColorName, under color.Color) color.Color { return Over(c(n), under) }

		surfaces := map[string]color.Color{
			"background":          bg,
			"input background":    over(theme.ColorNameInputBackground, bg),
			"overlay (dialogs)":   over(theme.ColorNameOverlayBackground, bg),
			"menu":                over(theme.ColorNameMenuBackground, bg),
			"header":              over(theme.ColorNameHeaderBackground, bg),
			"button":              over(theme.ColorNameButton, bg),
			"hovered row":         over(theme.ColorNameHover, bg),
			"selected row":        over(theme.ColorNameSelection, bg),
			"hovered button":      over(theme.ColorNameHover, over(theme.ColorNameButton, bg)),
			"my bubble":           Over(outgoingBubble(c(theme.ColorNamePrimary)), bg),
			"their bubble":        over(theme.ColorNameInputBackground, bg),
			"dialog input":        over(theme.ColorNameInputBackground, c(theme.ColorNameOverlayBackground)),
			"dialog button":       over(theme.ColorNameButton, c(theme.ColorNameOverlayBackground)),
			"selected in dialog":  over(theme.ColorNameSelection, c(theme.ColorNameOverlayBackground)),
			"my bubble in dialog": Over(outgoingBubble(c(theme.ColorNamePrimary)), c(theme.ColorNameOverlayBackground)),
		}
		// Text, placeholders (and times under bubbles) and low-importance
		// text can be anywhere.
		for tn, tc := range map[string]fyne.ThemeColorName{
			"text":                    theme.ColorNameForeground,
			"placeholder, times":      theme.ColorNamePlaceHolder,
			"low importance, deleted": theme.ColorNameDisabled,
		} {
			for sn, sc := range surfaces {
				check(t, fmt.Sprintf("%s: %s on %s", name, tn, sn), c(tc), sc)
			}
		}
		// Coloured labels (errors, links, states) stand on the window, a
		// dialog, a menu or an entry, never on a button or a bubble.
		for tn, tc := range map[string]fyne.ThemeColorName{
			"high importance": theme.ColorNamePrimary,
			"hyperlink":       theme.ColorNameHyperlink,
			"errors":          theme.ColorNameError,
			"success":         theme.ColorNameSuccess,
			"warnings":        theme.ColorNameWarning,
		} {
			for _, sn := range []string{"background", "input background", "overlay (dialogs)", "menu", "header", "dialog input", "hovered row"} {
				check(t, fmt.Sprintf("%s: %s on %s", name, tn, sn), c(tc), surfaces[sn])
			}
		}
		// Filled buttons and badges: the "on" colour on its fill.
		for on, fill := range map[fyne.ThemeColorName]fyne.ThemeColorName{
			theme.ColorNameForegroundOnPrimary: theme.ColorNamePrimary,
			theme.ColorNameForegroundOnError:   theme.ColorNameError,
			theme.ColorNameForegroundOnSuccess: theme.ColorNameSuccess,
			theme.ColorNameForegroundOnWarning: theme.ColorNameWarning,
		} {
			check(t, fmt.Sprintf("%s: %s on %s", name, on, fill), c(on), c(fill))
		}
		check(t, name+": disabled button text", c(theme.ColorNameDisabled), over(theme.ColorNameDisabledButton, bg))
	}
	for _, a := range avatarColors {
		check(t, fmt.Sprintf("initials on avatar %v", a), color.White, a)
	}
	t.Logf("lowest contrast: %.2f:1 (%s)", lowest.r, lowest.what)
}

// lowest is the lowest ratio checked and its pair (logged).
var lowest = struct {
	r    float64
	what string
}{r: 21}

func check(t *testing.T, what string, fg, bg color.Color) {
	t.Helper()
	r := Contrast(fg, bg)
	if r < lowest.r {
		lowest.r, lowest.what = r, what
	}
	if r < 4.5 {
		t.Errorf("%s: %.2f:1, below 4.5:1", what, r)
	}
}

func TestContrastKnownValues(t *testing.T) {
	for _, c := range []struct {
		fg, bg color.Color
		want   float64
	}{
		{color.Black, color.White, 21},
		{color.White, color.White, 1},
		{color.NRGBA{0x76, 0x76, 0x76, 0xff}, color.White, 4.54}, // the lightest grey AA allows on white
	} {
		if got := Contrast(c.fg, c.bg); got < c.want-0.01 || got > c.want+0.01 {
			t.Errorf("Contrast(%v, %v) = %.3f, want %.2f", c.fg, c.bg, got, c.want)
		}
	}
}

func TestTextSizeScales(t *testing.T) {
	base := NewTheme().Size(theme.SizeNameText)
	if got := NewThemeWithText(1.5).Size(theme.SizeNameText); got != base*1.5 {
		t.Errorf("text at 150%% = %v, want %v", got, base*1.5)
	}
	if NewThemeWithText(1.5).Size(theme.SizeNamePadding) != NewTheme().Size(theme.SizeNamePadding) {
		t.Error("the text size setting changed the padding")
	}
	if got := NewThemeWithText(9).Size(theme.SizeNameText); got != base*2 {
		t.Errorf("text factor not clamped: %v", got)
	}
}
