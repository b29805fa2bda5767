package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/area"
	"hearth/app/ui/kit"
)

// conversationSettings is the settings dialog's part for conversations.
func conversationSettings(host Host, me area.MeBackend) fyne.CanvasObject {
	receipts := widget.NewCheck(lang.L("Send read receipts"), nil)
	receipts.SetChecked(me.ReadReceipts())
	receipts.OnChanged = func(on bool) {
		host.Background(func() error { return me.SetReadReceipts(on) }, func(err error) {
			if err != nil {
				host.ShowNotice(lang.L("Could not change read receipts: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
			}
		})
	}
	hint := kit.Caption(lang.L("When off, your contacts do not see when you have read their messages."))
	hint.Wrapping = fyne.TextWrapWord
	return container.NewVBox(kit.Heading(lang.L("Conversations")), receipts, hint)
}
