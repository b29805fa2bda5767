package ui

import "hearth/app/core/people"

// The group dialogs live in app/ui/groupdlg; these open them.

// ShowNewGroup opens the "New group" dialog.
func (mw *MainWindow) ShowNewGroup() { mw.groupDlg.ShowNewGroup() }

// ShowSendToSeveral opens the "Send to several" dialog.
func (mw *MainWindow) ShowSendToSeveral() { mw.groupDlg.ShowSendToSeveral() }

// ShowGroupMembers opens the members dialog of the open group.
func (mw *MainWindow) ShowGroupMembers() {
	if g := mw.selectedGroup(); g != nil {
		mw.groupDlg.ShowGroupMembers(*g)
	}
}

// AcceptedContacts are my contacts, sorted by name.
func (mw *MainWindow) AcceptedContacts() []people.ContactView { return mw.all }
