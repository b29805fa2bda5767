package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Guards finding 3 of issue 14 at the level of one string: what a peer
// wrote reaches a terminal with no control or bidi character left in it.
func TestEscapeField(t *testing.T) {
	for in, want := range map[string]string{
		"plain Ünïcode 👩‍👩‍👧":  "plain Ünïcode 👩‍👩‍👧",
		"\x1b[2J":              `\u001b[2J`,
		"bob\nnotice: you won": `bob\nnotice: you won`,
		"a\rb\tc":              `a\rb\tc`,
		"evil\u202etxt.exe":    `evil\u202etxt.exe`,
		"csi\u009b31m":         `csi\u009b31m`,
		"bad\xffbyte":          `bad\xffbyte`,
		"iso\u2066late\u2069":  `iso\u2066late\u2069`,
		"real \ufffd stays":    "real \ufffd stays",
	} {
		if got := escapeField(in); got != want {
			t.Errorf("escapeField(%q) = %q, want %q", in, got, want)
		}
	}
	if got := escapeTerminal("line one\n\tline \x1b]0;title\x07two\n"); got != "line one\n\tline \\u001b]0;title\\u0007two\n" {
		t.Errorf("escapeTerminal kept or lost the wrong things: %q", got)
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("\x1b[2J\nnotice: x\u202e\u009b\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, keep := range []bool{false, true} {
			out := escape(s, keep)
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q", s)
			}
			for _, r := range out {
				if unsafeRune(r) && !(keep && (r == '\n' || r == '\t')) {
					t.Fatalf("%q left in %q", r, out)
				}
			}
		}
		// JSON output goes through escapeTerminal: it stays valid JSON.
		b, _ := json.Marshal(map[string]string{"body": s})
		var v map[string]string
		if err := json.Unmarshal([]byte(escapeTerminal(string(b))), &v); err != nil {
			t.Fatalf("JSON broken by escaping %q: %v", s, err)
		}
		if !strings.Contains(s, "\\") && utf8.ValidString(s) && v["body"] != s && !strings.ContainsFunc(s, unsafeRune) {
			t.Fatalf("a clean body changed: %q → %q", s, v["body"])
		}
	})
}
