package kit

import (
	"image/color"
	"math"
)

// Contrast is the WCAG 2 contrast ratio of text colour fg on background bg
// (1 to 21). A translucent fg or bg is first composed over the one under
// it, as the screen shows it: pass bg already composed (Over).
func Contrast(fg, bg color.Color) float64 {
	f, b := luminance(Over(fg, bg)), luminance(bg)
	if f < b {
		f, b = b, f
	}
	return (f + 0.05) / (b + 0.05)
}

// Over composes top over an opaque bottom (source-over).
func Over(top, bottom color.Color) color.Color {
	t := color.NRGBAModel.Convert(top).(color.NRGBA)
	b := color.NRGBAModel.Convert(bottom).(color.NRGBA)
	a := float64(t.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(t.R, b.R), G: mix(t.G, b.G), B: mix(t.B, b.B), A: 0xFF}
}

// luminance is the relative luminance of an sRGB colour (WCAG 2).
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}
