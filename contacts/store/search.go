package store

import (
	"strings"

	"hearth/contacts"
)

// Search over a large archive. An FTS5 prefix query ("word"*) merges the
// whole posting lists of every indexed word with that prefix before the
// first row comes out, so "the newest 50 matches" of a common word costs as
// much as all of them: hundreds of milliseconds in a million messages.
// Prefixes with a prefix index (migration 3: 2 to 6 characters) are read
// like a single word instead: lazily, newest first, stopping at the limit.
//
// A longer term is searched by its first indexedPrefix characters, and the
// rows that come back, newest first, are checked against the whole terms
// here (with matches) until limit of them match.
// That check folds letters like FTS5's tokenizer only for Latin script, so
// a long term with other letters falls back to the plain prefix query.

// indexedPrefix is the longest prefix the full-text index has a prefix
// index for (migration 3).
const indexedPrefix = 6

// search runs the query for searchTerms terms; limit < 0 means all.
// Callers hold s.mu and have brought the index up to date.
func (s *SQLite) search(terms []string, limit int) ([]contacts.Message, error) {
	cut, filter := make([]string, len(terms)), false
	for i, t := range terms {
		r := []rune(t)
		if len(r) <= indexedPrefix {
			cut[i] = t
			continue
		}
		if !latin(t) {
			filter = false
			break
		}
		cut[i], filter = string(r[:indexedPrefix]), true
	}
	if !filter {
		return s.queryMessages(`SELECT `+messageColumns+` FROM messages WHERE seq IN (
			SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?
		) ORDER BY seq DESC`, ftsQuery(terms), limit)
	}
	st, err := s.stmt(`SELECT messages.` + strings.ReplaceAll(messageColumns, ", ", ", messages.") + ` FROM messages_fts
		JOIN messages ON messages.seq = messages_fts.rowid
		WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC`)
	if err != nil {
		return nil, err
	}
	defer release(st)
	if err := st.BindText(1, ftsQuery(cut)); err != nil {
		return nil, err
	}
	var out []contacts.Message
	for (limit < 0 || len(out) < limit) && st.Step() {
		if m := scanMessage(st); matches(words(m.Body), terms) {
			out = append(out, m)
		}
	}
	if err := st.Err(); err != nil {
		return nil, mapErr(err)
	}
	return out, nil
}

// latin reports whether every letter of a folded term is one foldRune
// folds as FTS5 does (ASCII and Latin-1/Latin Extended-A).
func latin(t string) bool {
	for _, r := range t {
		if r >= 0x180 {
			return false
		}
	}
	return true
}
