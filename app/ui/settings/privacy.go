package settings

// The privacy part of the settings dialog: who may send me contact
// requests, and the people I blocked, each with Unblock.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/people"
	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// requestPolicies in the order the settings list them.
var requestPolicies = []people.RequestPolicy{people.RequestsFromAnyone, people.RequestsWithInvite, people.RequestsFromNobody}

// privacySection is the settings' privacy block.
type privacySection struct {
	host    Host
	people  area.ContactsBackend
	root    *fyne.Container
	Who     *widget.RadioGroup
	Blocked *fyne.Container
	err     *widget.Label
}

func newPrivacySection(host Host, people area.ContactsBackend) *privacySection {
	p := &privacySection{host: host, people: people, err: kit.ErrorLabel(), Blocked: container.NewVBox()}
	var names []string
	for _, r := range requestPolicies {
		names = append(names, r.String())
	}
	p.Who = widget.NewRadioGroup(names, nil)
	p.Who.Required = true
	p.Who.SetSelected(p.people.RequestPolicy().String())
	p.Who.OnChanged = p.savePolicy
	p.fillBlocked()
	p.root = container.NewVBox(
		kit.Heading(lang.L("Privacy")),
		kit.Caption(lang.L("Who can send you contact requests:")),
		p.Who,
		kit.Caption(lang.L("Your contacts can always reach you. Requests that are not allowed are dropped without a word.")),
		p.err,
		widget.NewLabelWithStyle(lang.L("Blocked people"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.Blocked,
	)
	return p
}

func (p *privacySection) savePolicy(name string) {
	var choice people.RequestPolicy
	for _, r := range requestPolicies {
		if r.String() == name {
			choice = r
		}
	}
	p.host.Background(func() error { return p.people.SetRequestPolicy(choice) }, func(err error) { kit.ShowError(p.err, err) })
}

// fillBlocked lists the blocked people with an Unblock button each.
func (p *privacySection) fillBlocked() {
	p.Blocked.RemoveAll()
	cs, err := p.people.Contacts()
	if err != nil {
		kit.ShowError(p.err, err)
		return
	}
	for _, c := range cs {
		if c.State != contacts.Blocked {
			continue
		}
		peerID := c.PeerID
		var unblock *widget.Button
		unblock = widget.NewButton(lang.L("Unblock"), func() {
			unblock.Disable()
			p.host.Background(func() error { return p.people.Unblock(peerID) }, func(err error) {
				if err != nil {
					unblock.Enable()
					kit.ShowError(p.err, err)
					return
				}
				p.fillBlocked()
			})
		})
		name := widget.NewLabel(kit.DisplayName(c.Name, c.PeerID))
		name.Truncation = fyne.TextTruncateEllipsis
		p.Blocked.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.VisibilityOffIcon()), unblock, name))
	}
	if len(p.Blocked.Objects) == 0 {
		p.Blocked.Add(kit.Caption(lang.L("Nobody.")))
	}
}
