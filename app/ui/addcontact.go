package ui

import "fyne.io/fyne/v2"

// The add-contact dialogs live in app/ui/addcontact; these open them.

// ShowAddContact opens the add-contact dialog.
func (mw *MainWindow) ShowAddContact() { mw.add.ShowAddContact() }

// ShowAddContactWith opens the add-contact dialog with someone's invite
// code (or hearth: link) already filled in, ready to send: what clicking a
// hearth: link leads to.
func (mw *MainWindow) ShowAddContactWith(code string) { mw.add.ShowAddContactWith(code) }

// ShowGetShortCode opens the dialog that shows a fresh short code.
func (mw *MainWindow) ShowGetShortCode() { mw.add.ShowShortCode(true) }

// ShowEnterShortCode opens the dialog to type someone's short code.
func (mw *MainWindow) ShowEnterShortCode() { mw.add.ShowShortCode(false) }

// Clipboard is the app's clipboard (the add-contact dialog copies and
// pastes invite codes).
func (mw *MainWindow) Clipboard() fyne.Clipboard { return mw.app.Clipboard() }
