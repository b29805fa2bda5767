package settings

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/nearby"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// profileSettings is the settings section for my picture, auto-away and
// nearby visibility.
type profileSettings struct {
	host    Host
	me      area.MeBackend
	root    fyne.CanvasObject
	Avatar  *kit.AvatarView
	Name    *widget.Entry
	Save    *widget.Button
	choose  *widget.Button
	Remove  *widget.Button
	Away    *widget.Select
	Nearby  *widget.Select
	Err     *widget.Label
	pickDir string // where the picture dialog opens (tests)
}

// awayChoices are the auto-away times offered, in order.
var awayChoices = []struct {
	label string
	d     time.Duration
}{
	{lang.L("Never"), 0}, {lang.L("After 1 minute"), time.Minute}, {lang.L("After 5 minutes"), 5 * time.Minute},
	{lang.L("After 10 minutes"), 10 * time.Minute}, {lang.L("After 15 minutes"), 15 * time.Minute},
	{lang.L("After 30 minutes"), 30 * time.Minute}, {lang.L("After 1 hour"), time.Hour},
}

var nearbyChoices = []nearby.Visibility{nearby.WhilePairing, nearby.Never, nearby.Always}

func newProfileSettings(host Host, me area.MeBackend) *profileSettings {
	ps := &profileSettings{host: host, me: me, Avatar: kit.NewAvatarView(64), Err: kit.ErrorLabel()}
	ps.Avatar.Set(ps.me.MyName(), ps.me.MyAvatar())
	ps.choose = widget.NewButtonWithIcon(lang.L("Choose picture…"), theme.FileImageIcon(), ps.pick)
	ps.Remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), ps.clear)
	ps.Remove.Importance = widget.LowImportance
	if ps.me.MyAvatar() == nil {
		ps.Remove.Disable()
	}
	picture := container.NewBorder(nil, nil, ps.Avatar, nil, container.NewVBox(
		kit.Caption(lang.L("Your contacts see this picture next to your name. It is made into a small square.")),
		container.NewHBox(ps.choose, ps.Remove)))

	var labels []string
	cur := ps.me.AwayAfter()
	sel := ""
	for _, c := range awayChoices {
		labels = append(labels, c.label)
		if c.d == cur {
			sel = c.label
		}
	}
	ps.Away = widget.NewSelect(labels, nil)
	if sel == "" {
		labels = append(labels, lang.L("After {{.Time}}", map[string]any{"Time": cur.String()}))
		ps.Away.Options = labels
		sel = labels[len(labels)-1]
	}
	ps.Away.SetSelected(sel)
	ps.Away.OnChanged = ps.setAway

	var vis []string
	for _, v := range nearbyChoices {
		vis = append(vis, v.String())
	}
	ps.Nearby = widget.NewSelect(vis, nil)
	v, _ := ps.me.NearbyVisibility()
	ps.Nearby.SetSelected(v.String())
	ps.Nearby.OnChanged = ps.setNearby

	ps.Name = widget.NewEntry()
	ps.Name.SetText(ps.me.MyName())
	ps.Name.OnSubmitted = func(string) { ps.Rename() } // Enter saves
	ps.Save = widget.NewButton(lang.L("Save"), ps.Rename)
	ps.Save.Disable()
	ps.Name.OnChanged = func(s string) {
		if strings.TrimSpace(s) == ps.me.MyName() || strings.TrimSpace(s) == "" {
			ps.Save.Disable()
		} else {
			ps.Save.Enable()
		}
	}

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Your name"), container.NewBorder(nil, nil, nil, ps.Save, ps.Name)),
		widget.NewFormItem(lang.L("Away when idle"), ps.Away),
		widget.NewFormItem(lang.L("Visible nearby"), ps.Nearby),
	)
	help := kit.Caption(lang.L("“Visible nearby” lets people on the same network see your name, so they can send you a request. “Only while I pair” shows you for five minutes after you click Pair nearby; otherwise this device announces nothing."))
	help.Wrapping = fyne.TextWrapWord
	ps.root = container.NewVBox(kit.Heading(lang.L("You")), picture, form, help, ps.Err)
	return ps
}

func (ps *profileSettings) pick() {
	host := ps.host
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			kit.ShowError(ps.Err, err)
			return
		}
		if rc == nil {
			return // cancelled
		}
		path := rc.URI().Path()
		rc.Close()
		ps.SetPicture(path)
	}, host.Window())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".PNG", ".JPG", ".JPEG"}))
	if ps.pickDir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(ps.pickDir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

// setPicture makes the file my avatar (decoding and scaling off the UI
// goroutine).
func (ps *profileSettings) SetPicture(path string) {
	host := ps.host
	ps.choose.Disable()
	host.Background(func() error { return ps.me.SetAvatar(path) }, func(err error) {
		ps.choose.Enable()
		kit.ShowError(ps.Err, err)
		if err == nil {
			ps.Avatar.Set(ps.me.MyName(), ps.me.MyAvatar())
			ps.Remove.Enable()
		}
	})
}

// rename saves the name typed; contacts see it next to my picture.
func (ps *profileSettings) Rename() {
	host := ps.host
	name := strings.TrimSpace(ps.Name.Text)
	if name == ps.me.MyName() {
		return
	}
	ps.Save.Disable()
	host.Background(func() error { return ps.me.SetMyName(name) }, func(err error) {
		kit.ShowError(ps.Err, err)
		if err != nil {
			ps.Save.Enable()
			return
		}
		ps.Name.SetText(ps.me.MyName())
		ps.Avatar.Set(ps.me.MyName(), ps.me.MyAvatar())
	})
}

func (ps *profileSettings) clear() {
	host := ps.host
	host.Background(ps.me.ClearAvatar, func(err error) {
		kit.ShowError(ps.Err, err)
		if err == nil {
			ps.Avatar.Set(ps.me.MyName(), nil)
			ps.Remove.Disable()
		}
	})
}

func (ps *profileSettings) setAway(label string) {
	for _, c := range awayChoices {
		if c.label == label {
			d := c.d
			ps.host.Background(func() error { return ps.me.SetAwayAfter(d) }, func(err error) { kit.ShowError(ps.Err, err) })
		}
	}
}

func (ps *profileSettings) setNearby(label string) {
	for _, v := range nearbyChoices {
		if v.String() == label {
			ps.host.Background(func() error { return ps.me.SetNearbyVisibility(v) }, func(err error) {
				kit.ShowError(ps.Err, err)
				if err == nil {
					_, until := ps.me.NearbyVisibility()
					ps.host.ShowNearbyWindow(until)
				}
			})
		}
	}
}
