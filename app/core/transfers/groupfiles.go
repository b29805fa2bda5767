package transfers

import (
	"context"
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/app/core/groups"
	"hearth/contacts"
	"hearth/p2p/files"
)

// Files in group conversations.
//
// Design: a file sent into a group is not relayed or pushed. The sender
// stores ONE outgoing transfer under the group's conversation and offers it
// to every current member over p2p/files, the offer naming the group; each
// member then pulls the file from the sender exactly as in a one-to-one
// transfer (the same policy checks on both sides, resumable fetch from the
// last verified chunk, SHA-256 check, clamd scan, quarantine). This reuses
// the whole 1:1 machinery unchanged, keeps the sender the only source (so a
// removed member, whom the sender no longer serves, gets nothing further),
// and costs the sender one upload per member, which is what a group of at
// most 50 on home links can bear for the sizes people send.
//
// Members who are not my contacts are reached through the addresses in the
// group's signed state (rememberMembers). p2p/files' Allow gate admits them
// (groups.AllowPeer), and every handler then admits them only to transfers of
// a group we are both in: an offer must name such a group, a fetch or a
// control must concern a transfer of it. Transfers with contacts work as
// before. Auto-accept applies to files from members who are my contacts;
// files from others wait for the user.
//
// The sender's transfer keeps each recipient's state (Recipients); it is
// Done when every current member has answered and at least one has the
// file, and the UI shows "sent to N of M members".

// errNotInGroup refuses group transfers from or for someone who is not a
// current member of a group I am in.
var errNotInGroup = errors.New("not a member of that group")

// groupFileLoop offers, every RetryInterval, the group files I sent to
// the members not told of them yet, dialling them: a member who is not my
// contact, offline when I sent it, is dialled by nobody else.
func (x *Transfers) groupFileLoop() {
	t := time.NewTicker(x.d.RetryInterval)
	defer t.Stop()
	for {
		select {
		case <-x.d.Ctx().Done():
			return
		case <-t.C:
		}
		active, err := x.d.Store.ActiveTransfers()
		if err != nil {
			continue
		}
		for _, tr := range active {
			if _, ok := contacts.GroupID(tr.Conversation); !ok || !tr.Outgoing {
				continue
			}
			for member, st := range tr.Recipients {
				if p, err := peer.Decode(member); err == nil && st == contacts.Offered && !x.d.Connected(p) {
					x.d.Go(func() { x.offerGroupTo(p, tr.ID, true) })
				}
			}
		}
	}
}

// canSendFiles checks that files may be sent into a conversation: an
// accepted contact's, or a group I am still in.
func (x *Transfers) canSendFiles(conversation string) error {
	if gid, ok := contacts.GroupID(conversation); ok {
		g, ok := x.groups.Get(gid)
		switch {
		case !ok:
			return groups.ErrUnknownGroup
		case g.Left:
			return groups.ErrLeftGroup
		}
		return nil
	}
	id, err := peer.Decode(conversation)
	if err != nil || !x.d.Book.IsAccepted(id) {
		return book.ErrNotContact
	}
	return nil
}

// transferPeer is the peer a transfer is with: the contact of a 1:1
// transfer, the sender of a group file I receive. (A group file I send has
// many: see transferPeers.)
func (x *Transfers) transferPeer(t contacts.Transfer) string {
	if _, ok := contacts.GroupID(t.Conversation); ok {
		return t.Sender
	}
	return t.Conversation
}

// transferWith reports whether from may fetch or control t as its other
// side: the contact of a 1:1 transfer, or the sender of a group file I
// receive while we are both in the group.
func (x *Transfers) transferWith(t contacts.Transfer, from peer.ID) bool {
	gid, ok := contacts.GroupID(t.Conversation)
	if !ok {
		return t.Conversation == from.String() && x.d.Book.IsAccepted(from)
	}
	if t.Outgoing || t.Sender != from.String() {
		return false
	}
	g, ok := x.groups.Get(gid)
	return ok && !g.Left && g.HasMember(from.String())
}

// transferPeers lists who hears my controls of t: its other side, or for
// a group file I send, every recipient that still is a member and has been
// told of it and not finished.
func (x *Transfers) transferPeers(t contacts.Transfer) []peer.ID {
	gid, ok := contacts.GroupID(t.Conversation)
	if !ok || !t.Outgoing {
		if p, err := peer.Decode(x.transferPeer(t)); err == nil {
			return []peer.ID{p}
		}
		return nil
	}
	g, ok := x.groups.Get(gid)
	if !ok || g.Left {
		return nil
	}
	var out []peer.ID
	for member, st := range t.Recipients {
		if st != contacts.Transferring || !g.HasMember(member) {
			continue
		}
		if p, err := peer.Decode(member); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// sendGroupFile offers a file to every other current member of a group.
func (x *Transfers) sendGroupFile(groupID, path string, voiceNote bool) (contacts.Transfer, error) {
	if err := x.canSendFiles(contacts.GroupConversation(groupID)); err != nil {
		return contacts.Transfer{}, err
	}
	t, err := x.readOutgoing(path, voiceNote)
	if err != nil {
		return t, err
	}
	g, _ := x.groups.Get(groupID)
	me := x.d.Self.String()
	t.Conversation = contacts.GroupConversation(groupID)
	t.Recipients = map[string]contacts.TransferState{}
	for _, mem := range g.Members {
		if mem.PeerID != me {
			t.Recipients[mem.PeerID] = contacts.Offered
		}
	}
	if len(t.Recipients) == 0 {
		return contacts.Transfer{}, errors.New("nobody else is in this group")
	}
	if err := x.putTransfer(t); err != nil {
		return contacts.Transfer{}, err
	}
	for member := range t.Recipients {
		if p, err := peer.Decode(member); err == nil {
			x.d.Go(func() { x.offerGroupTo(p, t.ID, true) })
		}
	}
	return t, nil
}

// offerGroupPending offers the group files I sent that member p has not
// been told of yet (it just connected).
func (x *Transfers) offerGroupPending(p peer.ID) {
	active, err := x.d.Store.ActiveTransfers()
	if err != nil {
		return
	}
	for _, t := range active {
		if _, ok := contacts.GroupID(t.Conversation); ok && t.Outgoing && t.Recipients[p.String()] == contacts.Offered {
			x.offerGroupTo(p, t.ID, false)
		}
	}
}

// offerGroupPendingOf offers a group file I sent to every member not told
// of it yet (after a resume: nothing was offered while it was paused).
func (x *Transfers) offerGroupPendingOf(t contacts.Transfer) {
	for member, st := range t.Recipients {
		if p, err := peer.Decode(member); err == nil && st == contacts.Offered {
			x.d.Go(func() { x.offerGroupTo(p, t.ID, true) })
		}
	}
}

// offerGroupTo offers one group file to one member, dialling them first
// when dial is set (a member who is not my contact is dialled by nobody
// else), and records their answer.
func (x *Transfers) offerGroupTo(p peer.ID, transferID string, dial bool) {
	// One offer per member and file at a time: the loop retries every
	// RetryInterval, a dial may take seconds.
	key := transferID + " " + p.String()
	x.mu.Lock()
	if x.offering[key] {
		x.mu.Unlock()
		return
	}
	if x.offering == nil {
		x.offering = map[string]bool{}
	}
	x.offering[key] = true
	x.mu.Unlock()
	defer func() {
		x.mu.Lock()
		delete(x.offering, key)
		x.mu.Unlock()
	}()
	t, err := x.d.Store.Transfer(transferID)
	if err != nil || t.Recipients[p.String()] != contacts.Offered ||
		(t.State != contacts.Offered && t.State != contacts.Transferring) {
		return
	}
	gid, _ := contacts.GroupID(t.Conversation)
	if g, ok := x.groups.Get(gid); !ok || g.Left || !g.HasMember(p.String()) {
		return // removed since: they get nothing further
	}
	ctx, cancel := context.WithTimeout(x.d.Ctx(), 10*time.Second)
	defer cancel()
	if !x.d.Connected(p) {
		if !dial {
			return
		}
		// A successful dial also runs resumeTransfers, which offers this;
		// offers are idempotent, so the second one changes nothing.
		if x.d.Dial(ctx, p) != nil {
			return // offered when they connect
		}
	}
	err = x.svc.Offer(ctx, p, OfferOf(t))
	switch {
	case err == nil:
		x.setRecipient(transferID, p.String(), contacts.Transferring)
	case errors.Is(err, files.ErrRefused):
		x.setRecipient(transferID, p.String(), contacts.Declined)
	}
}

// setRecipient records where one member's copy of a group file I sent
// stands, and settles the transfer when every member has answered. A
// finished member's state no longer changes.
func (x *Transfers) setRecipient(transferID, member string, st contacts.TransferState) {
	t, err := x.updateTransfer(transferID, func(t *contacts.Transfer) error {
		old, listed := t.Recipients[member]
		if !listed || old == st || finishedCopy(old) {
			return errUnchanged
		}
		t.Recipients[member] = st
		x.settleGroupFile(t)
		return nil
	})
	if err == nil && t.State != contacts.Offered && t.State != contacts.Transferring {
		x.mu.Lock()
		delete(x.served, transferID) // groupServed's counts of a settled file
		x.mu.Unlock()
	}
}

// finishedCopy: a member's copy that will not change any more.
func finishedCopy(s contacts.TransferState) bool {
	return s == contacts.Done || s == contacts.Declined || s == contacts.Cancelled || s == contacts.Quarantined
}

// settleGroupFile ends a running group file I sent once every current
// member's copy is finished: Done if anyone has it, else Declined. Members
// removed since count as finished.
func (x *Transfers) settleGroupFile(t *contacts.Transfer) {
	if t.State != contacts.Offered && t.State != contacts.Transferring {
		return
	}
	gid, _ := contacts.GroupID(t.Conversation)
	g, _ := x.groups.Get(gid)
	got := 0
	for member, st := range t.Recipients {
		switch {
		case st == contacts.Done:
			got++
		case !finishedCopy(st) && g.HasMember(member):
			return
		}
	}
	if got > 0 {
		t.State, t.Done, t.Reason = contacts.Done, t.Size, ""
	} else {
		t.State, t.Reason = contacts.Declined, "Nobody in the group took it"
	}
}

// GroupChanged settles the running files I sent into a group after
// its membership changed: a removed member's copy no longer holds them up.
func (x *Transfers) GroupChanged(groupID string) {
	active, err := x.d.Store.ActiveTransfers()
	if err != nil {
		return
	}
	conv := contacts.GroupConversation(groupID)
	for _, t := range active {
		if t.Conversation != conv || !t.Outgoing {
			continue
		}
		x.updateTransfer(t.ID, func(t *contacts.Transfer) error {
			before := t.State
			x.settleGroupFile(t)
			if t.State == before {
				return errUnchanged
			}
			return nil
		})
	}
}

// GroupFileDelivery counts, for a group file I sent, the members who have
// it and the members it was sent to (removed members excluded).
func GroupFileDelivery(t contacts.Transfer, g contacts.Group) (got, of int) {
	for member, st := range t.Recipients {
		if !g.HasMember(member) && st != contacts.Done {
			continue
		}
		of++
		if st == contacts.Done {
			got++
		}
	}
	return got, of
}

// groupFetchRefusal says why a group file may no longer be fetched (I
// left the group, or its sender did), or "" when it may, or is no group
// file. The sender would refuse anyway; this ends the transfer at once.
func (x *Transfers) groupFetchRefusal(t contacts.Transfer) string {
	gid, ok := contacts.GroupID(t.Conversation)
	if !ok {
		return ""
	}
	g, ok := x.groups.Get(gid)
	switch {
	case !ok || g.Left:
		return groups.ErrLeftGroup.Error()
	case !g.HasMember(t.Sender):
		return "The sender is no longer in this group"
	}
	return ""
}

// onGroupOffer stores a file a member offers into a group we are both in.
func (x *Transfers) onGroupOffer(from peer.ID, o files.Offer) error {
	g, ok := x.groups.Get(o.Group)
	if !ok || g.Left || !g.HasMember(from.String()) || !g.HasMember(x.d.Self.String()) {
		return errNotInGroup
	}
	return x.storeOffer(from, o, contacts.GroupConversation(o.Group), from.String())
}

// onGroupFetch serves a group file I sent to a current member it was
// offered to. ok is false when id is not such a transfer (onFetch then
// handles it as a 1:1 one).
func (x *Transfers) onGroupFetch(from peer.ID, id string) (path string, size int64, err error, ok bool) {
	if t, err := x.d.Store.Transfer(id); err != nil || !t.Outgoing || t.Recipients == nil {
		return "", 0, nil, false
	}
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		gid, _ := contacts.GroupID(t.Conversation)
		g, ok := x.groups.Get(gid)
		st, listed := t.Recipients[from.String()]
		if !ok || g.Left || !g.HasMember(from.String()) || !listed {
			return ErrUnknownTransfer // a non-member, or a member removed since
		}
		if finishedCopy(st) {
			return ErrTransferState
		}
		switch t.State {
		case contacts.Offered, contacts.Transferring:
		case contacts.Paused:
			return ErrTransferPaused
		default:
			return ErrTransferState
		}
		if t.State == contacts.Transferring && st == contacts.Transferring {
			return errUnchanged
		}
		t.State, t.Recipients[from.String()] = contacts.Transferring, contacts.Transferring
		return nil
	})
	if err != nil {
		return "", 0, err, true
	}
	return t.Path, t.Size, nil, true
}

// onGroupControl applies a member's word about its copy of a group file I
// sent: it has it, declined it, or cancelled it (its pauses concern its
// copy only). It reports whether c was about such a transfer.
func (x *Transfers) onGroupControl(from peer.ID, c files.Control) bool {
	t, err := x.d.Store.Transfer(c.TransferID)
	if err != nil || !t.Outgoing || t.Recipients == nil {
		return false
	}
	switch c.Kind {
	case files.Received:
		x.setRecipient(t.ID, from.String(), contacts.Done)
	case files.Quarantined:
		x.setRecipient(t.ID, from.String(), contacts.Quarantined)
	case files.Decline:
		x.setRecipient(t.ID, from.String(), contacts.Declined)
	case files.Cancel:
		x.setRecipient(t.ID, from.String(), contacts.Cancelled)
	}
	return true
}

// groupServed turns how far one member's fetch has got into the sender's
// progress: for a group file, the bytes sent to all its members divided by
// their number (a finished member counts in full). For a 1:1 transfer it
// is sent itself.
func (x *Transfers) groupServed(to peer.ID, id string, sent int64) int64 {
	t, err := x.d.Store.Transfer(id)
	if err != nil || t.Recipients == nil {
		return sent
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.served == nil {
		x.served = map[string]map[string]int64{}
	}
	per := x.served[id]
	if per == nil {
		per = map[string]int64{}
		x.served[id] = per
	}
	per[to.String()] = sent
	var sum int64
	for member, st := range t.Recipients {
		if st == contacts.Done {
			sum += t.Size
		} else {
			sum += per[member]
		}
	}
	return sum / int64(len(t.Recipients))
}
