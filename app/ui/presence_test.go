package ui

import (
	"image"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"hearth/app/core/base"
	"hearth/app/core/event"
	"hearth/app/core/nearby"
	"hearth/app/core/presence"
	"hearth/app/ui/kit"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// TestAvatarsInRowsAndHeader: a contact with a picture shows it, one
// without shows initials, in the list and in the chat header.
func TestAvatarsInRowsAndHeader(t *testing.T) {
	mw, b, q := newTestMain(t)
	pic := image.NewNRGBA(image.Rect(0, 0, presence.AvatarSize, presence.AvatarSize))
	b.locked(func() { b.people.contacts[0].Avatar = pic })
	b.events <- event.ContactsChanged{}
	q.WaitFor(t, "the picture in Bob's row", func() bool {
		found := false
		uitest.Visible(mw.list, func(o fyne.CanvasObject) {
			if r, ok := o.(*kit.ContactRow); ok && r.Avatar.Shown == pic && r.Avatar.Img.Visible() {
				found = true
			}
		})
		return found
	})
	if !uitest.HasText(mw.list, "C") {
		t.Errorf("no initials for Cleo: %q", uitest.Texts(mw.list))
	}
	mw.list.Select(0)
	if mw.chat.avatar.Shown != pic {
		t.Error("chat header without Bob's picture")
	}
	mw.list.Select(1)
	if mw.chat.avatar.Shown != nil || mw.chat.avatar.Initials.Text != "C" {
		t.Errorf("Cleo's header shows %q", mw.chat.avatar.Initials.Text)
	}
	// Opening a conversation counts as activity (auto-away ends).
	b.locked(func() {
		if b.me.activity != 1 {
			t.Errorf("activity reported %d times", b.me.activity)
		}
	})
}

// TestActivityReported: mouse moves over the window and typing in the
// composer tell the core, at most once per activityEvery.
func TestActivityReported(t *testing.T) {
	mw, b, _ := newTestMain(t)
	count := func() (n int) {
		b.locked(func() { n = b.me.activity })
		return n
	}
	layer, ok := mw.win.Content().(*kit.ActivityLayer)
	if !ok {
		t.Fatalf("window content is %T, not the activity layer", mw.win.Content())
	}
	layer.MouseMoved(&desktop.MouseEvent{})
	layer.MouseMoved(&desktop.MouseEvent{})
	if count() != 1 {
		t.Fatalf("%d reports for two quick moves", count())
	}
	mw.lastActivity = time.Time{} // as if activityEvery had passed
	mw.list.Select(0)
	mw.lastActivity = time.Time{}
	test.Type(mw.chat.entry, "hi")
	if count() != 3 {
		t.Fatalf("%d reports after opening and typing", count())
	}
	if !uitest.HasText(mw.win.Content(), "Bob") {
		t.Error("the layer hides the content")
	}
}

func TestSettingsProfileAndPrivacy(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.locked(func() { b.me.awayAfter = 5 * time.Minute })
	s := mw.showSettings()
	for _, want := range []string{"Choose picture…", "Away when idle", "After 5 minutes", "Visible nearby", "Only while I pair"} {
		if !uitest.HasText(mw.win.Canvas().Overlays().Top(), want) {
			t.Errorf("%q not shown", want)
		}
	}
	if !s.You.Remove.Disabled() {
		t.Error("Remove enabled without a picture")
	}
	s.You.Away.SetSelected("After 10 minutes")
	s.You.Nearby.SetSelected("Never")
	q.WaitFor(t, "settings saved", func() bool {
		var ok bool
		b.locked(func() { ok = b.me.awayAfter == 10*time.Minute && b.me.vis == nearby.Never })
		return ok
	})
	s.You.Away.SetSelected("Never")
	q.WaitFor(t, "auto-away off", func() bool {
		var ok bool
		b.locked(func() { ok = b.me.awayAfter == 0 })
		return ok
	})

	// A picture: chosen, shown, removable; an error stays in the dialog.
	b.locked(func() { b.me.avatarErr = base.ErrNotAnImage })
	s.You.SetPicture("/tmp/notes.txt")
	q.WaitFor(t, "the error", func() bool { return s.You.Err.Visible() })
	if !strings.Contains(s.You.Err.Text, "not a picture") {
		t.Errorf("error %q", s.You.Err.Text)
	}
	b.locked(func() { b.me.avatarErr = nil })
	s.You.SetPicture("/home/ann/me.png")
	q.WaitFor(t, "the picture", func() bool { return s.You.Avatar.Shown != nil })
	if s.You.Remove.Disabled() || s.You.Err.Visible() {
		t.Error("Remove disabled or error left after a good picture")
	}
	test.Tap(s.You.Remove)
	q.WaitFor(t, "the picture removed", func() bool { return s.You.Avatar.Shown == nil })
	b.locked(func() {
		if b.me.avatarPath != "" {
			t.Error("ClearAvatar not called")
		}
	})
}

func TestPairNearbyButton(t *testing.T) {
	mw, b, q := newTestMain(t)
	if mw.pairBtn.Text != "Pair nearby" {
		t.Fatalf("button %q", mw.pairBtn.Text)
	}
	test.Tap(mw.pairBtn)
	q.WaitFor(t, "visible", func() bool { return mw.pairBtn.Text == "Stop · 15:04" })
	if !strings.Contains(mw.NoticeText(), "“Ann”") || !strings.Contains(mw.NoticeText(), "Nearby on this network") {
		t.Errorf("notice %q", mw.NoticeText())
	}
	test.Tap(mw.pairBtn)
	q.WaitFor(t, "hidden again", func() bool { return mw.pairBtn.Text == "Pair nearby" })

	b.locked(func() { b.me.pairErr = nearby.ErrNearbyNever })
	test.Tap(mw.pairBtn)
	q.WaitFor(t, "the refusal", func() bool { return strings.Contains(mw.NoticeText(), "privacy settings") })
	if mw.pairBtn.Text != "Pair nearby" || mw.pairBtn.Disabled() {
		t.Errorf("button %q disabled %v after a refusal", mw.pairBtn.Text, mw.pairBtn.Disabled())
	}
	// Nearby people are listed by the name they announced.
	if !uitest.HasText(mw.nearbyBox, "Finn") {
		t.Errorf("nearby list %q", uitest.Texts(mw.nearbyBox))
	}
}

// TestAutoAwayShownNotSaved: the core's automatic Away shows in my
// presence selector but is not sent back as my own choice.
func TestAutoAwayShownNotSaved(t *testing.T) {
	mw, b, q := newTestMain(t)
	b.events <- event.PresenceChanged{Presence: contacts.Away, Auto: true}
	q.WaitFor(t, "Away shown", func() bool { return mw.presenceSel.Selected == "Away" })
	b.events <- event.PresenceChanged{Presence: contacts.Online}
	q.WaitFor(t, "Online shown", func() bool { return mw.presenceSel.Selected == "Online" })
	q.Drain()
	b.locked(func() {
		if b.me.presence != contacts.Online {
			t.Errorf("SetPresence(%v) called for an automatic change", b.me.presence)
		}
	})
	// A choice by hand is saved.
	mw.presenceSel.SetSelected("Busy")
	q.WaitFor(t, "Busy saved", func() bool {
		var ok bool
		b.locked(func() { ok = b.me.presence == contacts.Busy })
		return ok
	})
}

func TestProfileInUseView(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Hearth")
	code := "hearth:abcdefgh"
	w.SetContent(profileInUseView(a, w, code))
	if !uitest.HasText(w.Content(), "already running") || !uitest.HasText(w.Content(), code) {
		t.Fatalf("texts %q", uitest.Texts(w.Content()))
	}
	test.Tap(button(t, w.Content(), "Copy code"))
	if a.Clipboard().Content() != code {
		t.Errorf("clipboard %q", a.Clipboard().Content())
	}
	if !IsInviteLink(" HEARTH:xyz") || IsInviteLink("--profile") || IsInviteLink("hearth:") {
		t.Error("IsInviteLink")
	}
}

// My name: typed in Settings, Enter saves it, and the sidebar and the
// window title follow; an empty name is refused with the reason.
func TestSettingsChangeMyName(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.showSettings()
	if s.You.Name.Text != "Ann" || !s.You.Save.Disabled() {
		t.Fatalf("name %q, save disabled %v", s.You.Name.Text, s.You.Save.Disabled())
	}
	s.You.Name.SetText("")
	test.Type(s.You.Name, "Ann Smith")
	if s.You.Save.Disabled() {
		t.Fatal("Save stays disabled after a change")
	}
	s.You.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	q.WaitFor(t, "name saved and shown", func() bool {
		var name string
		b.locked(func() { name = b.me.myName })
		return name == "Ann Smith" && mw.myName.Text == "Ann Smith" && strings.Contains(mw.win.Title(), "Ann Smith")
	})
	if !s.You.Save.Disabled() {
		t.Error("Save enabled with nothing to save")
	}

	s.You.Name.SetText("   ")
	s.You.Rename()
	if b.me.MyName() != "Ann Smith" {
		t.Fatalf("a blank name was saved: %q", b.me.MyName())
	}
}
