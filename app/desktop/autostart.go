package desktop

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// AppID names Hearth's desktop entry and autostart entry.
const AppID = "org.hearth.Hearth"

// BackgroundFlag is the flag an autostarted Hearth runs with: it starts
// hidden, with its tray icon.
const BackgroundFlag = "--background"

// ErrNoExecutable: Hearth cannot tell where its own program file is, so it
// cannot ask to be started from there.
var ErrNoExecutable = errors.New("cannot find Hearth's program file")

// autostartFile is $XDG_CONFIG_HOME/autostart/org.hearth.Hearth.desktop,
// which XDG desktops (GNOME, KDE, Xfce …) start at login.
func autostartFile() (string, error) {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(cfg) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		cfg = filepath.Join(home, ".config")
	}
	return filepath.Join(cfg, "autostart", AppID+".desktop"), nil
}

// autostartEntry is the desktop entry that starts exe in the background.
func autostartEntry(exe string) string {
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Hearth\n" +
		"Comment=Keeps Hearth running in the background so your contacts can reach you\n" +
		"Exec=" + quoteExec(exe) + " " + BackgroundFlag + "\n" +
		"Icon=" + AppID + "\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// quoteExec quotes a program path for a desktop entry's Exec key, as the
// Desktop Entry Specification says: inside double quotes, ", `, $ and \
// take a backslash; and the key's own escaping doubles each backslash.
func quoteExec(p string) string {
	if !strings.ContainsAny(p, " \t\n\"'\\><~|&;$*?#()`") {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range p {
		switch r {
		case '"', '`', '$':
			b.WriteString(`\\`)
		case '\\':
			b.WriteString(`\\\\`)
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// executable is the running program's path, symlinks resolved.
func executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", ErrNoExecutable
	}
	if r, err := filepath.EvalSymlinks(exe); err == nil {
		exe = r
	}
	return exe, nil
}
