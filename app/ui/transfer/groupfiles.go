package transfer

import (
	"fyne.io/fyne/v2/lang"

	"hearth/app/core/transfers"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// groupStatus adapts a transfer row's status line to a file in a group
// conversation: an incoming file names its sender ("From Bob"), an
// outgoing one counts the members who have it ("Sent to 2 of 3 members").
// One-to-one transfers keep status as it is.
func (r *Row) groupStatus(status string) string {
	t := r.Transfer
	if _, ok := contacts.GroupID(t.Conversation); !ok {
		return status
	}
	if !t.Outgoing {
		from := lang.L("From {{.Name}}", map[string]any{"Name": r.senderName()})
		if status == "" {
			return from
		}
		return from + " · " + status
	}
	var g contacts.Group
	if gv := r.cv.SelectedGroup(); gv != nil {
		g = gv.Group
	} else {
		for member := range t.Recipients { // not open: count everyone
			g.Members = append(g.Members, contacts.GroupMember{PeerID: member})
		}
	}
	got, of := transfers.GroupFileDelivery(t, g)
	sent := lang.L("Sent to {{.Count}} of {{.Of}} members", map[string]any{"Count": got, "Of": of})
	if of == 1 {
		sent = lang.L("Sent to {{.Count}} of 1 member", map[string]any{"Count": got})
	}
	switch t.State {
	case contacts.Offered:
		return lang.L("Waiting for the members to accept")
	case contacts.Transferring, contacts.Paused:
		if status == "" {
			return sent
		}
		return sent + " · " + status
	case contacts.Done:
		return sent + " ✓"
	}
	return status
}

// senderName is the name of who sent an incoming group file.
func (r *Row) senderName() string {
	if name := r.cv.Author(r.Transfer.Sender); name != "" {
		return name
	}
	return kit.DisplayName("", r.Transfer.Sender)
}
