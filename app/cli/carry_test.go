package cli

import (
	"strings"
	"testing"
)

// `hearth carry on|off|status`, through a daemon and without one.
func TestCarrySwitch(t *testing.T) {
	t.Setenv("HEARTH_PASSPHRASE", "")
	home := startNode(t, "home")
	carry := func(args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, "", append(append([]string{"carry"}, args...), "--profile", home.dir, "--loopback", "--port", "-1")...)
		if code != 0 {
			t.Fatalf("carry %v: exit %d, %q", args, code, errOut)
		}
		return out
	}
	if out := carry("status"); !strings.Contains(out, "Carrying is off") || !strings.Contains(out, "Holding 0 sealed") {
		t.Fatalf("status of a new profile: %q", out)
	}
	if out := carry("on"); !strings.Contains(out, "Carrying is on") || strings.Contains(out, "hearth daemon") {
		t.Fatalf("carry on through the daemon: %q", out)
	}
	if !home.m.Carry.CarryMessages() {
		t.Fatal("the daemon's profile does not carry after `carry on`")
	}
	if out := carry("status"); !strings.Contains(out, "Carrying is on") {
		t.Fatalf("status after on: %q", out)
	}
	if out := carry("OFF"); !strings.Contains(out, "Carrying is off") {
		t.Fatalf("carry off: %q", out)
	}
	if home.m.Carry.CarryMessages() {
		t.Fatal("still carrying after `carry off`")
	}

	// Without a daemon the command opens the profile; the setting stays.
	home.down()
	if out := carry("on"); !strings.Contains(out, "Carrying is on") || !strings.Contains(out, "hearth daemon") {
		t.Fatalf("carry on without a daemon: %q", out)
	}
	home.up(t)
	if !home.m.Carry.CarryMessages() {
		t.Fatal("`carry on` without a daemon was not kept")
	}

	for _, args := range [][]string{{"carry"}, {"carry", "maybe"}, {"carry", "on", "off"}} {
		if code, _, errOut := runCLI(t, "", append(args, "--profile", home.dir)...); code != 2 || !strings.Contains(errOut, "usage:") {
			t.Errorf("%v: exit %d, %q; want usage and 2", args, code, errOut)
		}
	}
	if !IsCommand("carry") {
		t.Error("carry is not a command main.go hands over")
	}
}
