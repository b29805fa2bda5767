package cli

import (
	"errors"
	"strings"
	"testing"
)

// Every subcommand is one entry of the command table: it has a usage line
// and something that runs it, and the usage text lists it.
func TestCommandTable(t *testing.T) {
	var u strings.Builder
	usage(&u)
	seen := map[string]bool{}
	for _, c := range commands {
		if c.name == "" || seen[c.name] {
			t.Errorf("command %q: name empty or listed twice", c.name)
		}
		seen[c.name] = true
		if strings.TrimSpace(c.help) == "" {
			t.Errorf("%s: no help line", c.name)
		}
		if (c.local == nil) == (c.exec == nil) {
			t.Errorf("%s: wants exactly one handler, local or exec", c.name)
		}
		if c.local != nil && (c.request != nil || c.minArgs > 0 || c.toFile) {
			t.Errorf("%s: runs on its own, so its request fields would never be used", c.name)
		}
		if c.minArgs > 0 && c.needs == "" {
			t.Errorf("%s: needs %d arguments but does not say what they are", c.name, c.minArgs)
		}
		if !strings.Contains(u.String(), "\n       hearth [--profile DIR] "+c.name+" ") {
			t.Errorf("the usage does not list %s", c.name)
		}
		if !IsCommand(c.name) {
			t.Errorf("IsCommand(%q) is false", c.name)
		}
	}
	if n := strings.Count(u.String(), "\n       hearth [--profile DIR] "); n != len(commands) {
		t.Errorf("the usage lists %d commands, the table %d", n, len(commands))
	}
	// Over the control socket only requests run: not a daemon, not
	// create-profile, not a name the table lacks.
	for _, name := range []string{"daemon", "create-profile", "help", "frobnicate"} {
		if _, err := run(nil, Request{Cmd: name}, true, new(strings.Builder)); !errors.Is(err, ErrUsage) {
			t.Errorf("request %q: %v, want a usage error", name, err)
		}
	}
}
