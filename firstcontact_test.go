package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core"
	"hearth/app/ui"
	"hearth/app/ui/uitest"
)

// The first-contact walk: two people start Hearth for the first time and
// reach a ringing video call, by each way of adding someone. Each runs the
// real app (ui.Start on a real core, loopback libp2p, mDNS in a private
// network namespace), driven the way a person does: click a button by its
// words, type into the field that has the focus, press Enter, paste. Every
// one of those is one input; the target is at most 5 per person.

const maxInputs = 5

// firstContactNS marks the test process re-run inside its own network
// namespace, where mDNS reaches only the two instances.
const firstContactNS = "HEARTH_FIRSTCONTACT_NETNS"

// person is one Hearth instance and the inputs its user made.
type person struct {
	t      *testing.T
	name   string
	sess   *ui.Session
	q      uitest.Queue
	inputs int
}

func startPerson(t *testing.T, a fyne.App, q uitest.Queue, name string) *person {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	l := launcher{core.Opener{Dir: dir, Opts: core.Options{Loopback: true, Port: -1, FakeMedia: true, RetryInterval: 200 * time.Millisecond}}}
	p := &person{t: t, name: name, q: q, sess: ui.Start(a, l, "Hearth", q.Do)}
	p.sess.Window().Show()
	t.Cleanup(func() {
		q.Drain()
		p.sess.Stop()
		p.sess.Window().Close()
	})
	return p
}

// screen is what the person sees on top: the open dialog, else the window.
func (p *person) screen() fyne.CanvasObject {
	c := p.sess.Window().Canvas()
	if top := c.Overlays().Top(); top != nil {
		return top
	}
	return c.Content()
}

func (p *person) sees(text string) bool { return uitest.HasText(p.screen(), text) }

// waitSees waits (running the UI's work) until text is on the screen.
func (p *person) waitSees(text string, within time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(within)
	for !p.sees(text) {
		if time.Now().After(deadline) {
			p.t.Fatalf("%s never saw %q; the screen shows %q", p.name, text, uitest.Texts(p.screen()))
		}
		p.q.Drain()
		time.Sleep(5 * time.Millisecond)
	}
}

// click taps the enabled button that reads label: one input.
func (p *person) click(label string) {
	p.t.Helper()
	var found *widget.Button
	uitest.Visible(p.screen(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && found == nil && b.Text == label && !b.Disabled() {
			found = b
		}
	})
	if found == nil {
		p.t.Fatalf("%s finds no button %q; the screen shows %q", p.name, label, uitest.Texts(p.screen()))
	}
	p.inputs++
	// As the window's click does; test.Tap would also take the focus
	// from whichever test window its driver finds first, which is not
	// always this one.
	found.Tapped(&fyne.PointEvent{})
	p.q.Drain()
}

func (p *person) focused() fyne.Focusable {
	p.t.Helper()
	f := p.sess.Window().Canvas().Focused()
	if f == nil {
		p.t.Fatalf("%s: nothing has the focus to type into (%d overlays; %q)", p.name, len(p.sess.Window().Canvas().Overlays().List()), uitest.Texts(p.screen()))
	}
	return f
}

// typeText types into the focused field: one input.
func (p *person) typeText(s string) {
	p.t.Helper()
	p.inputs++
	test.Type(p.focused(), s)
	p.q.Drain()
}

// enter presses Enter in the focused field: one input.
func (p *person) enter() {
	p.t.Helper()
	p.inputs++
	p.focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	p.q.Drain()
}

// paste presses Ctrl+V in the focused field: one input.
func (p *person) paste() {
	p.t.Helper()
	f, ok := p.focused().(fyne.Shortcutable)
	if !ok {
		p.t.Fatalf("%s: the focused field takes no paste", p.name)
	}
	p.inputs++
	f.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fyne.CurrentApp().Clipboard()})
	p.q.Drain()
}

// firstLaunch: the first-run screen has the name field focused; a name
// and Enter make the profile (no passphrase: optional).
func (p *person) firstLaunch() {
	p.t.Helper()
	p.typeText(p.name)
	p.enter()
	p.waitSees("Add a contact", 30*time.Second)
}

var spokenCode = regexp.MustCompile(`^\d+-[a-z]+-[a-z]+-[a-z]+$`)

// spokenCodeShown is the short code on the screen, "" while none is.
func (p *person) spokenCodeShown() string {
	code := ""
	uitest.Visible(p.screen(), func(o fyne.CanvasObject) {
		if t, ok := o.(*canvas.Text); ok && spokenCode.MatchString(t.Text) {
			code = t.Text
		}
	})
	return code
}

func (p *person) waitSpokenCode() string {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c := p.spokenCodeShown(); c != "" {
			return c
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: no spoken code appeared: %q", p.name, uitest.Texts(p.screen()))
		}
		p.q.Drain()
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFirstContactToACall(t *testing.T) {
	if os.Getenv(firstContactNS) != "1" {
		// mDNS (short codes, nearby) must meet only these two: run in a
		// private network namespace with its own loopback.
		if _, err := exec.LookPath("unshare"); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("unshare is missing: the first-contact test needs a private network namespace")
			}
			t.Skip("unshare is missing")
		}
		script := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
		cmd := exec.Command("unshare", "-n", "-r", "sh", "-c", script, "sh", os.Args[0], "-test.run=^TestFirstContactToACall$", "-test.v")
		cmd.Env = append(os.Environ(), firstContactNS+"=1")
		out, err := cmd.CombinedOutput()
		t.Logf("in a private network namespace:\n%s", out)
		if err != nil {
			t.Fatalf("the first-contact test failed: %v", err)
		}
		return
	}

	for _, m := range []struct {
		name string
		walk func(t *testing.T, ann, bob *person)
	}{
		{"spoken code", func(t *testing.T, ann, bob *person) {
			ann.click("Show my code")
			code := ann.waitSpokenCode() // Ann reads it out
			bob.typeText(code)
			bob.enter()
		}},
		{"invite link", func(t *testing.T, ann, bob *person) {
			ann.click("Show my code")
			ann.click("Copy link") // and sends it by mail: outside Hearth
			bob.paste()
			bob.enter()
		}},
		{"nearby", func(t *testing.T, ann, bob *person) {
			ann.click("Someone nearby")
			bob.click("Someone nearby")
			bob.waitSees("NEARBY ON THIS NETWORK", 30*time.Second)
			bob.click("Add")
			ann.waitSees("Accept", 30*time.Second)
			ann.click("Accept")
		}},
	} {
		t.Run(m.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			q := uitest.NewQueue()
			ann, bob := startPerson(t, a, q, "Ann"), startPerson(t, a, q, "Bob")
			ann.firstLaunch()
			bob.firstLaunch()
			m.walk(t, ann, bob)
			// Bob's conversation with Ann opens by itself; he calls.
			bob.waitSees("Call", 30*time.Second)
			bob.click("Call")
			ann.waitSees("Bob is calling", 30*time.Second)
			t.Logf("%s: Ann %d inputs, Bob %d inputs", m.name, ann.inputs, bob.inputs)
			fmt.Printf("FIRSTCONTACT %s: Ann %d, Bob %d inputs\n", m.name, ann.inputs, bob.inputs)
			for _, p := range []*person{ann, bob} {
				if p.inputs > maxInputs {
					t.Errorf("%s needed %d inputs, more than %d", p.name, p.inputs, maxInputs)
				}
			}
		})
	}
}
