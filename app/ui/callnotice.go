package ui

import "hearth/media/call"

// callEndedNotice leaves why a call that never connected ended (Busy,
// Declined, could not be set up) in the main window: the call window
// shows it only for a moment before it closes, and a Busy answer closed it
// so fast that clicking Call seemed to do nothing.
func (mw *MainWindow) callEndedNotice(cw *CallWindow, reason string) {
	if cw.wasConnected || reason == "" || reason == call.ReasonHungUp {
		return
	}
	mw.showNotice("Call with " + cw.name + ": " + reason)
}
