package cli

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		cmd     string
		cmdArgs []string
		window  WindowFlags
	}{
		{args: nil},
		{args: []string{"--profile", "/p", "--fake-media", "--port", "7"}, window: WindowFlags{Profile: "/p", FakeMedia: true, Port: 7}},
		{args: []string{"--profile", "/p", "id"}, cmd: "id", cmdArgs: []string{"--profile", "/p"}},
		{args: []string{"--profile=/p", "--no-mdns", "send", "bob", "--", "-x"}, cmd: "send", cmdArgs: []string{"--profile=/p", "--no-mdns", "bob", "--", "-x"}},
		{args: []string{"id", "--profile", "/p"}, cmd: "id", cmdArgs: []string{"--profile", "/p"}},
		{args: []string{"--passphrase-file", "/f", "daemon"}, cmd: "daemon", cmdArgs: []string{"--passphrase-file", "/f"}},
		{args: []string{"hearth:abc"}, window: WindowFlags{Link: "hearth:abc"}},
		{args: []string{"--background", "--profile", "/p"}, window: WindowFlags{Background: true, Profile: "/p"}},
		{args: []string{"help", "send"}, cmd: "help", cmdArgs: []string{"send"}},
	} {
		inv, err := ParseCommandLine(tc.args)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		w := inv.Window
		w.passFile, w.loopback = "", false
		if inv.Command != tc.cmd || !reflect.DeepEqual(inv.Args, tc.cmdArgs) && len(inv.Args)+len(tc.cmdArgs) > 0 {
			t.Errorf("%q: command %q %q, want %q %q", tc.args, inv.Command, inv.Args, tc.cmd, tc.cmdArgs)
		}
		if tc.cmd == "" && w != tc.window {
			t.Errorf("%q: window flags %+v, want %+v", tc.args, w, tc.window)
		}
	}
	// Never the window for a word it does not know, or a flag of the
	// window given to a command.
	for _, args := range [][]string{{"frobnicate"}, {"--profile", "/p", "sned", "bob"}, {"--bogus"}, {"--fake-media", "id"},
		{"hearth:abc", "extra"}, {"--port", "x"}} {
		if _, err := ParseCommandLine(args); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: err %v, want a usage error", args, err)
		}
	}
	if inv, _ := ParseCommandLine([]string{"--version"}); !inv.Version {
		t.Error("--version not seen")
	}
	for _, h := range []string{"-h", "--help", "-help"} {
		if inv, _ := ParseCommandLine([]string{h}); !inv.Help {
			t.Errorf("%s not seen", h)
		}
	}
}

func TestHelpPerCommand(t *testing.T) {
	for _, args := range [][]string{{"daemon", "--help"}, {"send", "-h"}, {"help", "daemon"}, {"export", "bob", "--help"}} {
		code, out, errOut := runCLI(t, "", args...)
		cmd := args[0]
		if cmd == "help" {
			cmd = args[1]
		}
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "usage: hearth [--profile DIR] "+cmd+" ") || !strings.Contains(out, "--passphrase-file") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %s's usage on stdout and 0", args, code, out, errOut, cmd)
		}
		if strings.Contains(out, "hearth create-profile") && cmd != "create-profile" {
			t.Errorf("%q printed the usage of every command", args)
		}
	}
	if code, _, errOut := runCLI(t, "", "help", "nope"); code != 2 || !strings.Contains(errOut, `unknown command "nope"`) {
		t.Errorf("help nope: %d %q", code, errOut)
	}
	if code, out, _ := runCLI(t, "", "help"); code != 0 || !strings.Contains(out, "hearth [--profile DIR] daemon") {
		t.Errorf("help: %d %q", code, out)
	}
}
