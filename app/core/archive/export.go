package archive

import (
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/contacts"
)

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
func (a *Archive) Export(peerID string, f ExportFormat, w io.Writer) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	c, ok := a.d.Book.Get(id)
	if !ok {
		return book.ErrUnknownPeer
	}
	ms, err := a.d.Store.Messages(peerID, 0)
	if err != nil {
		return fmt.Errorf("reading conversation: %w", err)
	}
	conv := ExportedConversation{
		MyName: a.d.Name(), MyID: a.d.Self.String(),
		Contact: c, Messages: ms, At: time.Now(),
		Compliance: a.Compliance(peerID),
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
	them := book.DisplayName(conv.Contact)
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
