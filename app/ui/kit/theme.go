package kit

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"hearth/assets"
	"hearth/contacts"
)

// AppIcon is Hearth's icon as a Fyne resource (the app and window icon).
var AppIcon = fyne.NewStaticResource("hearth.png", assets.IconPNG)

// Ember is Hearth's accent: a warm orange (the light theme's primary).
var Ember = color.NRGBA{R: 0xB3, G: 0x4D, B: 0x12, A: 0xFF}

// emberLight is the accent on the dark theme: light enough to read as text
// on the dark background, with dark text on it.
var emberLight = color.NRGBA{R: 0xE0, G: 0x7A, B: 0x3F, A: 0xFF}

// hearthTheme is Fyne's default theme with Hearth's colours, every text
// colour readable (WCAG AA, 4.5:1) on every background it is drawn on
// (theme_test.go computes each pair), and text scaled by the person's
// text-size setting on top of Fyne's own scale. Light and dark variants
// follow the desktop setting.
type hearthTheme struct {
	fyne.Theme
	text float32 // text size factor, 1 = Fyne's sizes
}

// NewTheme returns the theme Run applies to the app, at the usual text
// size.
func NewTheme() fyne.Theme { return NewThemeWithText(1) }

// NewThemeWithText returns the theme with text scaled by factor (clamped to
// 0.8–2).
func NewThemeWithText(factor float32) fyne.Theme {
	return hearthTheme{Theme: theme.DefaultTheme(), text: min(max(factor, 0.8), 2)}
}

// palette holds the colours Hearth sets per variant; the rest are Fyne's.
var palette = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantDark: {
		theme.ColorNamePrimary:             emberLight,
		theme.ColorNameHyperlink:           emberLight,
		theme.ColorNameForegroundOnPrimary: color.NRGBA{R: 0x17, G: 0x17, B: 0x18, A: 0xFF},
		theme.ColorNameFocus:               color.NRGBA{R: emberLight.R, G: emberLight.G, B: emberLight.B, A: 0x7F},
		theme.ColorNameSelection:           color.NRGBA{R: emberLight.R, G: emberLight.G, B: emberLight.B, A: 0x30},
		// Fyne's dark "disabled" (#39393a) is 1.6:1 on the background, and
		// low-importance labels (section titles, "This message was
		// deleted") are drawn in it.
		theme.ColorNameDisabled:    color.NRGBA{R: 0xA8, G: 0xA8, B: 0xAA, A: 0xFF},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0xB8, G: 0xB8, B: 0xB8, A: 0xFF},
		theme.ColorNameError:       color.NRGBA{R: 0xFF, G: 0x6B, B: 0x5E, A: 0xFF},
	},
	theme.VariantLight: {
		theme.ColorNamePrimary:             Ember,
		theme.ColorNameHyperlink:           Ember,
		theme.ColorNameForegroundOnPrimary: color.White,
		theme.ColorNameFocus:               color.NRGBA{R: Ember.R, G: Ember.G, B: Ember.B, A: 0x7F},
		theme.ColorNameSelection:           color.NRGBA{R: Ember.R, G: Ember.G, B: Ember.B, A: 0x30},
		theme.ColorNameForeground:          color.NRGBA{R: 0x2B, G: 0x2B, B: 0x2B, A: 0xFF},
		theme.ColorNameDisabled:            color.NRGBA{R: 0x5E, G: 0x5E, B: 0x5E, A: 0xFF},
		theme.ColorNamePlaceHolder:         color.NRGBA{R: 0x5A, G: 0x5A, B: 0x5A, A: 0xFF},
		// Fyne's light error, success and warning are bright: white on
		// its green Accept button was 1.5:1.
		theme.ColorNameError:               color.NRGBA{R: 0xC6, G: 0x28, B: 0x28, A: 0xFF},
		theme.ColorNameSuccess:             color.NRGBA{R: 0x27, G: 0x6E, B: 0x2B, A: 0xFF},
		theme.ColorNameWarning:             color.NRGBA{R: 0xA3, G: 0x54, B: 0x00, A: 0xFF},
		theme.ColorNameForegroundOnError:   color.White,
		theme.ColorNameForegroundOnSuccess: color.White,
		theme.ColorNameForegroundOnWarning: color.White,
	},
}

func (t hearthTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := palette[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

func (t hearthTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameCaptionText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText:
		return s * t.text
	}
	return s
}

// OutgoingBubble is the background of my own messages: the accent, faint,
// over the window's background.
func OutgoingBubble() color.Color { return outgoingBubble(theme.Color(theme.ColorNamePrimary)) }

func outgoingBubble(primary color.Color) color.Color {
	p := color.NRGBAModel.Convert(primary).(color.NRGBA)
	return color.NRGBA{R: p.R, G: p.G, B: p.B, A: 0x28}
}

// Presence colours: green online, amber away, red busy, grey otherwise.
var (
	colorOnline  = color.NRGBA{R: 0x2E, G: 0xA0, B: 0x43, A: 0xFF}
	colorAway    = color.NRGBA{R: 0xE8, G: 0xA3, B: 0x17, A: 0xFF}
	colorBusy    = color.NRGBA{R: 0xD6, G: 0x3B, B: 0x3B, A: 0xFF}
	ColorOffline = color.NRGBA{R: 0x9A, G: 0xA0, B: 0xA6, A: 0xFF}
)

func PresenceColor(p contacts.Presence) color.Color {
	switch p {
	case contacts.Online:
		return colorOnline
	case contacts.Away:
		return colorAway
	case contacts.Busy:
		return colorBusy
	default:
		return ColorOffline
	}
}

// presenceChoices are the states a user can pick for themselves, in the
// order the selector shows them.
var presenceChoices = []contacts.Presence{contacts.Online, contacts.Away, contacts.Busy, contacts.Invisible}

func PresenceNames() []string {
	s := make([]string, len(presenceChoices))
	for i, p := range presenceChoices {
		s[i] = p.String()
	}
	return s
}

func PresenceFromName(name string) contacts.Presence {
	for _, p := range presenceChoices {
		if p.String() == name {
			return p
		}
	}
	return contacts.Online
}
