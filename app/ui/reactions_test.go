package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
	"hearth/app/ui/uitest"
	"hearth/contacts"
)

func TestReactionsShowUnderTheBubbleOnePerPerson(t *testing.T) {
	mw, b, q := newTestMain(t)
	// Bob already reacted to my message before I opened the conversation.
	b.locked(func() { b.chat.reacts = []contacts.Reaction{{MessageID: "m2", From: "peer-bob", Emoji: "❤️"}} })
	mw.OpenConversation("peer-bob")
	cv := mw.chat
	if !uitest.HasText(cv.rows["m2"], "❤️") {
		t.Fatalf("Bob's reaction is not under the message: %q", uitest.Texts(cv.rows["m2"]))
	}

	// React… in the menu opens the picker; a choice shows under the bubble.
	item := cv.bubbleMenu(cv.shown["m1"]).Items
	var react func()
	for _, it := range item {
		if it.Label == "React…" {
			react = it.Action
		}
	}
	if react == nil {
		t.Fatal("no React… in the bubble's menu")
	}
	react()
	test.Tap(cv.picker.Buttons[16]) // 👍
	q.WaitFor(t, "my reaction", func() bool { return uitest.HasText(cv.rows["m1"], "👍") })

	// One per person: another choice replaces it.
	react()
	test.Tap(cv.picker.Buttons[0]) // 😀
	q.WaitFor(t, "the new reaction", func() bool { return uitest.HasText(cv.rows["m1"], "😀") })
	if uitest.HasText(cv.rows["m1"], "👍") {
		t.Error("the old reaction stayed beside the new one")
	}

	// Tapping Bob's ❤️ adds mine: "❤️ 2"; tapping it again takes mine back.
	test.Tap(chip(t, cv.rows["m2"], "❤️"))
	q.WaitFor(t, "two hearts", func() bool { return uitest.HasText(cv.rows["m2"], "❤️ 2") })
	test.Tap(chip(t, cv.rows["m2"], "❤️ 2"))
	q.WaitFor(t, "one heart", func() bool {
		return !uitest.HasText(cv.rows["m2"], "❤️ 2") && uitest.HasText(cv.rows["m2"], "❤️")
	})

	// A reaction in another conversation changes nothing here.
	b.events <- event.ReactionChanged{Conversation: "peer-cleo", MessageID: "m1"}
	q.Drain()
}

// chip is the reaction chip under root that reads text.
func chip(t *testing.T, root fyne.CanvasObject, text string) *kit.EmojiChip {
	t.Helper()
	var found *kit.EmojiChip
	uitest.Visible(root, func(o fyne.CanvasObject) {
		if c, ok := o.(*kit.EmojiChip); ok && c.Text == text && found == nil {
			found = c
		}
	})
	if found == nil {
		t.Fatalf("no chip %q in %q", text, uitest.Texts(root))
	}
	return found
}
