package ui

// The export and retention dialogs live in app/ui/archivedlg.

// ShowExport opens the export dialog for the open conversation.
func (mw *MainWindow) ShowExport() { mw.archiveDlg.ShowExport(mw.selected) }

// Do runs f on the UI goroutine (fyne.Do in the app); nothing runs once
// the window is shutting down.
func (mw *MainWindow) Do(f func()) { mw.do(f) }
