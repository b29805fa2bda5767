package groupdlg

import (
	"fmt"

	"hearth/app/core/groups"
)

// GroupMemberCount is what a group's row and header say about its size.
func GroupMemberCount(g groups.GroupView) string {
	if g.Left {
		return "You left this group"
	}
	if len(g.Members) == 1 {
		return "1 member"
	}
	return fmt.Sprintf("%d members", len(g.Members))
}
