package policy

import (
	"bytes"
	"net/http"
	"strings"
	"unicode"
)

// Sniff names the type of a file from its first bytes (up to 512 are
// used): net/http.DetectContentType, plus Windows and Linux programs, shell
// scripts, 7-Zip archives, ZIP-based documents (OOXML, OpenDocument) and
// the codec inside Ogg. An empty head gives "application/octet-stream".
func Sniff(head []byte) string {
	if len(head) > 512 {
		head = head[:512]
	}
	if len(head) == 0 {
		return "application/octet-stream"
	}
	switch {
	case bytes.HasPrefix(head, []byte("MZ")) && len(head) >= 4 && int(head[2])|int(head[3])<<8 < 512:
		// DOS and Windows executables (.exe, .dll, .scr …). The second
		// field (bytes in the last 512-byte page) keeps text that happens
		// to start with "MZ" from counting.
		return "application/x-msdownload"
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "application/x-executable"
	case bytes.HasPrefix(head, []byte("#!")):
		return "text/x-shellscript"
	case bytes.HasPrefix(head, []byte("7z\xbc\xaf\x27\x1c")):
		return "application/x-7z-compressed"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(head)
	case bytes.HasPrefix(head, []byte("OggS\x00")):
		return sniffOgg(head)
	}
	return http.DetectContentType(head)
}

// sniffZip tells documents stored as ZIP archives from plain archives, by
// the first entry: OpenDocument starts with an uncompressed "mimetype"
// entry holding its type; OOXML usually starts with "[Content_Types].xml"
// and names its main part ("word/", "xl/", "ppt/") early.
func sniffZip(head []byte) string {
	const localHeader = 30
	if len(head) >= localHeader {
		nameLen := int(head[26]) | int(head[27])<<8
		extraLen := int(head[28]) | int(head[29])<<8
		size := int(head[18]) | int(head[19])<<8 | int(head[20])<<16 | int(head[21])<<24
		start := localHeader + nameLen + extraLen
		if string(head[localHeader:min(localHeader+nameLen, len(head))]) == "mimetype" &&
			size > 0 && size <= 100 && start+size <= len(head) {
			if t := string(head[start : start+size]); strings.HasPrefix(t, "application/vnd.oasis.opendocument.") {
				return t
			}
		}
	}
	switch {
	case bytes.Contains(head, []byte("word/")):
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case bytes.Contains(head, []byte("xl/")):
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case bytes.Contains(head, []byte("ppt/")):
		return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	}
	return "application/zip"
}

// sniffOgg names an Ogg file by the codec of its first stream, whose
// header packet starts at byte 28 of the first page (after a one-segment
// table, which is what every encoder writes for the first page).
func sniffOgg(head []byte) string {
	if len(head) < 27 {
		return "application/ogg"
	}
	packet := head[27+min(int(head[26]), len(head)-27):]
	switch {
	case bytes.HasPrefix(packet, []byte("OpusHead")):
		return "audio/ogg; codecs=opus"
	case bytes.HasPrefix(packet, []byte("\x01vorbis")):
		return "audio/ogg; codecs=vorbis"
	case bytes.HasPrefix(packet, []byte("\x7fFLAC")):
		return "audio/ogg; codecs=flac"
	case bytes.HasPrefix(packet, []byte("\x80theora")):
		return "video/ogg"
	}
	return "application/ogg"
}

// extTypes maps extensions to their MIME types. It is built in, not read
// from the system's mime.types, so that every Hearth decides alike.
var extTypes = map[string]string{
	".7z":   "application/x-7z-compressed",
	".apk":  "application/vnd.android.package-archive",
	".avif": "image/avif",
	".bat":  "application/x-bat",
	".bmp":  "image/bmp",
	".cmd":  "application/x-bat",
	".com":  "application/x-msdownload",
	".csv":  "text/csv",
	".dll":  "application/x-msdownload",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".elf":  "application/x-executable",
	".epub": "application/epub+zip",
	".exe":  "application/x-msdownload",
	".flac": "audio/flac",
	".gif":  "image/gif",
	".gz":   "application/x-gzip",
	".htm":  "text/html",
	".html": "text/html",
	".ico":  "image/x-icon",
	".jar":  "application/java-archive",
	".jpeg": "image/jpeg",
	".jpg":  "image/jpeg",
	".js":   "text/javascript",
	".json": "application/json",
	".m4a":  "audio/mp4",
	".md":   "text/markdown",
	".mkv":  "video/x-matroska",
	".mov":  "video/quicktime",
	".mp3":  "audio/mpeg",
	".mp4":  "video/mp4",
	".msi":  "application/x-msi",
	".odp":  "application/vnd.oasis.opendocument.presentation",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odt":  "application/vnd.oasis.opendocument.text",
	".oga":  "audio/ogg",
	".ogg":  "audio/ogg",
	".ogv":  "video/ogg",
	".opus": "audio/ogg",
	".pdf":  "application/pdf",
	".png":  "image/png",
	".ppt":  "application/vnd.ms-powerpoint",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".ps1":  "application/x-powershell",
	".rar":  "application/x-rar-compressed",
	".rtf":  "text/rtf",
	".scr":  "application/x-msdownload",
	".sh":   "text/x-shellscript",
	".svg":  "image/svg+xml",
	".tar":  "application/x-tar",
	".tgz":  "application/x-gzip",
	".tif":  "image/tiff",
	".tiff": "image/tiff",
	".txt":  "text/plain",
	".wav":  "audio/wave",
	".webm": "video/webm",
	".webp": "image/webp",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".xml":  "text/xml",
	".zip":  "application/zip",
}

// looksLike lists, for types whose content sniffs as something more
// general, what they sniff as: a .docx may sniff as a plain ZIP, an .svg
// as XML. Such a sniff agrees with the name and is read as the name's type.
var looksLike = map[string][]string{
	"application/zip": {".apk", ".docx", ".epub", ".jar", ".odp", ".ods", ".odt", ".pptx", ".xlsx"},
	"text/xml":        {".svg"},
	"application/ogg": {".oga", ".ogg", ".ogv", ".opus"},
	"audio/ogg":       {".oga", ".ogg", ".opus"},
	"text/html":       {".svg"}, // an SVG starting with a comment
}

// baseType strips parameters and case: "Text/Plain; charset=utf-8" →
// "text/plain".
func baseType(t string) string {
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return strings.ToLower(strings.TrimSpace(t))
}

// generic reports whether a sniffed type says nothing useful about a file:
// plain text and unknown binary data.
func generic(t string) bool {
	switch t {
	case "", "application/octet-stream", "text/plain":
		return true
	}
	return false
}

// cleanName reduces a file name to what decides its kind: the base name
// (after the last / or \), lower case, without control or invisible
// formatting characters (a right-to-left override or a zero-width space
// can make "evil\u202egpj.exe" look like "evilexe.jpg"), and without the
// trailing dots and spaces that Windows drops ("evil.exe." is evil.exe).
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimRightFunc(name, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
	return strings.ToLower(name)
}

// extOf returns the last extension of a cleaned name, with its dot; ""
// when there is none. A name that is only an extension (".exe") has one.
func extOf(clean string) string {
	i := strings.LastIndexByte(clean, '.')
	if i < 0 {
		return ""
	}
	ext := clean[i:]
	if strings.TrimSpace(ext) != ext {
		// "photo. jpg": the space keeps any OS from reading an extension
		// there, but we still judge the file by what follows the dot.
		ext = "." + strings.TrimSpace(ext[1:])
	}
	return ext
}

// kind is a parsed policy entry: an extension (".tar.gz") or a MIME
// pattern ("image/*", "application/pdf", "*/*").
type kind struct {
	ext  string // with its dot, lower case; "" for a MIME pattern
	mime string // lower case
}

func (k kind) String() string {
	if k.ext != "" {
		return k.ext
	}
	return k.mime
}

// matchName reports whether an extension entry matches a cleaned name:
// ".gz" and ".tar.gz" both match "x.tar.gz".
func (k kind) matchName(clean string) bool {
	return k.ext != "" && strings.HasSuffix(clean, k.ext)
}

// matchType reports whether a MIME entry matches a base type. An
// extension entry matches the type it implies, unless that is generic
// (blocking ".txt" must not block every text file).
func (k kind) matchType(t string) bool {
	if t == "" {
		return false
	}
	if k.ext != "" {
		et := extTypes[k.ext]
		return et != "" && !generic(et) && et == t
	}
	if k.mime == "*/*" || k.mime == t {
		return true
	}
	if prefix, ok := strings.CutSuffix(k.mime, "/*"); ok {
		return strings.HasPrefix(t, prefix+"/")
	}
	return false
}

// parseKind reads one entry of allowed_kinds or blocked_kinds.
func parseKind(s string) (kind, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case len(s) > 1 && s[0] == '.' && !strings.ContainsAny(s, `/\*; `):
		return kind{ext: s}, true
	case strings.Count(s, "/") == 1:
		typ, sub, _ := strings.Cut(s, "/")
		switch {
		case typ == "*" && sub == "*", mimeToken(typ) && (sub == "*" || mimeToken(sub)):
			return kind{mime: s}, true
		}
	}
	return kind{}, false
}

// mimeToken reports whether s is a valid type or subtype name (RFC 6838:
// a letter or digit, then letters, digits and !#$&-^_.+).
func mimeToken(s string) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("!#$&-^_.+", rune(c))) {
			return false
		}
	}
	return true
}
