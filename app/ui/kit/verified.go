package kit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/core/people"
)

// The shield shown beside a verified contact's name in the list and the
// chat header, and the warning that replaces a contact's status line.

// VerifiedIcon is a shield with a check mark (Material "verified_user"),
// in the success colour.
var VerifiedIcon = theme.NewSuccessThemedResource(fyne.NewStaticResource("verified.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path d="M12 1L3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm-2 16l-4-4 1.41-1.41L10 14.17l6.59-6.59L18 9l-8 8z"/>`+
		`</svg>`)))

// NewVerifiedMark is the shield, hidden until the contact is verified.
func NewVerifiedMark() *widget.Icon {
	i := widget.NewIcon(VerifiedIcon)
	i.Hide()
	return i
}

// SetVerifiedMark shows or hides the shield, and lays out row (the
// container holding it) again when that changed its size.
func SetVerifiedMark(i *widget.Icon, row *fyne.Container, verified bool) {
	if i.Visible() == verified {
		return
	}
	if verified {
		i.Show()
	} else {
		i.Hide()
	}
	row.Refresh()
}

// WithWarning replaces a contact's status line with its warning, if it
// has one (it uses the name of a contact I verified).
func WithWarning(line string, c people.ContactView) string {
	if c.Warning != "" {
		return "⚠ " + c.Warning
	}
	return line
}
