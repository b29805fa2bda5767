package core

import (
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/contacts/store"
)

// The archive: search across conversations, export, retention.

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
func (m *Messenger) SearchArchive(query string, limit int) ([]SearchHit, error) {
	ms, err := m.store.Search(query, limit)
	if err != nil {
		return nil, fmt.Errorf("searching messages: %w", err)
	}
	hits := make([]SearchHit, len(ms))
	for i, msg := range ms {
		name := msg.Conversation
		if gid, ok := contacts.GroupID(msg.Conversation); ok {
			if g, err := m.store.Group(gid); err == nil {
				name = g.Name
			}
		} else if id, err := peer.Decode(msg.Conversation); err == nil {
			if c, ok := m.contact(id); ok {
				name = displayName(c)
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
func (m *Messenger) MessagesAround(peerID, messageID string, n int) ([]contacts.Message, error) {
	ms, err := m.store.MessagesAround(peerID, messageID, n)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownMessage
	}
	return ms, err
}

// ExportFormat is a format Export writes.
type ExportFormat string

const (
	ExportHTML ExportFormat = "html"
	ExportText ExportFormat = "text"
)

// ParseExportFormat accepts "html" or "text" (and "txt").
func ParseExportFormat(s string) (ExportFormat, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "html", "htm":
		return ExportHTML, nil
	case "text", "txt", "plain":
		return ExportText, nil
	}
	return "", fmt.Errorf("%w: %q (use html or text)", ErrExportFormat, s)
}

// Export writes a whole conversation, oldest first, to w.
func (m *Messenger) Export(peerID string, f ExportFormat, w io.Writer) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return ErrUnknownPeer
	}
	c, ok := m.contact(id)
	if !ok {
		return ErrUnknownPeer
	}
	ms, err := m.store.Messages(peerID, 0)
	if err != nil {
		return fmt.Errorf("reading conversation: %w", err)
	}
	conv := ExportedConversation{
		MyName: m.MyName(), MyID: m.prof.ID.String(),
		Contact: c, Messages: ms, At: time.Now(),
		Compliance: m.Compliance(peerID),
	}
	return WriteExport(w, f, conv)
}

// ExportedConversation is what an export holds.
type ExportedConversation struct {
	MyName, MyID string
	Contact      contacts.Contact
	Messages     []contacts.Message
	At           time.Time // when the export was made
	Compliance   bool      // the conversation is archived for compliance
}

// WriteExport renders conv as a self-contained HTML page (every text
// escaped, no external resources) or as plain text.
func WriteExport(w io.Writer, f ExportFormat, conv ExportedConversation) error {
	var b strings.Builder
	them := displayName(conv.Contact)
	author := func(msg contacts.Message) string {
		if msg.Outgoing {
			return conv.MyName
		}
		return them
	}
	stamp := func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") }
	title := "Conversation between " + conv.MyName + " and " + them
	switch f {
	case ExportText:
		fmt.Fprintf(&b, "%s\n%s: %s\n%s: %s\nExported %s, %d messages\n", title,
			conv.MyName, conv.MyID, them, conv.Contact.PeerID, stamp(conv.At), len(conv.Messages))
		if conv.Compliance {
			b.WriteString("This conversation is archived for compliance.\n")
		}
		b.WriteString("\n")
		for _, msg := range conv.Messages {
			body := strings.ReplaceAll(exportBody(msg), "\n", "\n    ")
			fmt.Fprintf(&b, "[%s] %s: %s\n", stamp(msg.SentAt), author(msg), body)
		}
	case ExportHTML:
		e := html.EscapeString
		b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
		fmt.Fprintf(&b, "<title>%s</title>\n", e(title))
		b.WriteString(`<style>
body{font-family:sans-serif;max-width:50em;margin:2em auto;color:#222}
.meta{color:#666;font-size:90%}
.banner{background:#fff3cd;border:1px solid #e0c060;padding:.5em 1em;margin:1em 0}
.msg{margin:.4em 0;padding:.3em .6em;border-radius:6px;background:#f1f1f1;white-space:pre-wrap}
.msg.out{background:#dcecff}
.who{font-weight:bold}.when{color:#666;font-size:85%;margin-left:.5em}
@media print{.msg{break-inside:avoid}}
</style></head><body>
`)
		fmt.Fprintf(&b, "<h1>%s</h1>\n<p class=\"meta\">%s: %s<br>%s: %s<br>Exported %s, %d messages</p>\n",
			e(title), e(conv.MyName), e(conv.MyID), e(them), e(conv.Contact.PeerID), e(stamp(conv.At)), len(conv.Messages))
		if conv.Compliance {
			b.WriteString("<div class=\"banner\">This conversation is archived for compliance.</div>\n")
		}
		for _, msg := range conv.Messages {
			class := "msg"
			if msg.Outgoing {
				class += " out"
			}
			fmt.Fprintf(&b, "<div class=\"%s\"><span class=\"who\">%s</span><span class=\"when\">%s</span>\n%s</div>\n",
				class, e(author(msg)), e(stamp(msg.SentAt)), e(exportBody(msg)))
		}
		b.WriteString("</body></html>\n")
	default:
		return fmt.Errorf("%w: %q", ErrExportFormat, f)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// exportBody is a message's text in an export: a message deleted for
// everyone says so (it used to leave an empty entry), and an edited one is
// marked, as in the chat.
func exportBody(msg contacts.Message) string {
	switch {
	case msg.Deleted:
		return "(this message was deleted)"
	case !msg.Edited.IsZero():
		return msg.Body + " (edited)"
	}
	return msg.Body
}

// Retention.

const (
	settingRetentionPrefix = "retention.days."
	// MaxRetentionDays bounds a retention period (about 100 years).
	MaxRetentionDays = 36500
)

// retentionInterval is how often retention is enforced while running.
var retentionInterval = time.Hour

// Retention returns how many days a conversation's messages are kept; 0
// means forever.
func (m *Messenger) Retention(peerID string) int {
	b, err := m.store.Setting(settingRetentionPrefix + peerID)
	if err != nil {
		return 0
	}
	d, err := strconv.Atoi(string(b))
	if err != nil || d < 0 || d > MaxRetentionDays {
		return 0
	}
	return d
}

// SetRetention keeps a conversation's messages for days days (0: forever)
// and enforces it at once.
func (m *Messenger) SetRetention(peerID string, days int) error {
	if days < 0 || days > MaxRetentionDays {
		return fmt.Errorf("%w (0 to %d days)", ErrRetention, MaxRetentionDays)
	}
	if _, err := peer.Decode(peerID); err != nil {
		return ErrUnknownPeer
	}
	if err := m.store.SetSetting(settingRetentionPrefix+peerID, []byte(strconv.Itoa(days))); err != nil {
		return fmt.Errorf("saving retention: %w", err)
	}
	_, err := m.EnforceRetention()
	return err
}

// EnforceRetention deletes every expired message of every conversation
// with a retention period, then compacts the database so they are gone
// from the file too. It reports how many messages went.
func (m *Messenger) EnforceRetention() (int, error) {
	m.mu.Lock()
	ids := make([]string, 0, len(m.contacts))
	for id := range m.contacts {
		ids = append(ids, id.String())
	}
	m.mu.Unlock()
	total := 0
	now := time.Now()
	for _, id := range ids {
		days := m.Retention(id)
		if days == 0 {
			continue
		}
		n, err := m.store.DeleteMessagesBefore(id, now.Add(-time.Duration(days)*24*time.Hour))
		if err != nil {
			return total, fmt.Errorf("enforcing retention: %w", err)
		}
		total += n
		if n > 0 {
			m.publish(ConversationPruned{PeerID: id, Deleted: n})
		}
	}
	if total > 0 {
		if err := m.store.Vacuum(); err != nil {
			return total, fmt.Errorf("enforcing retention: %w", err)
		}
	}
	return total, nil
}

// retentionLoop enforces retention at start and every retentionInterval.
func (m *Messenger) retentionLoop() {
	t := time.NewTicker(retentionInterval)
	defer t.Stop()
	for {
		if _, err := m.EnforceRetention(); err != nil && m.ctx.Err() == nil {
			m.publish(Notice{Text: err.Error(), At: time.Now()})
		}
		select {
		case <-m.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ConversationPruned: retention deleted old messages of a conversation.
type ConversationPruned struct {
	PeerID  string
	Deleted int
}

func (ConversationPruned) isEvent() {}

var (
	// ErrUnknownMessage: no such message in that conversation (deleted by
	// retention, say).
	ErrUnknownMessage = errors.New("that message is no longer in the conversation")
	// ErrExportFormat: not html or text.
	ErrExportFormat = errors.New("unknown export format")
	// ErrRetention: a retention period out of range.
	ErrRetention = errors.New("retention must be a whole number of days")
)
