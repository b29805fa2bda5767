package desktop

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// DownloadDir is the user's download folder: XDG_DOWNLOAD_DIR from the
// environment, else from user-dirs.dirs (written by xdg-user-dirs in the
// user's language, e.g. ~/Téléchargements), else ~/Downloads.
func DownloadDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if d := expandHome(os.Getenv("XDG_DOWNLOAD_DIR"), home); d != "" {
		return d, nil
	}
	if d := userDir(userDirsFile(home), "XDG_DOWNLOAD_DIR", home); d != "" {
		return d, nil
	}
	return filepath.Join(home, "Downloads"), nil
}

// userDirsFile is $XDG_CONFIG_HOME/user-dirs.dirs.
func userDirsFile(home string) string {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(cfg) {
		cfg = filepath.Join(home, ".config")
	}
	return filepath.Join(cfg, "user-dirs.dirs")
}

// userDir reads key from a user-dirs.dirs file: lines KEY="$HOME/path"
// or KEY="/abs/path" (the only forms xdg-user-dirs writes). A folder set
// to the home itself means "none" (xdg-user-dirs' way to disable one).
func userDir(file, key, home string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	found := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) != key {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		found = expandHome(strings.ReplaceAll(v, `\"`, `"`), home)
	}
	if filepath.Clean(found) == filepath.Clean(home) {
		return ""
	}
	return found
}

// expandHome turns "$HOME/x" into home/x; a path that is not absolute
// after that is refused ("").
func expandHome(p, home string) string {
	switch {
	case p == "$HOME":
		p = home
	case strings.HasPrefix(p, "$HOME/"):
		p = filepath.Join(home, p[len("$HOME/"):])
	}
	if !filepath.IsAbs(p) {
		return ""
	}
	return filepath.Clean(p)
}
