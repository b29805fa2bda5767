package archivedlg

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/kit"
)

// retentionChoices are the periods offered; 0 is forever.
var retentionChoices = []struct {
	label string
	days  int
}{
	{lang.L("Forever"), 0}, {lang.L("1 day"), 1}, {lang.L("7 days"), 7}, {lang.L("30 days"), 30}, {lang.L("90 days"), 90}, {lang.L("1 year"), 365},
}

func retentionLabel(days int) string {
	for _, c := range retentionChoices {
		if c.days == days {
			return c.label
		}
	}
	return lang.L("{{.Count}} days", map[string]any{"Count": days})
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
		kit.Wrapped(lang.L("Messages with {{.Name}} older than this are deleted from this computer for good, including from search. The other person keeps their own copy.", map[string]any{"Name": name})),
		sel)
	d := dialog.NewCustomConfirm(lang.L("Keep messages"), lang.L("Save"), lang.L("Cancel"), content, func(ok bool) {
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
				mw.ShowNotice(lang.L("Could not change how long messages are kept: {{.Error}}", map[string]any{"Error": kit.UserText(err)}))
				return
			}
			if days == 0 {
				mw.ShowNotice(lang.L("Messages with {{.Name}} are kept forever.", map[string]any{"Name": name}))
			} else {
				mw.ShowNotice(lang.L("Messages with {{.Name}} are kept for {{.Time}}; older ones were deleted.", map[string]any{"Name": name, "Time": retentionLabel(days)}))
			}
		})
	}, mw.Window())
	d.Resize(fyne.NewSize(440, 0)) // wide enough that the text is not a narrow column
	mw.ShowModal(d, nil)
	return sel
}
