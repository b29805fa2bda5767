package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
)

const (
	// aroundLimit is how many messages on each side of a search result its
	// conversation loads.
	aroundLimit = historyLimit / 2
)

// archiveState is the MainWindow's archive part, used on the UI goroutine.
type archiveState struct {
	// highlighted is the message a search result opened, while shown.
	highlighted string
}

func (mw *MainWindow) addArchiveShortcuts() {
	mw.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { mw.ShowSearch() })
}

func (mw *MainWindow) applyArchive(ev event.Event) {
	switch e := ev.(type) {
	case event.ComplianceChanged:
		if e.PeerID == mw.selected {
			mw.updateComplianceBar()
		}
	case event.ConversationPruned:
		if e.PeerID == mw.selected {
			sel := mw.selected
			mw.selected = ""
			mw.openConversation(sel) // reload without the deleted messages
		}
	}
}

// updateComplianceBar shows the banner (app/ui/archivedlg) when the open
// conversation is archived for compliance.
func (mw *MainWindow) updateComplianceBar() { mw.archiveDlg.UpdateBanner(mw.selected) }

// ComplianceBannerShown reports whether the banner is visible (for tests).
func (mw *MainWindow) ComplianceBannerShown() bool { return mw.archiveDlg.BannerShown() }

// conversationMenu is the open conversation's Archive menu.
func (mw *MainWindow) conversationMenu() *fyne.Menu { return mw.archiveDlg.Menu(mw.selected) }

// Selected is the open conversation's peer ID ("" when none).
func (mw *MainWindow) Selected() string { return mw.selected }

// PeerName is how the window names the other side of a conversation: the
// contact's name, or a short form of the peer ID.
func (mw *MainWindow) PeerName(peer string) string {
	if c := mw.contact(peer); c != nil {
		return kit.DisplayName(c.Name, c.PeerID)
	}
	return kit.ShortID(peer)
}
