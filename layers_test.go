package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// The layering of docs/ARCHITECTURE.md ("Rules"), checked against what the
// packages really import (after tailscale's tstest/deptest). A rule is one
// line: which packages, which imports they may not have, and why.
//
// A pattern is one or more space-separated terms; a path matches when it
// matches a term without "!" and none with "!". Terms:
//
//	x/...  x and every package under it
//	...    every package
//	std    the standard library (first path element without a dot, outside hearth)
//	x      exactly x
//
// Rules hold for a package's own files and for its tests alike: a layer's
// tests may not reach what the layer may not. A package importing itself
// (its external _test package) is never a breach.
var layerRules = []struct{ pkg, forbid, why string }{
	{"hearth/app/ui/...", "hearth/p2p/...", "app/ui never imports p2p/...: the UI gets what it needs from app/core"},
	{"hearth/app/ui/...", "hearth/media/...", "app/ui never imports media/...: the UI gets what it needs from app/core"},
	{"hearth/app/core/...", "fyne.io/...", "app/core never imports fyne: the core runs headless (app/cli, tests)"},
	{"hearth/p2p/...", "hearth/contacts/store hearth/media/... hearth/app/...", "p2p/... never imports contacts/store, media/... or app/...: protocols take callbacks in a Config that app/core fills"},
	{"hearth/media/...", "hearth/p2p/... hearth/app/...", "media/... never imports p2p/... or app/...: media/call declares Signaler and app/core adapts it onto p2p/signal"},
	{"hearth/app/desktop", "... !std !golang.org/x/sys/...", "app/desktop (autostart, the download folder) imports only the standard library and x/sys: core and UI both use it"},
	{"hearth/contacts", "... !std", "contacts imports only the standard library: it is the vocabulary every layer shares"},
	{"hearth/contacts/store", "hearth/app/... hearth/p2p/... hearth/media/...", "contacts/store never imports app/..., p2p/... or media/...: storage knows nothing of the layers above"},
	{"hearth/app/core/... !hearth/app/core", "hearth/app/core", "packages under app/core never import app/core: only the composition root wires them"},
	{"hearth/app/core/event", "hearth/... !hearth/contacts", "app/core/event imports nothing of hearth but contacts: events are plain data"},
	{"... !hearth/media/impair !hearth/app/bench", "hearth/media/impair", "only app/bench uses media/impair (namespaces, a relay, tbf): it is a test bench, never part of the app"},
	{"... !hearth !hearth/app/bench", "hearth/app/ui", "only main and app/bench import app/ui: everything else stays headless"},
	// Inside the core: the floor (event, book, base), then mechanisms that
	// know only the floor, then the few that build on another mechanism.
	{"hearth/app/core/book", "hearth/app/core/...", "app/core/book is the core's floor: it imports no other part of the core"},
	{"hearth/app/core/base", "hearth/app/core/... !hearth/app/core/book !hearth/app/core/event", "app/core/base stands on book and event only"},
	{"hearth/app/core/carry hearth/app/core/calls hearth/app/core/presence hearth/app/core/archive hearth/app/core/nearby hearth/app/core/people hearth/app/core/links",
		coreFloor, "this mechanism stands on the core's floor only (base, book, event); the root wires it to the others"},
	{"hearth/app/core/chat hearth/app/core/groups", coreFloor + " !hearth/app/core/carry", "chat and groups stand on the floor and the carry engine, which knows no kind of content"},
	{"hearth/app/core/transfers", coreFloor + " !hearth/app/core/carry !hearth/app/core/groups", "transfers stand on the floor, carry and groups (files into groups)"},
	{"hearth/app/core/pairing", coreFloor + " !hearth/app/core/people", "pairing stands on the floor and people (a pairing makes a contact)"},
	{"hearth/app/reachlab/netlab", "... !std", "app/reachlab/netlab builds network namespaces for tests with ip and iptables: standard library only"},
	{"... !hearth/app/reachlab", "hearth/app/reachlab/netlab", "only the network lab's tests (app/reachlab) use app/reachlab/netlab"},
}

// coreFloor forbids every part of the core but its floor.
const coreFloor = "hearth/app/core/... !hearth/app/core/base !hearth/app/core/book !hearth/app/core/event"

const modulePath = "hearth"

// matchTerm reports whether path matches one term (without "!").
func matchTerm(term, path string) bool {
	switch {
	case term == "...":
		return true
	case term == "std":
		if path == modulePath || strings.HasPrefix(path, modulePath+"/") {
			return false
		}
		first, _, _ := strings.Cut(path, "/")
		return !strings.Contains(first, ".")
	case strings.HasSuffix(term, "/..."):
		base := strings.TrimSuffix(term, "/...")
		return path == base || strings.HasPrefix(path, base+"/")
	default:
		return path == term
	}
}

// matchPattern reports whether path matches a pattern of space-separated
// terms: some positive term matches and no "!" term does.
func matchPattern(pattern, path string) bool {
	in := false
	for _, term := range strings.Fields(pattern) {
		if neg, ok := strings.CutPrefix(term, "!"); ok {
			if matchTerm(neg, path) {
				return false
			}
		} else if matchTerm(term, path) {
			in = true
		}
	}
	return in
}

func TestLayers(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the layering test needs the go command on PATH: %v", err)
	}
	// One go list over the module: imports only, nothing is built.
	const sep = "\t"
	cmd := exec.Command(goBin, "list", "-deps=false",
		"-f", `{{.ImportPath}}`+sep+`{{join .Imports " "}}`+sep+`{{join .TestImports " "}} {{join .XTestImports " "}}`,
		"./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}

	var breaches []string
	seen := map[string]bool{}
	pkgs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, sep)
		if len(f) != 3 {
			t.Fatalf("go list: unexpected line %q", line)
		}
		pkg := f[0]
		pkgs++
		for i, imports := range f[1:] {
			kind := ""
			if i == 1 {
				kind = " (test)"
			}
			for _, imp := range strings.Fields(imports) {
				if imp == pkg {
					continue
				}
				for _, r := range layerRules {
					if !matchPattern(r.pkg, pkg) || !matchPattern(r.forbid, imp) {
						continue
					}
					msg := fmt.Sprintf("%s%s imports %s (rule: %s)", pkg, kind, imp, r.why)
					if !seen[msg] {
						seen[msg] = true
						breaches = append(breaches, msg)
					}
				}
			}
		}
	}
	if pkgs < 10 {
		t.Fatalf("go list found only %d packages: not run from the module root?", pkgs)
	}
	if len(breaches) > 0 {
		sort.Strings(breaches)
		t.Errorf("%d layering breach(es), see docs/ARCHITECTURE.md \"Rules\":\n\t%s",
			len(breaches), strings.Join(breaches, "\n\t"))
	}
}

func TestLayerPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"hearth/p2p/...", "hearth/p2p", true},
		{"hearth/p2p/...", "hearth/p2p/chat", true},
		{"hearth/p2p/...", "hearth/p2p/internal/service", true},
		{"hearth/p2p/...", "hearth/p2px", false},
		{"hearth/p2p/...", "hearth", false},
		{"hearth/app/core", "hearth/app/core", true},
		{"hearth/app/core", "hearth/app/core/calls", false},
		{"hearth/app/core/... !hearth/app/core", "hearth/app/core", false},
		{"hearth/app/core/... !hearth/app/core", "hearth/app/core/calls", true},
		{"fyne.io/...", "fyne.io/fyne/v2/widget", true},
		{"...", "anything/at/all", true},
		{"... !std", "strings", false},
		{"... !std", "net/http", false},
		{"... !std", "C", false},
		{"... !std", "hearth/contacts/store", true},
		{"... !std", "hearth", true},
		{"... !std", "golang.org/x/sys/unix", true},
		{"hearth/... !hearth/contacts", "hearth/contacts", false},
		{"hearth/... !hearth/contacts", "hearth/contacts/store", true},
		{"... !hearth !hearth/app/bench", "hearth", false},
		{"... !hearth !hearth/app/bench", "hearth/app/bench", false},
		{"... !hearth !hearth/app/bench", "hearth/app/bench/fynefloor", true},
		{"a b", "b", true},
		{"", "hearth", false},
		{"!hearth", "hearth/app", false},
	} {
		if got := matchPattern(c.pattern, c.path); got != c.want {
			t.Errorf("matchPattern(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}
