package archive

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/contacts"
	"hearth/contacts/store"
)

// SearchHit is one message found by SearchArchive, with what a results
// list shows.
type SearchHit struct {
	Message     contacts.Message
	ContactName string
	// Snippet is a short part of the body around the first match;
	// Match[0]:Match[1] is the matched word inside Snippet (bytes).
	Snippet string
	Match   [2]int
}

// snippetRunes bounds a snippet's length.
const snippetRunes = 80

// SearchArchive finds messages in every conversation, newest first, with
// the contact's name and a snippet around the match.
func (a *Archive) SearchArchive(query string, limit int) ([]SearchHit, error) {
	ms, err := a.d.Store.Search(query, limit)
	if err != nil {
		return nil, fmt.Errorf("searching messages: %w", err)
	}
	hits := make([]SearchHit, len(ms))
	for i, msg := range ms {
		name := msg.Conversation
		if gid, ok := contacts.GroupID(msg.Conversation); ok {
			if g, err := a.d.Store.Group(gid); err == nil {
				name = g.Name
			}
		} else if id, err := peer.Decode(msg.Conversation); err == nil {
			if c, ok := a.d.Book.Get(id); ok {
				name = book.DisplayName(c)
			}
		}
		hits[i] = SearchHit{Message: msg, ContactName: name}
		hits[i].Snippet, hits[i].Match = Snippet(msg.Body, query, snippetRunes)
	}
	return hits, nil
}

// Snippet cuts up to n runes of body around the first word that starts
// with one of query's words (case-insensitively), adding "…" where it cut,
// and returns the byte range of that word inside the snippet (0,0 when
// none matched).
func Snippet(body, query string, n int) (string, [2]int) {
	body = strings.Join(strings.Fields(body), " ")
	terms := strings.FieldsFunc(strings.ToLower(query), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	lower := strings.ToLower(body)
	at, end := -1, -1
	for _, t := range terms {
		for i := 0; i < len(lower); {
			j := strings.Index(lower[i:], t)
			if j < 0 {
				break
			}
			j += i
			prev, _ := utf8.DecodeLastRuneInString(lower[:j])
			if j == 0 || !(unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
				if at < 0 || j < at {
					at = j
					end = j + len(t)
					for end < len(lower) {
						r, size := utf8.DecodeRuneInString(lower[end:])
						if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
							break
						}
						end += size
					}
				}
				break
			}
			i = j + 1
		}
	}
	// ToLower can change byte lengths for a few scripts; fall back to the
	// start of the body then.
	if len(lower) != len(body) || at < 0 {
		at, end = -1, -1
	}
	runes := []rune(body)
	if len(runes) <= n {
		if at < 0 {
			return body, [2]int{}
		}
		return body, [2]int{at, end}
	}
	startRune := 0
	if at >= 0 {
		startRune = max(0, utf8.RuneCountInString(body[:at])-n/3)
	}
	endRune := min(len(runes), startRune+n)
	startRune = max(0, endRune-n)
	s := string(runes[startRune:endRune])
	prefix := ""
	if startRune > 0 {
		prefix = "…"
	}
	out := prefix + s
	if endRune < len(runes) {
		out += "…"
	}
	if at < 0 {
		return out, [2]int{}
	}
	off := len(prefix) + at - len(string(runes[:startRune]))
	return out, [2]int{off, min(off+end-at, len(out))}
}

// MessagesAround returns a message of a conversation with up to n messages
// on each side, oldest first: what a search result opens.
func (a *Archive) MessagesAround(peerID, messageID string, n int) ([]contacts.Message, error) {
	ms, err := a.d.Store.MessagesAround(peerID, messageID, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, base.ErrUnknownMessage
	}
	return ms, err
}
