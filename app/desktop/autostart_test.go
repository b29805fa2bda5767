//go:build !windows

package desktop

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostartEntry(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if Autostart() {
		t.Fatal("autostart on in an empty config folder")
	}
	if err := SetAutostart(true); err != nil {
		t.Fatal(err)
	}
	if !Autostart() {
		t.Fatal("autostart off after SetAutostart(true)")
	}
	f := filepath.Join(cfg, "autostart", "org.hearth.Hearth.desktop")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := executable()
	if !strings.Contains(string(b), "\nExec="+quoteExec(exe)+" --background\n") {
		t.Errorf("entry does not start this program in the background:\n%s", b)
	}
	// The entry must be one desktop-file-validate accepts, when it is here.
	if v, err := exec.LookPath("desktop-file-validate"); err == nil {
		if out, err := exec.Command(v, f).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("desktop-file-validate: %v\n%s", err, out)
		}
	} else if os.Getenv("CI") != "" {
		t.Error("desktop-file-validate is missing in CI (Debian package desktop-file-utils)")
	}
	if err := SetAutostart(false); err != nil {
		t.Fatal(err)
	}
	if Autostart() {
		t.Error("autostart still on after SetAutostart(false)")
	}
	if err := SetAutostart(false); err != nil {
		t.Errorf("turning off twice: %v", err)
	}
}

func TestQuoteExec(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/hearth":        "/usr/bin/hearth",
		"/opt/My Apps/hearth":    `"/opt/My Apps/hearth"`,
		`/opt/a"b/hearth`:        `"/opt/a\\"b/hearth"`,
		`/opt/$x/hearth`:         `"/opt/\\$x/hearth"`,
		`/opt/back\slash/hearth`: `"/opt/back\\\\slash/hearth"`,
	} {
		if got := quoteExec(in); got != want {
			t.Errorf("quoteExec(%q) = %s, want %s", in, got, want)
		}
	}
}
