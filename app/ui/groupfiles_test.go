package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"hearth/app/core/event"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

// In a group, an incoming file's row names its sender, the sender's row
// counts the members who have it, and dropping a file sends it into the
// group.
func TestGroupTransferRows(t *testing.T) {
	mw, b, q := newGroupMain(t)
	conv := contacts.GroupConversation("fam")
	in := tr("in", contacts.Offered, false)
	in.Conversation, in.Sender = conv, "peer-gus"
	out := tr("out", contacts.Transferring, true)
	out.Conversation, out.Size, out.Done = conv, 1000, 600
	out.Recipients = map[string]contacts.TransferState{"peer-bob": contacts.Done, "peer-gus": contacts.Transferring}
	b.locked(func() { b.files.transfers[conv] = []contacts.Transfer{in, out} })
	button(t, mw.grp.root, "Family").OnTapped()
	if !mw.chat.attach.Visible() || !mw.chat.mic.Visible() {
		t.Fatal("no attach or mic button in a group")
	}

	if got := rowText(row(t, mw, "in")); !strings.Contains(got, "From Gus") {
		t.Errorf("incoming row: %q", got)
	}
	if got := buttonTexts(row(t, mw, "in")); !slices.Contains(got, "Accept") || !slices.Contains(got, "Decline") {
		t.Errorf("incoming row's buttons %q", got)
	}
	r := row(t, mw, "out")
	if got := rowText(r); !strings.Contains(got, "Sent to 1 of 2 members") || !strings.Contains(got, "600 B of 1.0 kB") {
		t.Errorf("sender's row: %q", got)
	}

	// Gus has it too: the sender's row says so.
	done := out
	done.State, done.Done = contacts.Done, out.Size
	done.Recipients = map[string]contacts.TransferState{"peer-bob": contacts.Done, "peer-gus": contacts.Done}
	b.events <- event.TransferChanged{Transfer: done}
	q.WaitFor(t, "delivered to both", func() bool { return strings.Contains(rowText(r), "Sent to 2 of 2 members ✓") })

	// A dropped file goes to the group.
	p := filepath.Join(t.TempDir(), "map.png")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	mw.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(p)})
	q.WaitFor(t, "the dropped file's row", func() bool { return uitest.HasText(mw.chat.root, "map.png") })
	b.locked(func() {
		if !slices.Equal(b.files.sentFiles, []string{conv + "|" + p}) {
			t.Errorf("SendFile calls %q", b.files.sentFiles)
		}
	})
}
