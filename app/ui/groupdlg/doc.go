// Package groupdlg is the group dialogs: New group, a group's members
// (rename, add, remove, leave) and Send to several. The main window holds
// one Dialogs, which reaches it only through Host and the messenger only
// through the Groups and Me areas.
package groupdlg
