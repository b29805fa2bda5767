package groupdlg

import (
	"fyne.io/fyne/v2/lang"

	"hearth/app/core/groups"
)

// GroupMemberCount is what a group's row and header say about its size.
func GroupMemberCount(g groups.GroupView) string {
	if g.Left {
		return lang.L("You left this group")
	}
	if len(g.Members) == 1 {
		return lang.L("1 member")
	}
	return lang.L("{{.Count}} members", map[string]any{"Count": len(g.Members)})
}
