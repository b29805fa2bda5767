package ui

import "hearth/app/ui/settings"

// ShowSettings opens the settings dialog.
func (mw *MainWindow) ShowSettings() { mw.showSettings() }

func (mw *MainWindow) showSettings() *settings.Dialog {
	return settings.Show(mw, mw.b.Files, mw.b.Me, mw.b.Contacts)
}
