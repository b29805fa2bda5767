package pair

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestWordlist(t *testing.T) {
	if len(words) != 256 {
		t.Fatalf("%d words, want 256 (one per byte)", len(words))
	}
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] {
			t.Errorf("%q twice", w)
		}
		seen[w] = true
		if len(w) < 3 || len(w) > 8 || strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("%q: want 3–8 lower-case letters", w)
		}
	}
}

func TestNewCodeParses(t *testing.T) {
	for range 200 {
		c, err := NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if c.Nameplate < 1 || c.Nameplate > MaxNameplate {
			t.Fatalf("nameplate %d", c.Nameplate)
		}
		got, err := ParseCode(c.String())
		if err != nil || got != c {
			t.Fatalf("%q parsed as %v, %v", c, got, err)
		}
	}
}

func TestParseTolerant(t *testing.T) {
	want := Code{Nameplate: 7, Words: [CodeWords]string{"orbit", "maple", "sugar"}}
	for _, s := range []string{
		"7-orbit-maple-sugar",
		"  7 Orbit Maple SUGAR\n",
		"7 - orbit - maple - sugar",
		"7-orbit maple,sugar.",
		"007_orbit—maple–sugar",
	} {
		got, err := ParseCode(s)
		if err != nil || got != want {
			t.Errorf("%q: %v, %v", s, got, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ in, says string }{
		{"", "type the code"},
		{"   ", "type the code"},
		{"orbit-maple-sugar-7", "starts with a number"},
		{"0-orbit-maple-sugar", "between 1 and 999"},
		{"1000-orbit-maple-sugar", "between 1 and 999"},
		{"7-orbit-maple", "a number and 3 words"},
		{"7-orbit-maple-sugar-salad", "a number and 3 words"},
		{"7-orbit-mapel-sugar", "“mapel” is not one of the code words"},
		{"7-orbbit-mapel-sugar", "“orbbit” and “mapel” are not code words"},
		{strings.Repeat("7", 300), "too long"},
	}
	for _, c := range cases {
		_, err := ParseCode(c.in)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%q: %v, want it to say %q", c.in, err, c.says)
		}
		if c.in != "" && strings.TrimSpace(c.in) != "" && !errors.Is(err, ErrBadCode) {
			t.Errorf("%q: %v is not ErrBadCode", c.in, err)
		}
	}
}

// The rendezvous tag and key are frozen: both sides must derive the same
// ones across versions. They depend on the nameplate and first word only.
func TestRendezvousFrozen(t *testing.T) {
	c := Code{Nameplate: 7, Words: [CodeWords]string{"orbit", "maple", "sugar"}}
	if got := c.Tag(); got != frozenTag || len(got) != 15 {
		t.Fatalf("tag %q, want %q", got, frozenTag)
	}
	if got := hex.EncodeToString(c.Key()); got != frozenKey {
		t.Fatalf("key %s, want %s", got, frozenKey)
	}
	d := c
	d.Words[2] = "salad"
	if d.Tag() != c.Tag() || string(d.Key()) != string(c.Key()) {
		t.Fatal("the secret words leak into the rendezvous")
	}
	d.Words[0] = "otter"
	if d.Tag() == c.Tag() {
		t.Fatal("the first word does not change the tag")
	}
	d = c
	d.Nameplate = 8
	if d.Tag() == c.Tag() || string(d.Key()) == string(c.Key()) {
		t.Fatal("the nameplate does not change the rendezvous")
	}
}

const (
	frozenTag = "hphj5epo4mc3ogg"
	frozenKey = "3fb0f27422f0c876f8cafdd14a64feb61da9a6f50171b8558c752c564864254d"
)

func FuzzParseCode(f *testing.F) {
	f.Add("7-orbit-maple-sugar")
	f.Add(" 999 ZIPPER zebra acorn ")
	f.Add("-")
	f.Add("7-\xff-maple-sugar")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		again, err := ParseCode(c.String())
		if err != nil || again != c {
			t.Fatalf("%q → %q → %v, %v", s, c, again, err)
		}
	})
}
