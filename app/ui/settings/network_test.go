package settings

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

type fakeNetwork struct {
	public bool
	fail   error
}

func (f *fakeNetwork) NetworkSummary() []string {
	return []string{"Your router lets no one in, so contacts far away reach you through Ann and a public relay. Hearth then tries to connect you directly (hole punching); when your router allows it, the relay is used only to meet."}
}
func (f *fakeNetwork) PublicRelays() bool { return f.public }
func (f *fakeNetwork) SetPublicRelays(on bool) error {
	if f.fail != nil {
		return f.fail
	}
	f.public = on
	return nil
}

// now runs background work at once (the dialog's host does it off the UI
// goroutine).
func now(fn func() error, done func(error)) { done(fn()) }

func texts(c *fyne.Container) (out []string, check *widget.Check) {
	for _, o := range c.Objects {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Check:
			check = w
			out = append(out, w.Text)
		}
	}
	return out, check
}

// TestNetworkSection: the section says how this computer is reached, and
// its switch turns public relays off and on; a failure puts the switch
// back and says why.
func TestNetworkSection(t *testing.T) {
	test.NewTempApp(t)
	nb := &fakeNetwork{public: true}
	box := networkSection(nb, now)
	got, check := texts(box)
	if !strings.Contains(strings.Join(got, "\n"), "through Ann") {
		t.Fatalf("summary missing: %q", got)
	}
	if check == nil || !check.Checked {
		t.Fatal("public relays switch missing or shown off while on")
	}
	test.Tap(check)
	if nb.public || check.Checked {
		t.Fatal("turning public relays off did not save")
	}
	nb.fail = errors.New("disk full")
	test.Tap(check)
	if nb.public || check.Checked {
		t.Fatal("a failed save left the switch on")
	}
	if got, _ := texts(box); !strings.Contains(strings.ToLower(strings.Join(got, "\n")), "disk full") {
		t.Fatalf("the error is not shown: %q", got)
	}
}
