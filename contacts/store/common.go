package store

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hearth/contacts"
)

// unixNano stores a time as nanoseconds since the Unix epoch; the zero time
// is stored as 0 (its UnixNano is undefined).
// Times are stored as Unix nanoseconds, which reach only the years 1678 to
// 2262: t.UnixNano outside them overflows (year 9999 came back as 1816).
// Such times saturate at the ends of the range instead, so they keep their
// order and never wrap; the core bounds every time a peer sends anyway.
var (
	minStoredTime = time.Unix(0, math.MinInt64+1)
	maxStoredTime = time.Unix(0, math.MaxInt64)
)

func unixNano(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(minStoredTime):
		return math.MinInt64 + 1
	case t.After(maxStoredTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// sortContacts orders contacts by display name, case-insensitively, then by
// peer ID so that the order is total.
func sortContacts(cs []contacts.Contact) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := strings.ToLower(cs[i].Name), strings.ToLower(cs[j].Name)
		if a != b {
			return a < b
		}
		return cs[i].PeerID < cs[j].PeerID
	})
}

// Search limits: a query is cut to this many terms of this many bytes, so a
// pasted novel cannot turn into a pathological full-text query.
const (
	maxSearchTerms   = 16
	maxSearchTermLen = 64
)

// isWordRune reports whether r belongs to a word. It mirrors FTS5's
// unicode61 tokenizer closely enough: letters, digits and private-use
// characters are word characters; combining marks stay with their letter.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Co, r)
}

// words splits s into folded words (lower case, common Latin diacritics
// removed), the way the full-text index sees message bodies and queries.
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		if r == utf8.RuneError || !isWordRune(r) {
			flush()
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent: dropped, as remove_diacritics does
		}
		b.WriteRune(foldRune(r))
	}
	flush()
	return out
}

// searchTerms turns arbitrary user text into at most maxSearchTerms words.
// Only word characters survive, so nothing in a term can be FTS5 syntax.
func searchTerms(query string) []string {
	ws := words(query)
	if len(ws) > maxSearchTerms {
		ws = ws[:maxSearchTerms]
	}
	for i, w := range ws {
		if len(w) > maxSearchTermLen {
			// Cut on a rune boundary.
			n := maxSearchTermLen
			for n > 0 && !utf8.RuneStart(w[n]) {
				n--
			}
			ws[i] = w[:n]
		}
	}
	return ws
}

// ftsQuery builds an FTS5 query in which every term is a quoted prefix
// phrase; the terms are ANDed. Terms never contain a double quote.
func ftsQuery(terms []string) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(t)
		b.WriteString(`"*`)
	}
	return b.String()
}

// matches reports whether every term is a prefix of some word of body: the
// FTS5 query above, checked in Go (see search.go).
func matches(body []string, terms []string) bool {
	for _, t := range terms {
		found := false
		for _, w := range body {
			if strings.HasPrefix(w, t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// foldRune lower-cases r and strips the diacritics of precomposed Latin
// letters, approximating FTS5's "unicode61 remove_diacritics 2".
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r < 0xC0 || r > 0x17F {
		return r
	}
	if f, ok := latinFold[r]; ok {
		return f
	}
	return r
}

var latinFold = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáâãäåāăą",
		'c': "çćĉċč",
		'd': "ď",
		'e': "èéêëēĕėęě",
		'g': "ĝğġģ",
		'h': "ĥ",
		'i': "ìíîïĩīĭįİ",
		'j': "ĵ",
		'k': "ķ",
		'l': "ĺļľ",
		'n': "ñńņň",
		'o': "òóôõöōŏő",
		'r': "ŕŗř",
		's': "śŝşš",
		't': "ţť",
		'u': "ùúûüũūŭůűų",
		'w': "ŵ",
		'y': "ýÿŷ",
		'z': "źżž",
	}
	m := make(map[rune]rune)
	for base, accented := range groups {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// encodeRecipients writes a group file's recipients as sorted
// "peer=state" lines; decodeRecipients reads them back.
func encodeRecipients(r map[string]contacts.TransferState) string {
	var b strings.Builder
	for _, p := range slices.Sorted(maps.Keys(r)) {
		fmt.Fprintf(&b, "%s=%d\n", p, int(r[p]))
	}
	return b.String()
}

func decodeRecipients(s string) map[string]contacts.TransferState {
	var r map[string]contacts.TransferState
	for line := range strings.SplitSeq(s, "\n") {
		p, v, ok := strings.Cut(line, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			continue
		}
		if r == nil {
			r = map[string]contacts.TransferState{}
		}
		r[p] = contacts.TransferState(n)
	}
	return r
}
