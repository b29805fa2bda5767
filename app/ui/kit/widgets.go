package kit

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// composerEntry is the multi-line message entry: Enter sends, Shift+Enter
// inserts a new line. Fyne's multi-line Entry does the opposite, so this
// tracks Shift through desktop.Keyable and intercepts Return.
type ComposerEntry struct {
	widget.Entry

	// OnSend is called with the text when Enter is pressed without Shift.
	OnSend func(text string)
	// OnUpEmpty is called for the Up arrow in an empty entry (edit my
	// last message); OnEscape for Escape (cancel a reply or an edit).
	OnUpEmpty, OnEscape func()

	shift bool // a Shift key is held down
}

var _ desktop.Keyable = (*ComposerEntry)(nil)

func NewComposerEntry() *ComposerEntry {
	e := &ComposerEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	e.SetMinRowsVisible(2)
	return e
}

func isShift(n fyne.KeyName) bool { return n == desktop.KeyShiftLeft || n == desktop.KeyShiftRight }

func (e *ComposerEntry) KeyDown(k *fyne.KeyEvent) {
	if isShift(k.Name) {
		e.shift = true
	}
	e.Entry.KeyDown(k)
}

func (e *ComposerEntry) KeyUp(k *fyne.KeyEvent) {
	if isShift(k.Name) {
		e.shift = false
	}
	e.Entry.KeyUp(k)
}

// FocusLost forgets Shift: its release may go to another widget.
func (e *ComposerEntry) FocusLost() {
	e.shift = false
	e.Entry.FocusLost()
}

func (e *ComposerEntry) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && !e.shift && !e.Disabled() {
		if e.OnSend != nil {
			e.OnSend(e.Text)
		}
		return
	}
	if k.Name == fyne.KeyUp && e.Text == "" && e.OnUpEmpty != nil {
		e.OnUpEmpty()
		return
	}
	if k.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	// With Shift held the embedded Entry inserts a new line: it submits on
	// Shift+Enter only when its own OnSubmitted is set, which it never is.
	e.Entry.TypedKey(k)
}

// escEntry is a single-line Entry that reports Escape, so a dialog can
// close while one of its fields has the focus.
type EscEntry struct {
	widget.Entry
	OnEscape func()
}

func NewEscEntry(multiLine bool) *EscEntry {
	e := &EscEntry{}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapBreak
	}
	e.ExtendBaseWidget(e)
	return e
}

func NewEscPasswordEntry() *EscEntry {
	e := NewEscEntry(false)
	e.Password = true
	return e
}

func (e *EscEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// newDot is a small filled circle, e.g. a presence light.
func NewDot(c color.Color, size float32) (*canvas.Circle, fyne.CanvasObject) {
	circle := canvas.NewCircle(c)
	return circle, container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(size), circle))
}

// badge is a pill with a number in it (unread messages).
type Badge struct {
	widget.BaseWidget
	count int
}

func NewBadge() *Badge {
	b := &Badge{}
	b.ExtendBaseWidget(b)
	return b
}

func (b *Badge) SetCount(n int) {
	b.count = n
	if n <= 0 {
		b.Hide()
	} else {
		b.Show()
	}
	b.Refresh()
}

func (b *Badge) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	txt := canvas.NewText("", color.White)
	txt.TextStyle.Bold = true
	txt.TextSize = theme.CaptionTextSize()
	txt.Alignment = fyne.TextAlignCenter
	r := &badgeRenderer{b: b, bg: bg, txt: txt}
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b   *Badge
	bg  *canvas.Rectangle
	txt *canvas.Text
}

func (r *badgeRenderer) Destroy() {}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.txt} }

func (r *badgeRenderer) MinSize() fyne.Size {
	ts := r.txt.MinSize()
	h := ts.Height + 4
	return fyne.NewSize(max(h, ts.Width+12), h)
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	m := r.MinSize()
	pos := fyne.NewPos((size.Width-m.Width)/2, (size.Height-m.Height)/2)
	r.bg.Move(pos)
	r.bg.Resize(m)
	r.bg.CornerRadius = m.Height / 2
	r.txt.Move(pos)
	r.txt.Resize(m)
}

func (r *badgeRenderer) Refresh() {
	if r.b.count > 99 {
		r.txt.Text = "99+"
	} else {
		r.txt.Text = strconv.Itoa(r.b.count)
	}
	r.bg.FillColor = theme.Color(theme.ColorNamePrimary)
	r.bg.Refresh()
	r.txt.Refresh()
}

// heading is a bold label in the sub-heading size.
func Heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// caption is a label in the small text size.
func Caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// tightVBox stacks labels closer than a VBox does: each label brings its
// own inner padding already.
func TightVBox(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), objs...)
}

// sectionTitle names a group in the sidebar ("Requests", "Nearby").
func SectionTitle(text string) fyne.CanvasObject {
	l := widget.NewLabel(strings.ToUpper(text))
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameCaptionText
	l.Importance = widget.LowImportance
	return l
}

// errorLabel is a wrapped label in the error colour, hidden until set.
func ErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func ShowError(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(UserText(err))
	l.Show()
}

// userText turns an error into a sentence for people: the core's errors
// are already written for users; capitalise the first letter.
func UserText(err error) string {
	s := err.Error()
	if s == "" {
		return lang.L("Something went wrong.")
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

// shortID shortens a libp2p peer ID for people: "…X8kQ3fZa".
func ShortID(id string) string {
	if len(id) <= 10 {
		return id
	}
	return "…" + id[len(id)-8:]
}

// displayName is the contact's name, or a short form of their ID.
func DisplayName(name, peerID string) string {
	if strings.TrimSpace(name) != "" {
		return name
	}
	return lang.L("Unknown {{.ID}}", map[string]any{"ID": ShortID(peerID)})
}

// wrapText breaks text into lines no wider than maxW when drawn in the
// given size and style. Fyne's wrapping labels size themselves from their
// last width, which makes chat bubbles jump; measuring here keeps every
// bubble's size known up front.
func WrapText(text string, maxW, size float32, style fyne.TextStyle) []string {
	width := func(s string) float32 { return fyne.MeasureText(s, size, style).Width }
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line := ""
		for _, w := range words {
			cand := w
			if line != "" {
				cand = line + " " + w
			}
			if width(cand) <= maxW {
				line = cand
				continue
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			// A single word wider than the bubble is broken by runes.
			for width(w) > maxW {
				r := []rune(w)
				n := len(r) - 1
				for n > 1 && width(string(r[:n])) > maxW {
					n--
				}
				lines = append(lines, string(r[:n]))
				w = string(r[n:])
			}
			line = w
		}
		lines = append(lines, line)
	}
	return lines
}
