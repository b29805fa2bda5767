// Package assets embeds Hearth's icons so every binary carries them. It
// holds bytes only and imports no GUI toolkit; app/ui wraps them in Fyne
// resources.
package assets

import "embed"

// IconSVG is the app icon (a flame on the hearth of a small house) as SVG.
//
//go:embed icon.svg
var IconSVG []byte

// IconPNG is the app icon rendered at 512x512 from icon.svg.
//
//go:embed icon.png
var IconPNG []byte

// Translations holds the UI's translations, one JSON file per language
// (hearth.es.json, hearth.de.json: English text → translation), for
// Fyne's lang package; English is the text itself.
//
//go:embed translations
var Translations embed.FS
