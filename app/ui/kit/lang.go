package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"hearth/assets"
)

// The UI's translations (assets/translations) are registered before any
// package that uses them builds a string: this package's init runs before
// theirs, as they all import it. Fyne picks the language from the system
// locale; strings without a translation stay English.
func init() {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("loading translations", err)
	}
}
