// Package policy reads a team's file-transfer policy and applies it.
//
// A team installs the policy as a JSON file, system-wide at SystemPath or
// as policy.json in a profile folder; the system file wins. For example:
//
//	{
//	  "transfers_off": false,
//	  "max_size": "25MB",
//	  "allowed_kinds": [".pdf", ".docx", "image/*"],
//	  "blocked_kinds": [".exe", "application/x-msdownload"],
//	  "auto_accept_below": "5MiB",
//	  "virus_scanner": "tcp:clamd.example.lan:3310"
//	}
//
// Every field is optional. Sizes are a number of bytes or a string with a
// unit (see ParseSize). Kinds are extensions (".pdf", ".tar.gz") or MIME
// types, exact or with a wildcard subtype ("image/*").
//
// Check applies the policy to a file on both sides of a transfer: the
// sender before offering, the recipient when the offer arrives (without
// the content yet; see CheckOffer) and again once the file has arrived, on
// its real first bytes. A file is judged by its name and by its content, so
// a program renamed to photo.jpg is still a program.
package policy

import (
	"fmt"
	"strings"
)

// DefaultAutoAccept is the size below which offered files are accepted
// without asking, unless a policy says otherwise.
const DefaultAutoAccept = 10 << 20

// Policy is the file policy in force.
type Policy struct {
	// TransfersOff refuses every file, both ways.
	TransfersOff bool
	// MaxSize is the largest file allowed, in bytes; 0 means no limit.
	MaxSize int64
	// Allowed, when not empty, lists the only kinds of file allowed;
	// Blocked lists kinds refused. Each entry is an extension (".pdf") or a
	// MIME pattern ("image/*"), in lower case.
	Allowed, Blocked []string
	// AutoAcceptBelow: offered files under this size are accepted without
	// asking; 0 asks for every file.
	AutoAcceptBelow int64
	// AutoAcceptFixed is true when the policy file sets AutoAcceptBelow;
	// otherwise the user may choose it.
	AutoAcceptFixed bool
	// Scanner is the ClamAV daemon received files are scanned with
	// ("unix:/path" or "tcp:host:port"); "" looks at its usual sockets.
	Scanner string
	// Source is the policy file this came from, "" for the defaults.
	Source string
}

// Default is the policy when no team has installed one: no limits, and
// files up to 10 MiB accepted without asking.
func Default() Policy {
	return Policy{AutoAcceptBelow: DefaultAutoAccept}
}

// Installed reports whether the policy came from a team's policy file.
func (p Policy) Installed() bool { return p.Source != "" }

// Check decides whether a file may be sent or received. name is the file's
// name (only its base name counts), size its length, head its first bytes
// (up to 512 are used) or nil when the content is not known yet. The error
// wraps ErrTransfersOff, ErrTooLarge, ErrKindNotAllowed or ErrInvalidSize,
// and its text is meant for the user.
func (p Policy) Check(name string, size int64, head []byte) error {
	sniffed := ""
	if head != nil {
		sniffed = Sniff(head)
	}
	return p.check(name, size, sniffed)
}

// CheckOffer is Check for a file offered by a peer, before any of its
// bytes arrived: mime is the type the sender sniffed ("" if none). The
// peer may lie about it; Check on the received bytes is what counts.
func (p Policy) CheckOffer(name string, size int64, mime string) error {
	return p.check(name, size, mime)
}

func (p Policy) check(name string, size int64, mime string) error {
	if p.TransfersOff {
		return ErrTransfersOff
	}
	if size < 0 {
		return ErrInvalidSize
	}
	if p.MaxSize > 0 && size > p.MaxSize {
		have, limit := FormatSize(size), FormatSize(p.MaxSize)
		if have == limit {
			// Just above the limit: rounding would say "1 KB, up to 1 KB".
			have, limit = fmt.Sprintf("%d bytes", size), fmt.Sprintf("%d bytes", p.MaxSize)
		}
		return &refusal{ErrTooLarge, fmt.Sprintf("This file is %s; your team's policy allows files up to %s", have, limit)}
	}
	if len(p.Allowed) == 0 && len(p.Blocked) == 0 {
		return nil
	}
	clean := cleanName(name)
	ext := extOf(clean)
	nameType := extTypes[ext]
	content := contentType(mime, ext, nameType)

	display := strings.TrimSpace(name)
	if i := strings.LastIndexAny(display, `/\`); i >= 0 {
		display = display[i+1:]
	}
	for _, k := range kinds(p.Blocked) {
		switch {
		case k.matchName(clean):
			return &refusal{ErrKindNotAllowed, fmt.Sprintf("%s files are blocked by your team's policy", quoteKind(k.String()))}
		case k.matchType(nameType):
			return &refusal{ErrKindNotAllowed, fmt.Sprintf("%s files are blocked by your team's policy", quoteKind(ext))}
		case k.matchType(content):
			return &refusal{ErrKindNotAllowed, fmt.Sprintf("%q is %s, which your team's policy blocks", display, describe(content))}
		}
	}

	if len(p.Allowed) == 0 {
		return nil
	}
	allowed := kinds(p.Allowed)
	if ext != "" && !matchesAny(allowed, func(k kind) bool { return k.matchName(clean) || k.matchType(nameType) }) {
		return &refusal{ErrKindNotAllowed, fmt.Sprintf("%s files are not allowed by your team's policy (allowed: %s)",
			quoteKind(ext), strings.Join(p.Allowed, ", "))}
	}
	if content != "" && content != nameType && !matchesAny(allowed, func(k kind) bool { return k.matchType(content) }) {
		return &refusal{ErrKindNotAllowed, fmt.Sprintf("%q is %s, which your team's policy does not allow (allowed: %s)",
			display, describe(content), strings.Join(p.Allowed, ", "))}
	}
	if ext == "" && content == "" && !explicitlyAllowed(allowed, baseType(mime)) {
		// Nothing tells what this file is: an allow-list cannot let it in
		// (unless it names the general type itself, as in "text/plain").
		return &refusal{ErrKindNotAllowed, fmt.Sprintf("%q has no extension and no recognisable content; your team's policy allows only: %s",
			display, strings.Join(p.Allowed, ", "))}
	}
	return nil
}

// contentType is the type a sniff (or an offered type) says, reduced to
// what matters for the policy: "" when it says nothing (plain text, unknown
// binary), and the name's own type when the sniff merely agrees with it in
// general terms (a .docx that sniffs as a ZIP archive is a .docx).
func contentType(sniffed, ext, nameType string) string {
	t := baseType(sniffed)
	if generic(t) {
		return ""
	}
	if t == nameType {
		return t
	}
	for _, e := range looksLike[t] {
		if e == ext {
			return nameType
		}
	}
	return t
}

// kinds parses policy entries; Load has validated them already, so a bad
// one (in a Policy built by hand) is skipped.
func kinds(entries []string) []kind {
	out := make([]kind, 0, len(entries))
	for _, e := range entries {
		if k, ok := parseKind(e); ok {
			out = append(out, k)
		}
	}
	return out
}

// explicitlyAllowed reports whether a MIME entry (not an extension's
// implied type) allows t.
func explicitlyAllowed(allowed []kind, t string) bool {
	return t != "" && matchesAny(allowed, func(k kind) bool { return k.ext == "" && k.matchType(t) })
}

func matchesAny(ks []kind, f func(kind) bool) bool {
	for _, k := range ks {
		if f(k) {
			return true
		}
	}
	return false
}

func quoteKind(ext string) string {
	if ext == "" {
		return "Files without an extension"
	}
	return `"` + ext + `"`
}

// typeNames says in words what the riskier or commoner types are.
var typeNames = map[string]string{
	"application/x-msdownload":     "a Windows program",
	"application/x-executable":     "a Linux program",
	"text/x-shellscript":           "a script",
	"application/x-bat":            "a Windows batch script",
	"application/x-msi":            "a Windows installer",
	"application/zip":              "a ZIP archive",
	"application/x-7z-compressed":  "a 7-Zip archive",
	"application/x-rar-compressed": "a RAR archive",
	"application/x-gzip":           "a gzip archive",
	"application/pdf":              "a PDF document",
	"text/html":                    "a web page",
}

// describe names a type for the user: "a Windows program
// (application/x-msdownload)", or just the type.
func describe(t string) string {
	if n, ok := typeNames[t]; ok {
		return n + " (" + t + ")"
	}
	switch typ, _, _ := strings.Cut(t, "/"); typ {
	case "image":
		return "an image (" + t + ")"
	case "audio":
		return "an audio file (" + t + ")"
	case "video":
		return "a video (" + t + ")"
	}
	return "of type " + t
}
