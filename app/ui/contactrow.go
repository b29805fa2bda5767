package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/people"
	"hearth/app/ui/contactdlg"
	"hearth/app/ui/kit"
)

// contactRow is one line of the contact list: presence dot, name, status
// text and unread badge.
type contactRow struct {
	widget.BaseWidget
	dot    *canvas.Circle
	dotBox fyne.CanvasObject
	name   *widget.Label
	status *widget.Label
	badge  *kit.Badge
	// contact management (contactmenu.go): the shield of a verified
	// contact, and the menu on right-click
	verified *widget.Icon
	nameRow  *fyne.Container // name and shield
	peerID   string
	onMenu   func(peerID string, pos fyne.Position)
	// onTap opens the conversation. The row must take primary taps itself:
	// being right-clickable makes it the object the driver hands clicks
	// to, so the list underneath would never see them.
	onTap  func(peerID string)
	avatar *kit.AvatarView
	muted  *widget.Icon // shown for a muted conversation
}

func newContactRow() *contactRow {
	r := &contactRow{
		name:   widget.NewLabel(""),
		status: kit.Caption(""),
		badge:  kit.NewBadge(),

		verified: contactdlg.NewVerifiedMark(),
		avatar:   kit.NewAvatarView(32),
		muted:    widget.NewIcon(theme.VolumeMuteIcon()),
	}
	r.muted.Hide()
	r.nameRow = container.NewBorder(nil, nil, r.verified, nil, r.name)
	r.dot, r.dotBox = kit.NewDot(kit.ColorOffline, 10)
	r.name.TextStyle.Bold = true
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.status.Truncation = fyne.TextTruncateEllipsis
	r.badge.Hide()
	r.ExtendBaseWidget(r)
	return r
}

func (r *contactRow) CreateRenderer() fyne.WidgetRenderer {
	text := kit.TightVBox(r.nameRow, r.status)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewHBox(r.dotBox, r.avatar),
		container.NewHBox(container.NewCenter(r.muted), container.NewCenter(r.badge)), text))
}

func (r *contactRow) set(c people.ContactView) {
	r.dot.FillColor = kit.PresenceColor(c.Presence)
	r.dot.Refresh()
	r.name.SetText(kit.DisplayName(c.Name, c.PeerID))
	r.avatar.Set(kit.DisplayName(c.Name, c.PeerID), c.Avatar)
	line := c.Presence.String()
	if s := strings.TrimSpace(c.StatusText); s != "" {
		line += " · " + s
	}
	r.status.SetText(contactdlg.WithWarning(line, c))
	r.badge.SetCount(c.Unread)
	if c.Muted {
		r.muted.Show()
	} else {
		r.muted.Hide()
	}
	r.peerID = c.PeerID
	contactdlg.SetVerifiedMark(r.verified, r.nameRow, c.Verified)
}

// Tapped opens the conversation, as selecting the row does.
func (r *contactRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil && r.peerID != "" {
		r.onTap(r.peerID)
	}
}

// TappedSecondary opens the contact menu (right-click).
func (r *contactRow) TappedSecondary(e *fyne.PointEvent) {
	if r.onMenu != nil && r.peerID != "" {
		r.onMenu(r.peerID, e.AbsolutePosition)
	}
}
