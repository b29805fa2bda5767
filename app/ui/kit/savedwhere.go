package kit

import (
	"io"

	"fyne.io/fyne/v2"
)

// savedWhere is " to PATH" for a file the save dialog opened, so the
// notice after an export says where the file went; empty when unknown.
func SavedWhere(w io.Writer) string {
	u, ok := w.(interface{ URI() fyne.URI })
	if !ok || u.URI() == nil || u.URI().Path() == "" {
		return ""
	}
	return " to " + u.URI().Path()
}
