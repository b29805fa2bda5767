package core

import (
	"strings"
	"testing"
	"time"

	"hearth/contacts"
)

func TestComplianceFlagReachesBothAndSurvivesOffline(t *testing.T) {
	a, b := newPeer(t, "ann"), newPeer(t, "bob")
	pair(t, a, b)
	aid, bid := a.m.MyPeerID(), b.m.MyPeerID()
	if err := a.m.SetCompliance(bid, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob sees the compliance flag", func() bool { return b.m.Compliance(aid) })
	if !a.m.Compliance(bid) {
		t.Fatal("ann's own flag is not set")
	}
	if _, ok := b.log.find(func(e Event) bool { c, ok := e.(ComplianceChanged); return ok && c.On && c.PeerID == aid }); !ok {
		t.Error("bob got no ComplianceChanged event")
	}
	// Bob turns it off while Ann is offline; Ann hears it when she returns.
	a.stop(t)
	if err := b.m.SetCompliance(aid, false); err != nil {
		t.Fatal(err)
	}
	a.restart(t)
	waitFor(t, "ann hears the flag went off", func() bool { return !a.m.Compliance(bid) })
	if b.m.Compliance(aid) {
		t.Error("bob's flag came back on")
	}
	if err := a.m.SetCompliance("not-a-peer", true); err == nil {
		t.Error("compliance on an unknown contact accepted")
	}
}

func TestRetentionDeletesOnlyExpired(t *testing.T) {
	a, b := newPeer(t, "ann"), newPeer(t, "bob")
	pair(t, a, b)
	bid := b.m.MyPeerID()
	st := a.m.store
	old := contacts.Message{ID: "old1", Conversation: bid, From: bid, Body: "expired words",
		SentAt: time.Now().Add(-40 * 24 * time.Hour), ReceivedAt: time.Now().Add(-40 * 24 * time.Hour), Status: contacts.Received}
	if _, err := st.AddMessage(old); err != nil {
		t.Fatal(err)
	}
	if _, err := a.m.Send(bid, "recent words"); err != nil {
		t.Fatal(err)
	}
	if err := a.m.SetRetention(bid, -1); err == nil {
		t.Error("negative retention accepted")
	}
	if err := a.m.SetRetention(bid, 30); err != nil {
		t.Fatal(err)
	}
	if got := a.m.Retention(bid); got != 30 {
		t.Errorf("Retention = %d, want 30", got)
	}
	got := bodies(t, a.m, bid)
	if !equal(got, []string{"recent words"}) {
		t.Errorf("after retention: %q", got)
	}
	hits, err := a.m.SearchArchive("expired", 0)
	if err != nil || len(hits) != 0 {
		t.Errorf("search finds expired message: %v %v", hits, err)
	}
}

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

func TestRetentionEnforcedAtStart(t *testing.T) {
	a, b := newPeer(t, "ann"), newPeer(t, "bob")
	pair(t, a, b)
	bid := b.m.MyPeerID()
	if err := a.m.SetRetention(bid, 7); err != nil {
		t.Fatal(err)
	}
	// Stored after the last enforcement: it stays until the next one.
	old := contacts.Message{ID: "old2", Conversation: bid, From: bid, Body: "stale words",
		SentAt: time.Now().Add(-8 * 24 * time.Hour), ReceivedAt: time.Now().Add(-8 * 24 * time.Hour), Status: contacts.Received}
	if _, err := a.m.store.AddMessage(old); err != nil {
		t.Fatal(err)
	}
	if got := bodies(t, a.m, bid); !equal(got, []string{"stale words"}) {
		t.Fatalf("before restart: %q", got)
	}
	a.stop(t)
	a.restart(t)
	waitFor(t, "retention at start", func() bool { return len(bodies(t, a.m, bid)) == 0 })
	if _, ok := a.log.find(func(e Event) bool { p, ok := e.(ConversationPruned); return ok && p.Deleted == 1 }); !ok {
		t.Error("no ConversationPruned event")
	}
}
