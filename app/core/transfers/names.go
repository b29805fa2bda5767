package transfers

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// File names come from peers. A name is saved in the download folder,
// shown in lists and opened by the desktop, so before it is stored it is
// made safe: no folder part, no control characters, no bidirectional
// overrides ("evil\u202egnp.exe" shows as "evilexe.png"), no leading dot
// (a hidden file), bounded length.
const maxNameBytes = 200

// riskyExt are endings the desktop runs rather than opens: such a file is
// never accepted without asking, whatever its size.
var riskyExt = map[string]bool{
	".desktop": true, ".sh": true, ".bash": true, ".run": true, ".appimage": true,
	".exe": true, ".com": true, ".bat": true, ".cmd": true, ".scr": true, ".msi": true, ".pif": true,
	".ps1": true, ".vbs": true, ".js": true, ".jar": true, ".lnk": true, ".command": true, ".app": true,
	".deb": true, ".rpm": true, ".py": true, ".pl": true,
}

// SafeFileName turns a name a peer offered into one that is safe to store,
// show and save.
func SafeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != 0x200d || r == 0x2028 || r == 0x2029 {
			return -1 // bidi controls are format characters (Cf); the joiner emoji need stays
		}
		return r
	}, name)
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	if len(name) > maxNameBytes {
		ext := filepath.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		stem := name[:maxNameBytes-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	if name == "" {
		return "file"
	}
	return name
}

// RiskyName reports whether a (safe) file name is one the desktop would
// run: it is never accepted automatically.
func RiskyName(name string) bool {
	return riskyExt[strings.ToLower(filepath.Ext(name))]
}
