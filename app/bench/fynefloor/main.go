// Command fynefloor opens the smallest Fyne window there is. The bench
// measures its resident memory beside Hearth's GUI, in the same run and
// under the same renderer, as the floor that the toolkit itself sets.
package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("org.hearth.FyneFloor")
	w := a.NewWindow("Fyne floor")
	w.SetContent(widget.NewLabel("Hello"))
	w.ShowAndRun()
}
