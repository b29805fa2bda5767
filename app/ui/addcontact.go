package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"hearth/app/ui/kit"
)

// The add-contact screen lives in app/ui/addcontact; these open it and
// do what it leads to in the main window.

// ShowAddContact opens the add-contact screen.
func (mw *MainWindow) ShowAddContact() { mw.add.ShowAddContact() }

// ShowAddContactWith opens the add-contact screen with someone's invite
// code (or hearth: link) already filled in, ready to add: what clicking a
// hearth: link leads to.
func (mw *MainWindow) ShowAddContactWith(code string) { mw.add.ShowAddContactWith(code) }

// Clipboard is the app's clipboard (the add-contact screen copies and
// pastes invite links).
func (mw *MainWindow) Clipboard() fyne.Clipboard { return mw.app.Clipboard() }

// expectFor is how long after starting to add someone the next new contact
// is taken to be them (a spoken code lasts ten minutes).
const expectFor = 15 * time.Minute

// ExpectContact notes that someone is being added: the next person who
// becomes a contact within expectFor gets their conversation opened.
func (mw *MainWindow) ExpectContact() { mw.expecting = time.Now().Add(expectFor) }

// PairNearby makes this device visible nearby, unless it already is.
func (mw *MainWindow) PairNearby() {
	if _, until := mw.b.Me.NearbyVisibility(); until.IsZero() {
		mw.togglePairNearby()
	}
}

// Added is called when pairing by a spoken code succeeded; the contact
// list changes with it, and newContacts opens the conversation.
func (mw *MainWindow) Added(peerID, name string) {
	if peerID != "" && mw.contact(peerID) != nil {
		mw.welcome(peerID)
		return
	}
	mw.ShowNotice(lang.L("Paired with {{.Name}}.", map[string]any{"Name": kit.DisplayName(name, peerID)}))
}

// newContacts runs after the contact list was re-read, with the accepted
// contacts known before: someone new while a contact was being added has
// their conversation opened, the add-contact screen closes, and being
// visible nearby ends (it was for this).
func (mw *MainWindow) newContacts(before map[string]bool) {
	if !mw.loaded {
		mw.loaded = true
		return
	}
	for _, c := range mw.all {
		if before[c.PeerID] {
			continue
		}
		if _, until := mw.b.Me.NearbyVisibility(); !until.IsZero() && until.Year() < 9999 {
			mw.b.Me.StopPairNearby()
		}
		if mw.expecting.IsZero() || time.Now().After(mw.expecting) {
			continue
		}
		mw.welcome(c.PeerID)
		return
	}
}

// welcome opens a new contact's conversation and says what to do next.
func (mw *MainWindow) welcome(peerID string) {
	mw.expecting = time.Time{}
	mw.add.CloseOpen()
	if mw.modal != nil {
		return // another dialog is open: do not pull the conversation from under it
	}
	c := mw.contact(peerID)
	if c == nil {
		return
	}
	mw.OpenConversation(peerID)
	name := kit.DisplayName(c.Name, c.PeerID)
	mw.showNoticeWith(lang.L("{{.Name}} is now your contact. You can write or call.", map[string]any{"Name": name}), lang.L("Compare safety codes"), func() {
		mw.contactDlg.ShowVerify(peerID)
	})
}
