package ui

import (
	"hearth/app/core/event"
	"hearth/app/ui/callwin"

	"fyne.io/fyne/v2/lang"
)

// callEndedNotice leaves why a call that never connected ended (Busy,
// Declined, could not be set up) in the main window: the call window
// shows it only for a moment before it closes, and a Busy answer closed it
// so fast that clicking Call seemed to do nothing.
func (mw *MainWindow) callEndedNotice(cw *callwin.CallWindow, e event.CallEnded) {
	if cw.WasConnected || e.Reason == "" || e.ByMe {
		return
	}
	mw.ShowNotice(lang.L("Call with {{.Name}}: {{.Reason}}", map[string]any{"Name": cw.Name, "Reason": e.Reason}))
}
