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

// ember is Hearth's accent: a warm orange, dark enough for white text.
var Ember = color.NRGBA{R: 0xC2, G: 0x57, B: 0x1A, A: 0xFF}

// hearthTheme is Fyne's default theme with a warm accent colour. Light and
// dark variants follow the desktop setting.
type hearthTheme struct{ fyne.Theme }

// NewTheme returns the theme Run applies to the app.
func NewTheme() fyne.Theme { return hearthTheme{theme.DefaultTheme()} }

func (t hearthTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return Ember
	case theme.ColorNameFocus:
		return color.NRGBA{R: Ember.R, G: Ember.G, B: Ember.B, A: 0x7F}
	case theme.ColorNameSelection:
		return color.NRGBA{R: Ember.R, G: Ember.G, B: Ember.B, A: 0x40}
	case theme.ColorNameForegroundOnPrimary:
		return color.White
	}
	return t.Theme.Color(n, v)
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
