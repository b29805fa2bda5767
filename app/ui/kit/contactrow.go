package kit

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/people"
)

// ContactRow is one line of the contact list: presence dot, name, status
// text and unread badge.
type ContactRow struct {
	widget.BaseWidget
	dot    *canvas.Circle
	dotBox fyne.CanvasObject
	name   *widget.Label
	status *widget.Label
	badge  *Badge
	// contact management (contactmenu.go): the shield of a verified
	// contact, and the menu on right-click
	verified *widget.Icon
	nameRow  *fyne.Container // name and shield
	PeerID   string
	OnMenu   func(peerID string, pos fyne.Position)
	// onTap opens the conversation. The row must take primary taps itself:
	// being right-clickable makes it the object the driver hands clicks
	// to, so the list underneath would never see them.
	OnTap  func(peerID string)
	Avatar *AvatarView
	Muted  *widget.Icon // shown for a muted conversation
}

// NewContactRow makes an empty row; Set fills it.
func NewContactRow() *ContactRow {
	r := &ContactRow{
		name:   widget.NewLabel(""),
		status: Caption(""),
		badge:  NewBadge(),

		verified: NewVerifiedMark(),
		Avatar:   NewAvatarView(32),
		Muted:    widget.NewIcon(theme.VolumeMuteIcon()),
	}
	r.Muted.Hide()
	r.nameRow = container.NewBorder(nil, nil, r.verified, nil, r.name)
	r.dot, r.dotBox = NewDot(ColorOffline, 10)
	r.name.TextStyle.Bold = true
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.status.Truncation = fyne.TextTruncateEllipsis
	r.badge.Hide()
	r.ExtendBaseWidget(r)
	return r
}

func (r *ContactRow) CreateRenderer() fyne.WidgetRenderer {
	text := TightVBox(r.nameRow, r.status)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewHBox(r.dotBox, r.Avatar),
		container.NewHBox(container.NewCenter(r.Muted), container.NewCenter(r.badge)), text))
}

// Set shows contact c.
func (r *ContactRow) Set(c people.ContactView) {
	r.dot.FillColor = PresenceColor(c.Presence)
	r.dot.Refresh()
	r.name.SetText(DisplayName(c.Name, c.PeerID))
	r.Avatar.Set(DisplayName(c.Name, c.PeerID), c.Avatar)
	line := c.Presence.String()
	if s := strings.TrimSpace(c.StatusText); s != "" {
		line += " · " + s
	}
	r.status.SetText(WithWarning(line, c))
	r.badge.SetCount(c.Unread)
	if c.Muted {
		r.Muted.Show()
	} else {
		r.Muted.Hide()
	}
	r.PeerID = c.PeerID
	SetVerifiedMark(r.verified, r.nameRow, c.Verified)
}

// Tapped opens the conversation, as selecting the row does.
func (r *ContactRow) Tapped(*fyne.PointEvent) {
	if r.OnTap != nil && r.PeerID != "" {
		r.OnTap(r.PeerID)
	}
}

// TappedSecondary opens the contact menu (right-click).
func (r *ContactRow) TappedSecondary(e *fyne.PointEvent) {
	if r.OnMenu != nil && r.PeerID != "" {
		r.OnMenu(r.PeerID, e.AbsolutePosition)
	}
}
