package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/calls"
	"hearth/app/core/event"
	"hearth/app/ui/callwin"
	"hearth/app/ui/kit"
)

func (mw *MainWindow) ring(e event.IncomingCall) {
	name := kit.DisplayName(e.Name, e.PeerID)
	if c := mw.contact(e.PeerID); c != nil && e.Name == "" {
		name = kit.DisplayName(c.Name, c.PeerID)
	}
	t := kit.Heading(name + " is calling")
	t.Alignment = fyne.TextAlignCenter
	sub := widget.NewLabelWithStyle("Video call", fyne.TextAlignCenter, fyne.TextStyle{})
	icon := widget.NewIcon(theme.MediaVideoIcon())
	content := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(48), icon)), t, sub)
	d := dialog.NewCustomWithoutButtons("Incoming call", content, mw.win)
	callID := e.CallID
	var accept, decline *widget.Button
	answer := func(ok bool) {
		delete(mw.ringing, callID)
		mw.HideModal(d)
		if !ok {
			mw.Background(func() error { return mw.b.Calls.DeclineCall(callID) }, nil)
			return
		}
		var call calls.Call
		mw.Background(func() (err error) {
			call, err = mw.b.Calls.AcceptCall(callID)
			return err
		}, func(err error) {
			if err != nil {
				mw.ShowNotice("Could not answer the call: " + kit.UserText(err))
				return
			}
			mw.openCall(call, name, "Connecting…")
		})
	}
	decline = widget.NewButtonWithIcon("Decline", theme.CancelIcon(), func() { answer(false) })
	decline.Importance = widget.DangerImportance
	accept = widget.NewButtonWithIcon("Accept", theme.MediaVideoIcon(), func() { answer(true) })
	accept.Importance = widget.SuccessImportance
	d.SetButtons([]fyne.CanvasObject{decline, accept})
	mw.ringing[callID] = d
	mw.rememberCaller(e)
	mw.ShowModal(d, func() { answer(false) })
	mw.win.RequestFocus()
}

// startCall calls the open conversation's contact.
func (mw *MainWindow) startCall() {
	c := mw.contact(mw.selected)
	if c == nil {
		return
	}
	if len(mw.calls) > 0 {
		mw.ShowNotice("You are already in a call.")
		return
	}
	peerID, name := c.PeerID, kit.DisplayName(c.Name, c.PeerID)
	mw.chat.call.Disable()
	var call calls.Call
	mw.Background(func() (err error) {
		call, err = mw.b.Calls.StartCall(peerID)
		return err
	}, func(err error) {
		mw.chat.call.Enable()
		if err != nil {
			mw.ShowNotice("Could not call " + name + ": " + kit.UserText(err))
			return
		}
		mw.openCall(call, name, "Calling…")
	})
}

func (mw *MainWindow) openCall(call calls.Call, name, status string) {
	cw := callwin.NewCallWindowDo(mw.app, call, name, status, mw.do)
	id := call.ID()
	mw.calls[id] = cw
	cw.OnClosed = func() { delete(mw.calls, id) }
	cw.Window().Show()
	if e, ok := mw.endedEarly[id]; ok {
		delete(mw.endedEarly, id)
		cw.Ended(e.Reason)
		mw.callEndedNotice(cw, e)
	}
}
