// Package contactdlg is the dialogs about one contact that the contact
// menu opens: Rename, Notes, Groups, Verify (the safety code as digits and
// QR), and the confirmations before Block and Remove; and the verified
// mark and key warning that rows and headers show. The main window holds
// one Dialogs, which reaches it only through Host and the messenger only
// through the Contacts area.
package contactdlg
