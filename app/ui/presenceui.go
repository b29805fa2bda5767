package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/nearby"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// ---- activity and my presence ----

// activityEvery is the least time between two activity reports from
// mouse moves and typing, which come many times a second.
const activityEvery = 5 * time.Second

// watchActivity reports what the user does in the window to the core,
// which turns an automatic Away back into Online and restarts the idle
// timer: key presses (with nothing focused, or in the message composer),
// mouse moves over the window, the app coming to the front.
func (mw *MainWindow) watchActivity() {
	if dc, ok := mw.win.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { mw.activity() })
	}
	typed := mw.chat.entry.OnChanged
	mw.chat.entry.OnChanged = func(s string) {
		mw.activity()
		if typed != nil {
			typed(s)
		}
	}
	// The app coming to the front counts too: watchFocus (notify.go) owns
	// the one Lifecycle hook and reports it.
	mw.win.SetContent(newActivityLayer(mw.win.Content(), mw.activity))
}

// activity reports activity at most once per activityEvery. UI goroutine.
func (mw *MainWindow) activity() {
	if now := time.Now(); now.Sub(mw.lastActivity) >= activityEvery {
		mw.lastActivity = now
		mw.b.Me.Activity()
	}
}

// activityLayer wraps the window's content and hears mouse moves over
// every part of it that does not handle hovering itself.
type activityLayer struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onMove  func()
}

var _ desktop.Hoverable = (*activityLayer)(nil)

func newActivityLayer(content fyne.CanvasObject, onMove func()) *activityLayer {
	l := &activityLayer{content: content, onMove: onMove}
	l.ExtendBaseWidget(l)
	return l
}

func (l *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.content)
}

func (l *activityLayer) MouseIn(*desktop.MouseEvent)    { l.onMove() }
func (l *activityLayer) MouseMoved(*desktop.MouseEvent) { l.onMove() }
func (l *activityLayer) MouseOut()                      {}

// showMyPresence shows a presence the core chose (auto-away and back)
// without saving it as my own choice.
func (mw *MainWindow) showMyPresence(p contacts.Presence) {
	onChanged := mw.presenceSel.OnChanged
	mw.presenceSel.OnChanged = nil
	mw.presenceSel.SetSelected(p.String())
	mw.presenceSel.OnChanged = onChanged
}

// ---- pairing with someone nearby ----

// pairNearbyButton makes this device visible on the LAN for a few minutes,
// or ends that early.
func (mw *MainWindow) pairNearbyButton() fyne.CanvasObject {
	mw.pairBtn = widget.NewButtonWithIcon("Pair nearby", theme.VisibilityIcon(), mw.togglePairNearby)
	_, until := mw.b.Me.NearbyVisibility()
	mw.showNearbyWindow(until)
	return mw.pairBtn
}

func (mw *MainWindow) togglePairNearby() {
	if _, until := mw.b.Me.NearbyVisibility(); !until.IsZero() {
		mw.b.Me.StopPairNearby()
		return
	}
	mw.pairBtn.Disable()
	var until time.Time
	mw.background(func() error {
		var err error
		until, err = mw.b.Me.PairNearby()
		return err
	}, func(err error) {
		mw.pairBtn.Enable()
		if err != nil {
			mw.showNotice("Could not make this device visible nearby: " + kit.UserText(err))
			return
		}
		mw.showNearbyWindow(until)
		mw.showNotice(fmt.Sprintf("Others on this network can now see you as “%s” until %s. "+
			"Ask them to look under “Nearby on this network” and click Add.", mw.b.Me.MyName(), untilText(until)))
	})
}

// showNearbyWindow shows whether this device is visible nearby.
func (mw *MainWindow) showNearbyWindow(until time.Time) {
	if mw.pairBtn == nil {
		return
	}
	if until.IsZero() {
		mw.pairBtn.SetText("Pair nearby")
		mw.pairBtn.SetIcon(theme.VisibilityIcon())
		mw.pairBtn.Importance = widget.MediumImportance
	} else {
		// Short, so the sidebar keeps its width; the notice shown when it
		// started says what it means.
		mw.pairBtn.SetText(nearbyStopText(until))
		mw.pairBtn.SetIcon(theme.VisibilityOffIcon())
		mw.pairBtn.Importance = widget.WarningImportance
	}
	mw.pairBtn.Refresh()
}

func untilText(t time.Time) string {
	if t.Year() >= 9999 {
		return "you turn it off"
	}
	return t.Format("15:04")
}

// ---- settings: profile and privacy ----

// profileSettings is the settings section for my picture, auto-away and
// nearby visibility.
type profileSettings struct {
	mw      *MainWindow
	me      area.MeBackend
	root    fyne.CanvasObject
	avatar  *kit.AvatarView
	name    *widget.Entry
	save    *widget.Button
	choose  *widget.Button
	remove  *widget.Button
	away    *widget.Select
	nearby  *widget.Select
	err     *widget.Label
	pickDir string // where the picture dialog opens (tests)
}

// awayChoices are the auto-away times offered, in order.
var awayChoices = []struct {
	label string
	d     time.Duration
}{
	{"Never", 0}, {"After 1 minute", time.Minute}, {"After 5 minutes", 5 * time.Minute},
	{"After 10 minutes", 10 * time.Minute}, {"After 15 minutes", 15 * time.Minute},
	{"After 30 minutes", 30 * time.Minute}, {"After 1 hour", time.Hour},
}

var nearbyChoices = []nearby.Visibility{nearby.WhilePairing, nearby.Never, nearby.Always}

func newProfileSettings(mw *MainWindow) *profileSettings {
	ps := &profileSettings{mw: mw, me: mw.b.Me, avatar: kit.NewAvatarView(64), err: kit.ErrorLabel()}
	ps.avatar.Set(ps.me.MyName(), ps.me.MyAvatar())
	ps.choose = widget.NewButtonWithIcon("Choose picture…", theme.FileImageIcon(), ps.pick)
	ps.remove = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), ps.clear)
	ps.remove.Importance = widget.LowImportance
	if ps.me.MyAvatar() == nil {
		ps.remove.Disable()
	}
	picture := container.NewBorder(nil, nil, ps.avatar, nil, container.NewVBox(
		kit.Caption("Your contacts see this picture next to your name. It is made into a small square."),
		container.NewHBox(ps.choose, ps.remove)))

	var labels []string
	cur := ps.me.AwayAfter()
	sel := ""
	for _, c := range awayChoices {
		labels = append(labels, c.label)
		if c.d == cur {
			sel = c.label
		}
	}
	ps.away = widget.NewSelect(labels, nil)
	if sel == "" {
		labels = append(labels, fmt.Sprintf("After %v", cur))
		ps.away.Options = labels
		sel = labels[len(labels)-1]
	}
	ps.away.SetSelected(sel)
	ps.away.OnChanged = ps.setAway

	var vis []string
	for _, v := range nearbyChoices {
		vis = append(vis, v.String())
	}
	ps.nearby = widget.NewSelect(vis, nil)
	v, _ := ps.me.NearbyVisibility()
	ps.nearby.SetSelected(v.String())
	ps.nearby.OnChanged = ps.setNearby

	ps.name = widget.NewEntry()
	ps.name.SetText(ps.me.MyName())
	ps.name.OnSubmitted = func(string) { ps.rename() } // Enter saves
	ps.save = widget.NewButton("Save", ps.rename)
	ps.save.Disable()
	ps.name.OnChanged = func(s string) {
		if strings.TrimSpace(s) == ps.me.MyName() || strings.TrimSpace(s) == "" {
			ps.save.Disable()
		} else {
			ps.save.Enable()
		}
	}

	form := widget.NewForm(
		widget.NewFormItem("Your name", container.NewBorder(nil, nil, nil, ps.save, ps.name)),
		widget.NewFormItem("Away when idle", ps.away),
		widget.NewFormItem("Visible nearby", ps.nearby),
	)
	help := kit.Caption("“Visible nearby” lets people on the same network see your name, so they can send you a request. " +
		"“Only while I pair” shows you for five minutes after you click Pair nearby; otherwise this device announces nothing.")
	help.Wrapping = fyne.TextWrapWord
	ps.root = container.NewVBox(kit.Heading("You"), picture, form, help, ps.err)
	return ps
}

func (ps *profileSettings) pick() {
	mw := ps.mw
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			kit.ShowError(ps.err, err)
			return
		}
		if rc == nil {
			return // cancelled
		}
		path := rc.URI().Path()
		rc.Close()
		ps.setPicture(path)
	}, mw.win)
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
func (ps *profileSettings) setPicture(path string) {
	mw := ps.mw
	ps.choose.Disable()
	mw.background(func() error { return ps.me.SetAvatar(path) }, func(err error) {
		ps.choose.Enable()
		kit.ShowError(ps.err, err)
		if err == nil {
			ps.avatar.Set(ps.me.MyName(), ps.me.MyAvatar())
			ps.remove.Enable()
		}
	})
}

// rename saves the name typed; contacts see it next to my picture.
func (ps *profileSettings) rename() {
	mw := ps.mw
	name := strings.TrimSpace(ps.name.Text)
	if name == ps.me.MyName() {
		return
	}
	ps.save.Disable()
	mw.background(func() error { return ps.me.SetMyName(name) }, func(err error) {
		kit.ShowError(ps.err, err)
		if err != nil {
			ps.save.Enable()
			return
		}
		ps.name.SetText(ps.me.MyName())
		ps.avatar.Set(ps.me.MyName(), ps.me.MyAvatar())
	})
}

func (ps *profileSettings) clear() {
	mw := ps.mw
	mw.background(ps.me.ClearAvatar, func(err error) {
		kit.ShowError(ps.err, err)
		if err == nil {
			ps.avatar.Set(ps.me.MyName(), nil)
			ps.remove.Disable()
		}
	})
}

func (ps *profileSettings) setAway(label string) {
	for _, c := range awayChoices {
		if c.label == label {
			d := c.d
			ps.mw.background(func() error { return ps.me.SetAwayAfter(d) }, func(err error) { kit.ShowError(ps.err, err) })
		}
	}
}

func (ps *profileSettings) setNearby(label string) {
	for _, v := range nearbyChoices {
		if v.String() == label {
			ps.mw.background(func() error { return ps.me.SetNearbyVisibility(v) }, func(err error) {
				kit.ShowError(ps.err, err)
				if err == nil {
					_, until := ps.me.NearbyVisibility()
					ps.mw.showNearbyWindow(until)
				}
			})
		}
	}
}
