// Package archivedlg is the archive's dialogs for one conversation:
// export (a web page or plain text, saved or printed) and how long its
// messages are kept, and the compliance banner and Archive menu over it. The main window holds one Dialogs, which reaches it
// only through Host and the messenger only through the Archive area.
package archivedlg
