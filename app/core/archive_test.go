package core

import (
	"slices"
	"testing"
	"time"

	"hearth/app/core/event"
	"hearth/contacts"
)

func TestComplianceFlagReachesBothAndSurvivesOffline(t *testing.T) {
	a, b := newPeer(t, "ann"), newPeer(t, "bob")
	pair(t, a, b)
	aid, bid := a.m.MyPeerID(), b.m.MyPeerID()
	if err := a.m.Archive.SetCompliance(bid, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob sees the compliance flag", func() bool { return b.m.Archive.Compliance(aid) })
	if !a.m.Archive.Compliance(bid) {
		t.Fatal("ann's own flag is not set")
	}
	if _, ok := b.log.find(func(e event.Event) bool { c, ok := e.(event.ComplianceChanged); return ok && c.On && c.PeerID == aid }); !ok {
		t.Error("bob got no event.ComplianceChanged event")
	}
	// Bob turns it off while Ann is offline; Ann hears it when she returns.
	a.stop(t)
	if err := b.m.Archive.SetCompliance(aid, false); err != nil {
		t.Fatal(err)
	}
	a.restart(t)
	waitFor(t, "ann hears the flag went off", func() bool { return !a.m.Archive.Compliance(bid) })
	if b.m.Archive.Compliance(aid) {
		t.Error("bob's flag came back on")
	}
	if err := a.m.Archive.SetCompliance("not-a-peer", true); err == nil {
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
	if _, err := a.m.Chat.Send(bid, "recent words"); err != nil {
		t.Fatal(err)
	}
	if err := a.m.Archive.SetRetention(bid, -1); err == nil {
		t.Error("negative retention accepted")
	}
	if err := a.m.Archive.SetRetention(bid, 30); err != nil {
		t.Fatal(err)
	}
	if got := a.m.Archive.Retention(bid); got != 30 {
		t.Errorf("Retention = %d, want 30", got)
	}
	got := bodies(t, a.m, bid)
	if !slices.Equal(got, []string{"recent words"}) {
		t.Errorf("after retention: %q", got)
	}
	hits, err := a.m.Archive.SearchArchive("expired", 0)
	if err != nil || len(hits) != 0 {
		t.Errorf("search finds expired message: %v %v", hits, err)
	}
}

func TestRetentionEnforcedAtStart(t *testing.T) {
	a, b := newPeer(t, "ann"), newPeer(t, "bob")
	pair(t, a, b)
	bid := b.m.MyPeerID()
	if err := a.m.Archive.SetRetention(bid, 7); err != nil {
		t.Fatal(err)
	}
	// Stored after the last enforcement: it stays until the next one.
	old := contacts.Message{ID: "old2", Conversation: bid, From: bid, Body: "stale words",
		SentAt: time.Now().Add(-8 * 24 * time.Hour), ReceivedAt: time.Now().Add(-8 * 24 * time.Hour), Status: contacts.Received}
	if _, err := a.m.store.AddMessage(old); err != nil {
		t.Fatal(err)
	}
	if got := bodies(t, a.m, bid); !slices.Equal(got, []string{"stale words"}) {
		t.Fatalf("before restart: %q", got)
	}
	a.stop(t)
	a.restart(t)
	waitFor(t, "retention at start", func() bool { return len(bodies(t, a.m, bid)) == 0 })
	// The event comes through the bus after the deletion (retention at
	// start may run before this test's reader has started).
	waitFor(t, "the ConversationPruned event", func() bool {
		_, ok := a.log.find(func(e event.Event) bool { p, ok := e.(event.ConversationPruned); return ok && p.Deleted == 1 })
		return ok
	})
}
