package desktop

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDownloadDirFollowsXDG(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, "cfg")
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("XDG_DOWNLOAD_DIR", "")
	check := func(want string) {
		t.Helper()
		got, err := DownloadDir()
		if err != nil || got != want {
			t.Errorf("DownloadDir() = %q, %v; want %q", got, err, want)
		}
	}
	check(filepath.Join(home, "Downloads")) // nothing set
	os.MkdirAll(cfg, 0o755)
	os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("# written by xdg-user-dirs-update\n"+
		"XDG_DESKTOP_DIR=\"$HOME/Bureau\"\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"), 0o644)
	check(filepath.Join(home, "Téléchargements"))
	os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("XDG_DOWNLOAD_DIR=\"/srv/dl\"\n"), 0o644)
	check("/srv/dl")
	// Set to the home itself: xdg-user-dirs' way of saying "none".
	os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("XDG_DOWNLOAD_DIR=\"$HOME/\"\n"), 0o644)
	check(filepath.Join(home, "Downloads"))
	// A relative or garbled value is ignored, never used relative to the
	// working folder.
	os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("XDG_DOWNLOAD_DIR=Downloads\nXDG_DOWNLOAD_DIR\n"), 0o644)
	check(filepath.Join(home, "Downloads"))
	// The environment wins over the file.
	t.Setenv("XDG_DOWNLOAD_DIR", "$HOME/Incoming")
	check(filepath.Join(home, "Incoming"))
}
