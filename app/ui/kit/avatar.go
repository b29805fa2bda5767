package kit

import (
	"hash/fnv"
	"image"
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// avatarView is a person's picture in a circle, or their initials on a
// coloured disc when they have none. Images come decoded from core (which
// checked them off the UI goroutine), so nothing is decoded here.
type AvatarView struct {
	widget.BaseWidget
	size     float32
	disc     *canvas.Circle
	Initials *canvas.Text
	Img      *canvas.Image
	Shown    image.Image
}

func NewAvatarView(size float32) *AvatarView {
	a := &AvatarView{
		size:     size,
		disc:     canvas.NewCircle(color.Gray{Y: 0x99}),
		Initials: canvas.NewText("", color.White),
		Img:      canvas.NewImageFromImage(nil),
	}
	a.Initials.TextStyle.Bold = true
	a.Initials.TextSize = size * 0.4
	a.Initials.Alignment = fyne.TextAlignCenter
	a.Img.FillMode = canvas.ImageFillContain
	a.Img.CornerRadius = size / 2
	a.Img.Hide()
	a.ExtendBaseWidget(a)
	return a
}

func (a *AvatarView) CreateRenderer() fyne.WidgetRenderer {
	box := canvas.NewRectangle(color.Transparent)
	box.SetMinSize(fyne.NewSquareSize(a.size))
	// Centred at its own size: a row or header taller than the avatar
	// must not stretch the disc into an oval.
	return widget.NewSimpleRenderer(container.NewCenter(container.NewStack(box, a.disc, container.NewCenter(a.Initials), a.Img)))
}

// set shows img, or the initials of name on a colour of its own.
func (a *AvatarView) Set(name string, img image.Image) {
	if img != nil {
		if img != a.Shown {
			a.Shown = img
			a.Img.Image = img
			a.Img.Refresh()
		}
		a.Img.Show()
		a.disc.Hide()
		a.Initials.Hide()
		return
	}
	a.Shown = nil
	a.Img.Hide()
	a.disc.FillColor = nameColor(name)
	a.disc.Show()
	a.disc.Refresh()
	a.Initials.Text = Initials(name)
	a.Initials.Show()
	a.Initials.Refresh()
}

// initials are the first letters of the first and last words of name,
// upper-cased: "Ann Lee" → "AL", "bob" → "B".
func Initials(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	first := func(w string) string {
		for _, r := range w {
			return string(unicode.ToUpper(r))
		}
		return ""
	}
	switch len(words) {
	case 0:
		return "?"
	case 1:
		return first(words[0])
	default:
		return first(words[0]) + first(words[len(words)-1])
	}
}

// avatarColors are discs behind initials: dark enough for white text.
var avatarColors = []color.NRGBA{
	{0x1e, 0x6f, 0xa8, 0xff}, {0x2e, 0x7d, 0x32, 0xff}, {0xad, 0x46, 0x1c, 0xff},
	{0x6a, 0x3d, 0x9a, 0xff}, {0x00, 0x79, 0x6b, 0xff}, {0xa3, 0x1f, 0x5a, 0xff},
	{0x5d, 0x4d, 0x37, 0xff}, {0x37, 0x47, 0x8f, 0xff},
}

// nameColor picks the same colour for the same name every time.
func nameColor(name string) color.Color {
	h := fnv.New32a()
	h.Write([]byte(name))
	return avatarColors[h.Sum32()%uint32(len(avatarColors))]
}
