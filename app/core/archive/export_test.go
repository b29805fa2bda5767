package archive

import (
	"strings"
	"testing"
	"time"

	"hearth/contacts"
)

func TestExportEscapesAndCovers(t *testing.T) {
	conv := ExportedConversation{
		MyName: "Ann", MyID: "me",
		Contact:    contacts.Contact{PeerID: "them", Name: "Bob <script>"},
		Compliance: true,
		At:         time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Messages: []contacts.Message{
			{Body: "hi <b>there</b> & \"you\"", Outgoing: true, SentAt: time.Unix(1, 0)},
			{Body: "line one\nline two", SentAt: time.Unix(2, 0)},
		},
	}
	var h strings.Builder
	if err := WriteExport(&h, ExportHTML, conv); err != nil {
		t.Fatal(err)
	}
	out := h.String()
	for _, bad := range []string{"<script>", "<b>there"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML export contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"Bob &lt;script&gt;", "hi &lt;b&gt;there&lt;/b&gt; &amp; &#34;you&#34;", "archived for compliance", "<!DOCTYPE html>"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML export lacks %q", want)
		}
	}
	if strings.Contains(out, "http://") || strings.Contains(out, "https://") || strings.Contains(out, "src=") {
		t.Error("HTML export refers to something outside itself")
	}
	var txt strings.Builder
	if err := WriteExport(&txt, ExportText, conv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt.String(), "Ann: hi <b>there</b>") || !strings.Contains(txt.String(), "Bob <script>: line one\n    line two") {
		t.Errorf("text export:\n%s", txt.String())
	}
	if _, err := ParseExportFormat("pdf"); err == nil {
		t.Error("pdf accepted")
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("filler ", 30) + "the Holiday plans" + strings.Repeat(" more", 30)
	s, m := Snippet(long, "holi", 40)
	if got := s[m[0]:m[1]]; got != "Holiday" {
		t.Errorf("match = %q in %q", got, s)
	}
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet not cut on both sides: %q", s)
	}
	s, m = Snippet("short body", "nothing", 40)
	if s != "short body" || m != [2]int{} {
		t.Errorf("no match: %q %v", s, m)
	}
	// "lid" is inside a word, not at its start: no match there.
	if _, m := Snippet("valid", "lid", 40); m != [2]int{} {
		t.Errorf("matched inside a word: %v", m)
	}
}

func TestExportShowsDeletedAndEditedMessages(t *testing.T) {
	conv := ExportedConversation{
		MyName: "Ann", MyID: "me",
		Contact: contacts.Contact{PeerID: "them", Name: "Bob"},
		At:      time.Unix(10, 0),
		Messages: []contacts.Message{
			{Body: "", Deleted: true, Edited: time.Unix(3, 0), SentAt: time.Unix(1, 0)},
			{Body: "see you at six", Edited: time.Unix(4, 0), Outgoing: true, SentAt: time.Unix(2, 0)},
		},
	}
	for _, f := range []ExportFormat{ExportHTML, ExportText} {
		var b strings.Builder
		if err := WriteExport(&b, f, conv); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"(this message was deleted)", "see you at six (edited)"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s export lacks %q:\n%s", f, want, b.String())
			}
		}
	}
}
