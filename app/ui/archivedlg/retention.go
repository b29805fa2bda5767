package archivedlg

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
)

// retentionChoices are the periods offered; 0 is forever.
var retentionChoices = []struct {
	label string
	days  int
}{
	{"Forever", 0}, {"1 day", 1}, {"7 days", 7}, {"30 days", 30}, {"90 days", 90}, {"1 year", 365},
}

func retentionLabel(days int) string {
	for _, c := range retentionChoices {
		if c.days == days {
			return c.label
		}
	}
	return fmt.Sprintf("%d days", days)
}

// ShowRetention asks how long a conversation's messages are kept.
func (mw *Dialogs) ShowRetention(peer string) *widget.Select {
	if peer == "" {
		return nil
	}
	var labels []string
	for _, c := range retentionChoices {
		labels = append(labels, c.label)
	}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelected(retentionLabel(mw.arch.Retention(peer)))
	name := mw.PeerName(peer)
	content := container.NewVBox(
		kit.Wrapped("Messages with "+name+" older than this are deleted from this computer for good, including from search. The other person keeps their own copy."),
		sel)
	d := dialog.NewCustomConfirm("Keep messages", "Save", "Cancel", content, func(ok bool) {
		if !ok {
			return
		}
		days := 0
		for _, c := range retentionChoices {
			if c.label == sel.Selected {
				days = c.days
			}
		}
		mw.Background(func() error { return mw.arch.SetRetention(peer, days) }, func(err error) {
			if err != nil {
				mw.ShowNotice("Could not change how long messages are kept: " + kit.UserText(err))
				return
			}
			if days == 0 {
				mw.ShowNotice("Messages with " + name + " are kept forever.")
			} else {
				mw.ShowNotice(fmt.Sprintf("Messages with %s are kept for %s; older ones were deleted.", name, retentionLabel(days)))
			}
		})
	}, mw.Window())
	d.Resize(fyne.NewSize(440, 0)) // wide enough that the text is not a narrow column
	mw.ShowModal(d, nil)
	return sel
}
