package ui

import (
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	qrencode "github.com/skip2/go-qrcode"

	"hearth/app/core/event"
	"hearth/app/core/people"
	"hearth/app/ui/addcontact"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// top is the dialog on top of the main window.
func top(mw *MainWindow) fyne.CanvasObject { return mw.win.Canvas().Overlays().Top() }

func TestAddContactOpensReadyToType(t *testing.T) {
	mw, _, _ := newTestMain(t)
	s := mw.add.ShowAddContact()
	if s.Choice != addcontact.ChoiceHave || mw.win.Canvas().Focused() != s.Field {
		t.Fatalf("opened on %q with focus on %T", s.Choice, mw.win.Canvas().Focused())
	}
	for _, c := range []string{addcontact.ChoiceShow, addcontact.ChoiceHave, addcontact.ChoiceNearby} {
		if !uitest.HasText(top(mw), c) {
			t.Errorf("the choice %q is not on the screen: %q", c, uitest.Texts(top(mw)))
		}
	}
}

// The whole screen, each choice, fits the main window at its default size
// with nothing that needs scrolling.
func TestAddContactFitsWithoutScrolling(t *testing.T) {
	mw, _, q := newTestMain(t)
	mw.win.Resize(DefaultSize)
	s := mw.add.ShowAddContact()
	for _, c := range []string{addcontact.ChoiceHave, addcontact.ChoiceShow} {
		test.Tap(button(t, top(mw), c))
		q.WaitFor(t, "the panel", func() bool { return s.Choice == c })
		q.Drain()
		if h, room := top(mw).MinSize().Height, mw.win.Canvas().Size().Height; h > room {
			t.Errorf("%q: the screen needs %v px, the window has %v", c, h, room)
		}
		scrolls := false
		uitest.Visible(top(mw), func(o fyne.CanvasObject) {
			if sc, ok := o.(*container.Scroll); ok && sc.Direction != container.ScrollHorizontalOnly &&
				sc.Content.MinSize().Height > sc.Size().Height+1 {
				scrolls = true
			}
		})
		if scrolls {
			t.Errorf("%q: the screen scrolls", c)
		}
	}
}

func TestClassifyCodes(t *testing.T) {
	for text, want := range map[string]addcontact.Kind{
		"":                                  addcontact.KindNone,
		"  hearth:abcdefgh1234 ":            addcontact.KindLink,
		"hearth1-bob\n-code":                addcontact.KindLink,
		"7-orbit-maple-sugar":               addcontact.KindSpoken,
		" 7 Orbit maple, sugar ":            addcontact.KindSpoken,
		"12 otter":                          addcontact.KindSpoken, // the core says what is missing
		"/home/ann/Pictures/qr.png":         addcontact.KindPicture,
		"file:///home/ann/Bilder/Code.JPG":  addcontact.KindPicture,
		"/home/ann/notes.txt":               addcontact.KindLink,
		"2hearthlikebase32withoutseparator": addcontact.KindLink,
	} {
		if got, _ := addcontact.Classify(text); got != want {
			t.Errorf("Classify(%q) = %v, want %v", text, got, want)
		}
	}
	if _, clean := addcontact.Classify("hearth1-bob\n-code "); clean != "hearth1-bob-code" {
		t.Errorf("a link broken over lines came back as %q", clean)
	}
}

func TestAddContactByLink(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowAddContact()

	// Nothing typed: a hint, no call.
	enter(s.Field)
	if !s.Err.Visible() {
		t.Fatal("no hint for an empty field")
	}
	// A backend error stays on the screen.
	b.locked(func() { b.people.addErr = errors.New("this invite code is damaged or incomplete") })
	test.Type(s.Field, "hearth1-bob-code")
	if !strings.Contains(s.Kind.Text, "invite link") {
		t.Errorf("the field's kind reads %q", s.Kind.Text)
	}
	enter(s.Field)
	q.WaitFor(t, "the inline error", func() bool { return s.Err.Visible() && !s.Go.Disabled() })
	if s.Err.Text != "This invite code is damaged or incomplete" || mw.modal == nil {
		t.Errorf("error %q, screen open %v", s.Err.Text, mw.modal != nil)
	}
	b.locked(func() { b.people.addErr = nil })
	test.Tap(s.Go)
	q.WaitFor(t, "the screen to close", func() bool { return mw.modal == nil })
	b.locked(func() {
		if !slices.Equal(b.people.invites, []string{"hearth1-bob-code", "hearth1-bob-code"}) {
			t.Errorf("AddByInvite calls = %q", b.people.invites)
		}
	})
	if n := mw.NoticeText(); !strings.HasPrefix(n, "Request sent.") || strings.Contains(n, "otherwise") {
		t.Errorf("notice = %q", n)
	}

	// When they answer, their conversation opens, with an offer to
	// compare safety codes.
	b.locked(func() {
		b.people.contacts = append(b.people.contacts, people.ContactView{Contact: contacts.Contact{PeerID: "peer-gus", Name: "Gus", State: contacts.Accepted}})
	})
	b.events <- event.ContactsChanged{}
	q.WaitFor(t, "the conversation", func() bool { return mw.selected == "peer-gus" })
	if !strings.HasPrefix(mw.NoticeText(), "Gus is now your contact") || !mw.noticeAction.Visible() {
		t.Errorf("notice %q, action shown %v", mw.NoticeText(), mw.noticeAction.Visible())
	}
	test.Tap(mw.noticeAction)
	if mw.modal == nil {
		t.Error("Compare safety codes opened nothing")
	}
}

func TestAddContactFromLinkAndPaste(t *testing.T) {
	mw, b, q := newTestMain(t)
	link := "hearth:bobs-code-from-a-mail"
	s := mw.add.ShowAddContactWith(link)
	if s.Field.Text != link {
		t.Fatalf("field %q", s.Field.Text)
	}
	test.Tap(s.Go)
	q.WaitFor(t, "sent", func() bool { return mw.modal == nil })
	b.locked(func() {
		if len(b.people.invites) != 1 || b.people.invites[0] != link {
			t.Errorf("AddByInvite %q", b.people.invites)
		}
	})

	// Paste from the clipboard; an empty clipboard says so.
	s = mw.add.ShowAddContact()
	mw.app.Clipboard().SetContent("")
	test.Tap(button(t, top(mw), "Paste"))
	if !s.Err.Visible() || !strings.Contains(s.Err.Text, "clipboard is empty") {
		t.Errorf("error %q", s.Err.Text)
	}
	mw.app.Clipboard().SetContent("  hearth:from-clipboard \n")
	test.Tap(button(t, top(mw), "Paste"))
	if s.Field.Text != "hearth:from-clipboard" || s.Err.Visible() {
		t.Errorf("pasted %q, error %q", s.Field.Text, s.Err.Text)
	}
}

func TestAddContactFromQRPicture(t *testing.T) {
	mw, b, q := newTestMain(t)
	dir := t.TempDir()
	code := "hearth:aaaa-from-a-qr"
	qr, err := qrencode.Encode(code, qrencode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "qr.png")
	os.WriteFile(good, qr, 0o600)
	blank := filepath.Join(dir, "blank.png")
	f, _ := os.Create(blank)
	png.Encode(f, image.NewGray(image.Rect(0, 0, 100, 100)))
	f.Close()

	s := mw.add.ShowAddContact()
	test.Type(s.Field, blank)
	if !strings.Contains(s.Kind.Text, "picture") {
		t.Errorf("the field's kind reads %q", s.Kind.Text)
	}
	enter(s.Field)
	q.WaitFor(t, "the error", func() bool { return s.Err.Visible() })
	if !strings.Contains(s.Err.Text, "No QR code") {
		t.Errorf("error %q", s.Err.Text)
	}
	s.ReadQR(filepath.Join(dir, "missing.png"))
	q.WaitFor(t, "the error", func() bool { return strings.Contains(s.Err.Text, "could not be found") })

	// A picture dropped on the window is read and its owner added.
	mw.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(good)})
	q.WaitFor(t, "added", func() bool { return mw.modal == nil })
	b.locked(func() {
		if !slices.Equal(b.people.invites, []string{code}) {
			t.Errorf("AddByInvite %q", b.people.invites)
		}
	})
}

func TestShowMyCodeWaitsAndSucceeds(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowAddContactOn(addcontact.ChoiceShow)
	q.WaitFor(t, "the code shown", func() bool { return s.CodeText.Text == "7-orbit-maple-sugar" })
	if !s.Waiting.Visible() || s.QR == nil || !s.QR.Visible() || !strings.HasPrefix(s.LinkTxt.Text, "hearth1-invite-ann") {
		t.Fatalf("waiting %v, link %q: %q", s.Waiting.Visible(), s.LinkTxt.Text, uitest.Texts(top(mw)))
	}
	test.Tap(s.CopyBtn)
	if got := mw.app.Clipboard().Content(); got != s.Link {
		t.Errorf("clipboard %q", got)
	}
	// An event for another code is not ours.
	b.events <- event.PairingSucceeded{Code: "1-acorn-acorn-acorn", PeerID: "peer-x", Name: "X"}
	b.events <- event.PairingSucceeded{Code: "7-orbit-maple-sugar", PeerID: "peer-bob", Name: "Bob"}
	q.WaitFor(t, "the screen to close", func() bool { return mw.modal == nil })
	if mw.selected != "peer-bob" || !strings.HasPrefix(mw.NoticeText(), "Bob is now your contact") {
		t.Fatalf("selected %q, notice %q", mw.selected, mw.NoticeText())
	}
	b.locked(func() {
		if b.people.pair.cancels != 0 {
			t.Error("a used code was cancelled")
		}
	})
}

func TestShowMyCodeFailsThenNewCode(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowAddContactOn(addcontact.ChoiceShow)
	q.WaitFor(t, "the code shown", func() bool { return s.Code != "" })
	b.events <- event.PairingFailed{Code: "7-orbit-maple-sugar", Reason: "The code did not match: someone typed it wrong. Make a new code and try again."}
	q.WaitFor(t, "the failure shown", func() bool { return s.Err.Visible() })
	if s.Waiting.Visible() || mw.modal == nil {
		t.Fatalf("waiting %v", s.Waiting.Visible())
	}
	test.Tap(button(t, top(mw), "New code"))
	q.WaitFor(t, "a new code", func() bool { return s.CodeText.Text == "12-otter-lemon-drum" })
	if s.Err.Visible() {
		t.Error("the old error is still shown")
	}
	// Going to another choice gives the code up; so does Escape.
	test.Tap(s.HaveBtn)
	q.WaitFor(t, "the code cancelled", func() bool {
		var n int
		b.locked(func() { n = b.people.pair.cancels })
		return n == 1
	})
	test.Tap(s.ShowBtn)
	q.WaitFor(t, "a code again", func() bool { return s.Code != "" })
	mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	q.WaitFor(t, "the code cancelled", func() bool {
		var n int
		b.locked(func() { n = b.people.pair.cancels })
		return n == 2
	})
	if mw.modal != nil || mw.add.Open != nil {
		t.Fatal("Escape did not close the screen")
	}
}

func TestTypedSpokenCodePairs(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowAddContact()
	b.locked(func() {
		b.people.pair.err = errors.New("the code did not match; the other person needs to make a new code, then try again")
	})
	test.Type(s.Field, "7 orbit maple salad")
	if s.Go.Text != "Pair" {
		t.Errorf("the button reads %q for a spoken code", s.Go.Text)
	}
	enter(s.Field)
	q.WaitFor(t, "the error", func() bool { return s.Err.Visible() && !s.Go.Disabled() })
	if s.Err.Text != "The code did not match; the other person needs to make a new code, then try again" || mw.modal == nil {
		t.Fatalf("error %q", s.Err.Text)
	}
	b.locked(func() { b.people.pair.err = nil })
	enter(s.Field)
	q.WaitFor(t, "the screen to close", func() bool { return mw.modal == nil })
	b.locked(func() {
		if !slices.Equal(b.people.pair.typed, []string{"7 orbit maple salad", "7 orbit maple salad"}) {
			t.Errorf("PairWithCode calls %q", b.people.pair.typed)
		}
	})
	if mw.NoticeText() != "Paired with Zoe." {
		t.Fatalf("notice %q", mw.NoticeText())
	}
}

func TestTypedSpokenCodeEscapeStopsSearch(t *testing.T) {
	mw, b, q := newTestMain(t)
	block := make(chan struct{})
	defer close(block)
	b.locked(func() { b.people.pair.block = block })
	s := mw.add.ShowAddContact()
	test.Type(s.Field, "7-orbit-maple-sugar")
	test.Tap(s.Go)
	if !s.Go.Disabled() {
		t.Fatal("no sign of work while looking")
	}
	s.Field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.modal != nil {
		t.Fatal("Escape did not close")
	}
	q.WaitFor(t, "the search to stop", func() bool {
		var ended []error
		b.locked(func() { ended = b.people.pair.ended })
		return len(ended) == 1 && errors.Is(ended[0], context.Canceled)
	})
}

func TestSomeoneNearbyMakesMeVisible(t *testing.T) {
	mw, b, q := newTestMain(t)
	s := mw.add.ShowAddContact()
	test.Tap(s.NearbyBtn)
	q.WaitFor(t, "visible", func() bool {
		_, until := b.me.NearbyVisibility()
		return !until.IsZero()
	})
	if mw.modal != nil {
		t.Error("the screen stayed over the sidebar, where the people nearby are")
	}
	// Pairing succeeded: being visible ends by itself.
	b.locked(func() {
		b.people.contacts = append(b.people.contacts, people.ContactView{Contact: contacts.Contact{PeerID: "peer-finn", Name: "Finn", State: contacts.Accepted}})
	})
	b.events <- event.ContactsChanged{}
	q.WaitFor(t, "the conversation", func() bool { return mw.selected == "peer-finn" })
	if _, until := b.me.NearbyVisibility(); !until.IsZero() {
		t.Error("still visible nearby after pairing")
	}
}
