package cli

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What peers write (names, notes, message bodies, file names) reaches a
// terminal and the daemon's log through this file. A terminal obeys the
// control characters in what it prints (ESC [2J clears the screen; a
// newline and "notice:" forges a log line) and reorders text after a
// bidirectional override, so every such character is shown as an escape
// instead: \n, \r, \t, \x1b-style for invalid bytes, \u202e-style for the
// rest. The \uXXXX form is also valid inside JSON strings, so JSON output
// goes through the same pass.

// isBidi reports the characters that change the direction of what
// follows: embeddings, overrides, isolates and marks.
func isBidi(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// unsafeRune reports what must not reach a terminal as it is: controls
// (C0, DEL, C1), bidi controls, and the line and paragraph separators.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || isBidi(r) || r == 0x2028 || r == 0x2029
}

// escapeField escapes everything unsafe in one field a peer chose, line
// breaks included: a field is printed on one line, never several.
func escapeField(s string) string { return escape(s, false) }

// escapeTerminal escapes what is unsafe in text about to be written to a
// terminal or log, keeping the newlines and tabs of Hearth's own layout.
func escapeTerminal(s string) string { return escape(s, true) }

func escape(s string, keepLayout bool) string {
	clean := true
	for i, r := range s {
		if r == utf8.RuneError || unsafeRune(r) && !(keepLayout && (r == '\n' || r == '\t')) {
			if r != utf8.RuneError || !validAt(s, i) {
				clean = false
				break
			}
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepLayout && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// validAt reports whether the U+FFFD at byte i of s is really written
// there (three bytes), not an invalid byte decoded as it.
func validAt(s string, i int) bool {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n == 3
}
