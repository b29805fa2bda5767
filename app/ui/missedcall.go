package ui

import (
	"fyne.io/fyne/v2"

	"hearth/app/core/event"
	"hearth/app/ui/kit"
)

// A missed call names the caller and stays until seen: the banner does not
// time out (another notice or "Call back" replaces it), and when the
// window is not in front a desktop notification says who called.

// rememberCaller keeps who is ringing, for the missed-call notice.
func (mw *MainWindow) rememberCaller(e event.IncomingCall) {
	if mw.callers == nil {
		mw.callers = map[string]event.IncomingCall{}
	}
	mw.callers[e.CallID] = e
}

// ringingEnded tells why a call that rang here stopped ringing.
func (mw *MainWindow) ringingEnded(e event.CallEnded) {
	caller, ok := mw.callers[e.CallID]
	delete(mw.callers, e.CallID)
	if !ok || e.Reason != "Missed call" {
		mw.ShowNotice(e.Reason)
		return
	}
	name := kit.DisplayName(caller.Name, caller.PeerID)
	if c := mw.contact(caller.PeerID); c != nil {
		name = kit.DisplayName(c.Name, c.PeerID)
	}
	peerID := caller.PeerID
	mw.showNoticeWith("Missed call from "+name, "Call back", func() {
		mw.openConversation(peerID)
		mw.startCall()
	})
	if mw.noticeTimer != nil {
		mw.noticeTimer.Stop() // stays until seen
	}
	if n := mw.notify; n != nil && !mw.focused && n.Available() {
		if mw.lock != nil {
			n.Send(fyne.NewNotification("Hearth", "Missed call"))
		} else {
			n.Send(fyne.NewNotification("Missed call", name+" called you"))
		}
	}
}
