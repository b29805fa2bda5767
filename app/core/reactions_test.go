package core

import (
	"errors"
	"strings"
	"testing"

	"hearth/app/core/chat"
	"hearth/app/core/event"
)

// reactionsOf is who reacted how to a message, as m stores it.
func reactionsOf(t *testing.T, m *Messenger, conv, id string) map[string]string {
	t.Helper()
	rs, err := m.Chat.Reactions(conv, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rs {
		got[r.From] = r.Emoji
	}
	return got
}

func TestReactionsReachPeerOnePerPerson(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID, bID := alice.m.node.Host.ID().String(), bob.m.node.Host.ID().String()
	m1 := sendDelivered(t, alice, bob, "cake on Sunday?")

	// Both react to Alice's message; Bob changes his mind.
	if err := bob.m.Chat.React(aID, m1.ID, "👍"); err != nil {
		t.Fatal(err)
	}
	if err := bob.m.Chat.React(aID, m1.ID, "🎉"); err != nil {
		t.Fatal(err)
	}
	if err := alice.m.Chat.React(bID, m1.ID, "❤️"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob's reaction at Alice", func() bool { return reactionsOf(t, alice.m, bID, m1.ID)[bID] == "🎉" })
	waitFor(t, "Alice's reaction at Bob", func() bool { return reactionsOf(t, bob.m, aID, m1.ID)[aID] == "❤️" })
	if got := reactionsOf(t, alice.m, bID, m1.ID); len(got) != 2 || got[""] != "❤️" {
		t.Errorf("Alice stores %v", got)
	}
	waitFor(t, "a ReactionChanged event", func() bool {
		_, ok := alice.log.find(func(e event.Event) bool {
			r, ok := e.(event.ReactionChanged)
			return ok && r.MessageID == m1.ID && r.Conversation == bID
		})
		return ok
	})
	// Taking it back reaches the peer too.
	if err := bob.m.Chat.React(aID, m1.ID, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob's reaction gone at Alice", func() bool { _, ok := reactionsOf(t, alice.m, bID, m1.ID)[bID]; return !ok })

	if err := bob.m.Chat.React(aID, m1.ID, strings.Repeat("👍", 20)); !errors.Is(err, chat.ErrReactionTooLong) {
		t.Errorf("a long reaction: %v", err)
	}
	if err := bob.m.Chat.React(aID, "no-such-message", "👍"); err == nil {
		t.Error("a reaction to an unknown message was taken")
	}
}
