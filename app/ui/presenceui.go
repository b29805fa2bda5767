package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	mw.win.SetContent(kit.NewActivityLayer(mw.win.Content(), mw.activity))
}

// activity reports activity at most once per activityEvery. UI goroutine.
func (mw *MainWindow) activity() {
	mw.lastInput = time.Now() // lock.go
	if now := time.Now(); now.Sub(mw.lastActivity) >= activityEvery {
		mw.lastActivity = now
		mw.b.Me.Activity()
	}
}

// showMyPresence shows a presence the core chose (auto-away and back)
// without saving it as my own choice.
func (mw *MainWindow) showMyPresence(p contacts.Presence) {
	onChanged := mw.presenceSel.OnChanged
	mw.presenceSel.OnChanged = nil
	mw.presenceSel.SetSelected(p.String())
	mw.presenceSel.OnChanged = onChanged
	mw.setTrayStatus(p.String()) // background.go
}

// ---- pairing with someone nearby ----

// pairNearbyButton makes this device visible on the LAN for a few minutes,
// or ends that early.
func (mw *MainWindow) pairNearbyButton() fyne.CanvasObject {
	mw.pairBtn = widget.NewButtonWithIcon("Pair nearby", theme.VisibilityIcon(), mw.togglePairNearby)
	_, until := mw.b.Me.NearbyVisibility()
	mw.ShowNearbyWindow(until)
	return mw.pairBtn
}

func (mw *MainWindow) togglePairNearby() {
	if _, until := mw.b.Me.NearbyVisibility(); !until.IsZero() {
		mw.b.Me.StopPairNearby()
		return
	}
	mw.pairBtn.Disable()
	var until time.Time
	mw.Background(func() error {
		var err error
		until, err = mw.b.Me.PairNearby()
		return err
	}, func(err error) {
		mw.pairBtn.Enable()
		if err != nil {
			mw.ShowNotice("Could not make this device visible nearby: " + kit.UserText(err))
			return
		}
		mw.ShowNearbyWindow(until)
		mw.ShowNotice(fmt.Sprintf("Others on this network can now see you as “%s” until %s. "+
			"Ask them to look under “Nearby on this network” and click Add.", mw.b.Me.MyName(), untilText(until)))
	})
}

// ShowNearbyWindow shows whether this device is visible nearby.
func (mw *MainWindow) ShowNearbyWindow(until time.Time) {
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
