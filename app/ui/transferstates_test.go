package ui

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/app/core/event"
	"hearth/app/ui/transfer"
	"hearth/contacts"
)

// TestOutgoingTransferLifecycle follows one sent file through every state
// its row can show, in place, as core reports them: offered, sending with
// progress, speed and time left, paused, sending again, delivered; and a
// second file blocked by the recipient's scanner.
func TestOutgoingTransferLifecycle(t *testing.T) {
	x := tr("out", contacts.Offered, true)
	x.Size = 50_000_000
	clock := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	mw, b, q := newTestMain(t)
	mw.chat.now = func() time.Time { return clock }
	b.locked(func() { b.files.transfers["peer-bob"] = []contacts.Transfer{x} })
	mw.OpenConversation("peer-bob")
	r := row(t, mw, "out")
	update := func(at time.Duration, f func(*contacts.Transfer)) {
		t.Helper()
		f(&x)
		clock = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC).Add(at)
		b.events <- event.TransferChanged{Transfer: x}
		q.WaitFor(t, "the update", func() bool { return reflect.DeepEqual(r.Transfer, x) })
	}
	check := func(step string, want []string, buttons []string) {
		t.Helper()
		got := rowText(r)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q not in %q", step, w, got)
			}
		}
		if bs := buttonTexts(r); !slices.Equal(bs, buttons) {
			t.Errorf("%s: buttons %q, want %q", step, bs, buttons)
		}
		if mw.chat.transfers["out"] != r {
			t.Fatalf("%s: the row was rebuilt", step)
		}
	}

	check("offered", []string{"out.pdf", "50 MB", "Waiting for Bob to accept"}, []string{"Cancel"})
	update(0, func(x *contacts.Transfer) { x.State = contacts.Transferring })
	check("accepted", []string{"0 B of 50 MB", "Starting…"}, []string{"Pause", "Cancel"})
	if !r.Progress.Visible() || r.Progress.Value != 0 {
		t.Errorf("accepted: progress %v %v", r.Progress.Visible(), r.Progress.Value)
	}
	update(time.Second, func(x *contacts.Transfer) { x.Done = 10_000_000 })
	check("sending", []string{"10 MB of 50 MB", "10 MB/s · ", "left"}, []string{"Pause", "Cancel"})
	if r.Progress.Value != 0.2 {
		t.Errorf("sending: progress %v", r.Progress.Value)
	}
	update(2*time.Second, func(x *contacts.Transfer) { x.State = contacts.Paused })
	check("paused", []string{"Paused", "10 MB of 50 MB"}, []string{"Resume", "Cancel"})
	update(3*time.Second, func(x *contacts.Transfer) { x.State = contacts.Transferring })
	check("resumed", []string{"Starting…"}, []string{"Pause", "Cancel"})
	update(4*time.Second, func(x *contacts.Transfer) { x.State, x.Done = contacts.Done, x.Size })
	check("delivered", []string{"Sent ✓", "50 MB"}, nil)
	if r.Progress.Visible() || r.Busy.Visible() {
		t.Error("delivered: a progress bar stayed")
	}

	// Blocked by the recipient's virus scanner.
	bad := tr("bad", contacts.Quarantined, true)
	bad.Name, bad.Scan, bad.Signature = "invoice.exe", contacts.Infected, "Win.Trojan.Agent"
	bad.CreatedAt = time.Now()
	b.events <- event.TransferChanged{Transfer: bad}
	q.WaitFor(t, "the blocked row", func() bool { return mw.chat.transfers["bad"] != nil })
	br := row(t, mw, "bad")
	if got := rowText(br); !strings.Contains(got, "Blocked: Bob's virus scanner found Win.Trojan.Agent.") || len(buttonTexts(br)) != 0 {
		t.Errorf("blocked outgoing row: %q, buttons %q", got, buttonTexts(br))
	}
	if br.Bg.FillColor != transfer.QuarantineTint || !br.Warn.Visible() {
		t.Error("a blocked file is not marked as dangerous")
	}
}

// TestIncomingEndStates: the states a received file can end in that the
// other tests do not show: declined by me, quarantined without a
// signature name, a voice note not yet here.
func TestIncomingEndStates(t *testing.T) {
	declined := tr("declined-in", contacts.Declined, false)
	declined.Reason = "You declined"
	noSig := tr("nosig", contacts.Quarantined, false)
	noSig.Scan = contacts.Infected
	voice := tr("voice-off", contacts.Offered, false)
	voice.VoiceNote, voice.Name, voice.MIME = true, "note.ogg", "audio/ogg"
	mw, _, _ := openBob(t, declined, noSig, voice)

	if r := row(t, mw, "declined-in"); !strings.Contains(rowText(r), "Declined: You declined") || len(buttonTexts(r)) != 0 {
		t.Errorf("declined: %q %q", rowText(r), buttonTexts(r))
	}
	if r := row(t, mw, "nosig"); !strings.Contains(rowText(r), "virus found (unknown)") || slices.Contains(buttonTexts(r), "Open") {
		t.Errorf("quarantined without a signature: %q", rowText(r))
	}
	r := row(t, mw, "voice-off")
	if !strings.Contains(rowText(r), "Voice note") || r.Play.Visible() || !slices.Equal(buttonTexts(r), []string{"Accept", "Decline"}) {
		t.Errorf("offered voice note: %q, play %v", rowText(r), r.Play.Visible())
	}
}
