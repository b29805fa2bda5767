package settings

import (
	"hearth/app/ui/area"
	"hearth/app/ui/kit"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// PublicRelaysLabel is the settings' switch for public relays.
const PublicRelaysLabel = "Use public relays when no contact can relay"

// networkBackend is what Settings → Network needs; the core's Messenger
// serves it through the Me area. A Me area without it (a fake in tests)
// shows no Network section.
type networkBackend interface {
	// NetworkSummary says in plain words whether and how others reach
	// this computer.
	NetworkSummary() []string
	PublicRelays() bool
	SetPublicRelays(on bool) error
}

// networkSettings is Settings → Network: how this computer is reached,
// and the switch a team uses to keep public relays out.
func networkSettings(me area.MeBackend, background func(fn func() error, done func(error))) fyne.CanvasObject {
	nb, ok := me.(networkBackend)
	if !ok {
		return container.NewVBox()
	}
	return networkSection(nb, background)
}

func networkSection(nb networkBackend, background func(fn func() error, done func(error))) *fyne.Container {
	box := container.NewVBox(kit.Heading("Network"))
	for _, line := range nb.NetworkSummary() {
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	errl := kit.ErrorLabel()
	var check *widget.Check
	reverting := false // the switch put back after a failed save: save nothing
	check = widget.NewCheck(PublicRelaysLabel, func(on bool) {
		if reverting {
			return
		}
		check.Disable()
		background(func() error { return nb.SetPublicRelays(on) }, func(err error) {
			check.Enable()
			kit.ShowError(errl, err)
			if err != nil {
				reverting = true
				check.SetChecked(!on)
				reverting = false
			}
		})
	})
	check.Checked = nb.PublicRelays()
	about := kit.Caption("Public relays are run by others on the libp2p network. They carry only " +
		"encrypted traffic, and only until a direct connection works. Turn them off if your team " +
		"wants connections only directly or through your contacts' computers.")
	about.Wrapping = fyne.TextWrapWord
	box.Add(check)
	box.Add(about)
	box.Add(errl)
	return box
}
