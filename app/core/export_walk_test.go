package core

import (
	"strings"
	"testing"
	"time"

	"hearth/contacts"
)

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
