package ui

import (
	"fyne.io/fyne/v2"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
	"hearth/app/ui/notify"
	"hearth/contacts"
)

// notifyMessage notifies of a message from a contact when it should.
func (mw *MainWindow) notifyMessage(m contacts.Message) {
	n := mw.notify
	if m.Outgoing || mw.focused || n == nil {
		return
	}
	c := mw.contact(m.Conversation)
	if c == nil || c.Muted {
		return
	}
	if p, _ := mw.b.Me.Presence(); p == contacts.Busy {
		return // do not disturb
	}
	now := n.Now()
	if last, ok := n.Last[m.Conversation]; ok && now.Sub(last) < notify.Every {
		return
	}
	if !n.Available() {
		return
	}
	n.Last[m.Conversation] = now
	if mw.lock != nil {
		// Locked: say that something came, not who wrote what.
		n.Send(fyne.NewNotification("Hearth", "New message"))
		return
	}
	n.Send(fyne.NewNotification(kit.DisplayName(c.Name, c.PeerID), snippet(m, 120)))
}

// watchFocus follows whether the app has the keyboard focus: messages are
// read (and receipts sent) only while it has, and notifications come only
// while it has not.
func (mw *MainWindow) watchFocus() {
	mw.focused = true
	lc := mw.app.Lifecycle()
	// Fyne keeps one hook each: coming to the front is also activity
	// for auto-away (presenceui.go).
	lc.SetOnEnteredForeground(func() {
		mw.do(func() {
			mw.setFocused(true)
			mw.activity()
		})
	})
	lc.SetOnExitedForeground(func() { mw.do(func() { mw.setFocused(false) }) })
}

func (mw *MainWindow) setFocused(on bool) {
	mw.focused = on
	if !on || mw.selected == "" {
		return
	}
	if c := mw.contact(mw.selected); c != nil && c.Unread > 0 {
		mw.markRead(mw.selected)
	}
}

// applyConvo handles the conversation features' events.
func (mw *MainWindow) applyConvo(ev event.Event) {
	switch e := ev.(type) {
	case event.MessageChanged:
		if e.Message.Conversation == mw.selected {
			mw.chat.update(e.Message)
		}
	case event.ReactionChanged:
		if e.Conversation == mw.selected {
			mw.chat.reactionChanged(e.MessageID) // reactions.go
		}
	case event.TypingChanged:
		if e.Typing {
			mw.typing[e.PeerID] = true
		} else {
			delete(mw.typing, e.PeerID)
		}
		if e.PeerID == mw.selected {
			mw.chat.setTyping(e.Typing)
		}
	}
}
