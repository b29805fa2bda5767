package transfers

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Guards the issue 14 "Also" item on file names, name by name: no folder
// part, no control or bidi characters, no leading dot, bounded length;
// desktop entries and executables are never accepted without asking.
func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"report.pdf":                    "report.pdf",
		"../../.bashrc":                 "bashrc",
		`C:\Users\x\evil.exe`:           "evil.exe",
		".hidden":                       "hidden",
		"...":                           "file",
		"":                              "file",
		"evil\u202egnp.exe":             "evilgnp.exe",
		"a\x00b\nc\x1b[2J.txt":          "abc[2J.txt",
		"photo\u2066.png\u2069.desktop": "photo.png.desktop",
		"👩‍👩‍👧 family.jpg":              "👩‍👩‍👧 family.jpg",
		"trailing. ":                    "trailing",
	} {
		if got := SafeFileName(in); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 300) + ".txt"
	if got := SafeFileName(long); len(got) > maxNameBytes || !strings.HasSuffix(got, ".txt") || !utf8.ValidString(got) {
		t.Errorf("long name → %d bytes %q", len(got), got[len(got)-8:])
	}
	for name, risky := range map[string]bool{"run.desktop": true, "x.SH": true, "setup.exe": true, "a.png": false, "notes.txt": false, "desktop": false} {
		if RiskyName(name) != risky {
			t.Errorf("RiskyName(%q) = %v", name, !risky)
		}
	}
}

func FuzzSafeFileName(f *testing.F) {
	for _, s := range []string{"../x", ".a", "\u202eexe.png", "a/b\\c", strings.Repeat("x", 400)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SafeFileName(in)
		if out == "" || len(out) > maxNameBytes || !utf8.ValidString(out) ||
			strings.ContainsAny(out, `/\`) || strings.HasPrefix(out, ".") || out == ".." {
			t.Fatalf("SafeFileName(%q) = %q", in, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != 0x200d) {
				t.Fatalf("SafeFileName(%q) kept %U", in, r)
			}
		}
		if SafeFileName(out) != out {
			t.Fatalf("not stable: %q → %q → %q", in, out, SafeFileName(out))
		}
	})
}
