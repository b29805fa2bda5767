package policy

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"0": 0, "1024": 1024, "25MB": 25e6, "25 mb": 25e6, "25Mb": 25e6, "1GiB": 1 << 30,
		"1 gib": 1 << 30, "1.5GiB": 3 << 29, "0.5 KB": 500, "100B": 100, "  7 KiB ": 7 << 10,
		"2TB": 2e12, "1TiB": 1 << 40, "8000000TiB": 8000000 << 40,
	}
	for in, want := range good {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "-1", "-1MB", "25M", "25 potatoes", "1..5MB", ".5MB", "5.MB",
		"1e6", "0x10", "9223372036854775808", "9000000TiB", "99999999999999999999.5 TB", "25 MB MB"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestFormatSize(t *testing.T) {
	cases := map[int64]string{
		0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1 KB", 1024: "1 KiB", 1536: "1.5 KiB",
		25e6: "25 MB", 25_500_000: "25.5 MB", 10 << 20: "10 MiB", 1 << 30: "1 GiB", 999_999: "1 MB",
		1234567890: "1.2 GB", 3e12: "3 TB",
	}
	for in, want := range cases {
		if got := FormatSize(in); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", in, got, want)
		}
	}
	if got := FormatSize(math.MaxInt64); !strings.HasSuffix(got, " TB") {
		t.Errorf("FormatSize(MaxInt64) = %q", got)
	}
}

func TestParse(t *testing.T) {
	p, err := Parse([]byte(`{
		"transfers_off": false,
		"max_size": "25MB",
		"allowed_kinds": [".PDF", "Image/*"],
		"blocked_kinds": [".exe"],
		"auto_accept_below": 1048576
	}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Policy{MaxSize: 25e6, Allowed: []string{".pdf", "image/*"}, Blocked: []string{".exe"}, AutoAcceptBelow: 1 << 20, AutoAcceptFixed: true}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("Parse = %+v, want %+v", p, want)
	}

	for in, want := range map[string]Policy{
		`{}`:                                              Default(),
		`{"max_size": null}`:                              Default(),
		`{"max_size": 1e6}`:                               {MaxSize: 1e6, AutoAcceptBelow: DefaultAutoAccept},
		`{"auto_accept_below": 0}`:                        {AutoAcceptFixed: true},
		`{"auto_accept_below": "1GiB"}`:                   {AutoAcceptBelow: 1 << 30, AutoAcceptFixed: true},
		`{"auto_accept_below": null}`:                     Default(),
		`{"transfers_off": true}`:                         {TransfersOff: true, AutoAcceptBelow: DefaultAutoAccept},
		`{"blocked_kinds": []}`:                           Default(),
		`{"virus_scanner": "tcp:10.0.0.5:3310"}`:          {Scanner: "tcp:10.0.0.5:3310", AutoAcceptBelow: DefaultAutoAccept},
		`{"virus_scanner": "unix:/run/clamav/clamd.ctl"}`: {Scanner: "unix:/run/clamav/clamd.ctl", AutoAcceptBelow: DefaultAutoAccept},
	} {
		got, err := Parse([]byte(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%s) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in    string
		line  int
		field string
		says  string
	}{
		{"", 0, "", "is empty"},
		{"  \n ", 0, "", "is empty"},
		{"[]", 1, "", "must be a JSON object"},
		{`"x"`, 1, "", "must be a JSON object"},
		{"{\n  \"max_size\": \"25 potatoes\"\n}", 2, "max_size", `unknown unit "potatoes"`},
		{"{\n  \"max_size\": \"25M\"\n}", 2, "max_size", `unknown unit "M"`},
		{"{\n\n  \"max_size\": -5\n}", 3, "max_size", "must not be negative"},
		{`{"max_size": 0}`, 1, "max_size", "must be more than 0"},
		{`{"max_size": 1.5}`, 1, "max_size", "not a whole"},
		{`{"max_size": true}`, 1, "max_size", "must be a number of bytes"},
		{`{"max_size": 1e400}`, 1, "max_size", "not a whole"},
		{`{"auto_accept_below": [1]}`, 1, "auto_accept_below", "must be a number of bytes"},
		{`{"transfers_off": "yes"}`, 1, "transfers_off", "must be true or false"},
		{`{"virus_scanner": "clamd.lan"}`, 1, "virus_scanner", "must be clamd's address"},
		{`{"virus_scanner": "tcp:clamd.lan"}`, 1, "virus_scanner", "must be clamd's address"},
		{`{"virus_scanner": "unix:clamd.sock"}`, 1, "virus_scanner", "must be clamd's address"},
		{`{"virus_scanner": 3310}`, 1, "virus_scanner", "must be clamd's address"},
		{`{"transfers_off": 1}`, 1, "transfers_off", "must be true or false"},
		{"{\n \"transfers_off\": true,\n \"max_sise\": 5\n}", 3, "max_sise", "unknown field"},
		{`{"allowed_kinds": ".pdf"}`, 1, "allowed_kinds", "must be a list of strings"},
		{`{"allowed_kinds": [".pdf", 3]}`, 1, "allowed_kinds", "must be a list of strings"},
		{"{\"blocked_kinds\": [\".exe\",\n \"exe\"]}", 1, "blocked_kinds", `"exe" is neither an extension`},
		{`{"blocked_kinds": ["*.exe"]}`, 1, "blocked_kinds", `"*.exe" is neither`},
		{`{"max_size": 1, "max_size": 2}`, 1, "max_size", "given twice"},
		{"{\n  \"max_size\": 1,\n}", 3, "", "not valid JSON"},
		{"{\n  \"max_size\" 1\n}", 2, "", "not valid JSON"},
		{"{\n  \"max_size\": 1", 2, "", "ends too early"},
		{`{"max_size": 1}}`, 1, "", "after the policy's closing brace"},
		{`{"max_size": 1} {}`, 1, "", "after the policy's closing brace"},
		{"{\n  'max_size': 1\n}", 2, "", "not valid JSON"},
		{"\xff\xfe{}", 1, "", "not valid JSON"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.in))
		var fe *FileError
		if !errors.As(err, &fe) || !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q) = %v, want a *FileError wrapping ErrMalformed", c.in, err)
			continue
		}
		if fe.Line != c.line || fe.Field != c.field || !strings.Contains(fe.Msg, c.says) {
			t.Errorf("Parse(%q): line %d field %q msg %q; want line %d field %q msg containing %q",
				c.in, fe.Line, fe.Field, fe.Msg, c.line, c.field, c.says)
		}
	}
}

// withSystemPath points SystemPath at path for one test.
func withSystemPath(t *testing.T, path string) {
	old := SystemPath
	SystemPath = path
	t.Cleanup(func() { SystemPath = old })
}

func TestLoad(t *testing.T) {
	sysDir, profile := t.TempDir(), t.TempDir()
	sys := filepath.Join(sysDir, "policy.json")
	withSystemPath(t, sys)
	mine := filepath.Join(profile, FileName)

	// Nothing installed.
	p, err := Load(profile)
	if err != nil || !reflect.DeepEqual(p, Default()) || p.Installed() {
		t.Fatalf("no policy: %+v, %v", p, err)
	}
	if p, err := Load(""); err != nil || p.Installed() {
		t.Fatalf("no profile dir: %+v, %v", p, err)
	}

	// The profile's own policy.
	must(t, os.WriteFile(mine, []byte(`{"max_size": "1MB"}`), 0o600))
	p, err = Load(profile)
	if err != nil || p.MaxSize != 1e6 || p.Source != mine || !p.Installed() {
		t.Fatalf("profile policy: %+v, %v", p, err)
	}

	// The system policy wins.
	must(t, os.WriteFile(sys, []byte(`{"transfers_off": true}`), 0o644))
	p, err = Load(profile)
	if err != nil || !p.TransfersOff || p.MaxSize != 0 || p.Source != sys {
		t.Fatalf("system policy: %+v, %v", p, err)
	}

	// A broken system policy is an error naming the file, line and field,
	// even though the profile has a good one; the policy returned refuses
	// everything.
	must(t, os.WriteFile(sys, []byte("{\n  \"transfers_off\": false,\n  \"max_size\": \"lots\"\n}"), 0o644))
	p, err = Load(profile)
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("broken system policy: %v", err)
	}
	for _, s := range []string{sys, "line 3", `"max_size"`, `"lots"`} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
	if !p.TransfersOff || p.Check("a.txt", 1, nil) == nil {
		t.Errorf("policy returned with an error lets files through: %+v", p)
	}

	// A broken profile policy is an error too.
	must(t, os.Remove(sys))
	must(t, os.WriteFile(mine, []byte(`{"max_size": "1MB",}`), 0o600))
	if _, err := Load(profile); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), mine) {
		t.Errorf("broken profile policy: %v", err)
	}

	// A policy path that is a folder, or unreadable, is an error, not
	// "no policy".
	must(t, os.Remove(mine))
	must(t, os.Mkdir(mine, 0o700))
	if _, err := Load(profile); err == nil || !strings.Contains(err.Error(), mine) {
		t.Errorf("folder as policy: %v", err)
	}
	must(t, os.Remove(mine))
	if os.Geteuid() != 0 { // root reads anything
		must(t, os.WriteFile(mine, []byte(`{}`), 0o000))
		if _, err := Load(profile); err == nil {
			t.Error("unreadable policy ignored")
		}
		must(t, os.Remove(mine))
	}

	// Oversized.
	must(t, os.WriteFile(mine, []byte(`{"blocked_kinds": [`+strings.Repeat(`".exe",`, 200000)+`".exe"]}`), 0o600))
	if _, err := Load(profile); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversized policy: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzParse: a policy file is written by an administrator, not a peer, but
// Parse must still never panic and must be deterministic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `{"max_size": "25MB", "allowed_kinds": [".pdf", "image/*"]}`, `{"x": [}`, "{\n\"max_size\": 1,}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err == nil {
			p.Check("a.exe", 5, []byte("MZ"))
		} else if !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v does not wrap ErrMalformed", err)
		}
	})
}
