package core

import (
	"context"
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
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
// (allowFilePeer), and every handler then admits them only to transfers of
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

// allowFilePeer is p2p/files' Allow gate: contacts, and the members of my
// groups (whose requests the handlers check against the group).
func (m *Messenger) allowFilePeer(id peer.ID) bool { return m.Groups.AllowPeer(id) }

// startGroupFiles makes members who are not my contacts get their pending
// offers and resume their downloads when they connect (contacts do so in
// onConnected), and starts the loop that dials members still owed an
// offer. New calls it after startGroups.
func (m *Messenger) startGroupFiles() {
	m.node.Host.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			if id := c.RemotePeer(); !m.isAccepted(id) && m.Groups.AllowPeer(id) {
				m.spawn(func() { m.resumeTransfers(id) })
			}
		},
	})
	m.goLoop(m.groupFileLoop)
}

// groupFileLoop offers, every RetryInterval, the group files I sent to
// the members not told of them yet, dialling them: a member who is not my
// contact, offline when I sent it, is dialled by nobody else.
func (m *Messenger) groupFileLoop() {
	t := time.NewTicker(m.opts.RetryInterval)
	defer t.Stop()
	for {
		select {
		case <-m.d.Ctx().Done():
			return
		case <-t.C:
		}
		active, err := m.store.ActiveTransfers()
		if err != nil {
			continue
		}
		for _, tr := range active {
			if _, ok := contacts.GroupID(tr.Conversation); !ok || !tr.Outgoing {
				continue
			}
			for member, st := range tr.Recipients {
				if p, err := peer.Decode(member); err == nil && st == contacts.Offered && !m.connected(p) {
					m.spawn(func() { m.offerGroupTo(p, tr.ID, true) })
				}
			}
		}
	}
}

// canSendFiles checks that files may be sent into a conversation: an
// accepted contact's, or a group I am still in.
func (m *Messenger) canSendFiles(conversation string) error {
	if gid, ok := contacts.GroupID(conversation); ok {
		g, ok := m.Groups.Get(gid)
		switch {
		case !ok:
			return groups.ErrUnknownGroup
		case g.Left:
			return groups.ErrLeftGroup
		}
		return nil
	}
	id, err := peer.Decode(conversation)
	if err != nil || !m.isAccepted(id) {
		return book.ErrNotContact
	}
	return nil
}

// transferPeer is the peer a transfer is with: the contact of a 1:1
// transfer, the sender of a group file I receive. (A group file I send has
// many: see transferPeers.)
func (m *Messenger) transferPeer(t contacts.Transfer) string {
	if _, ok := contacts.GroupID(t.Conversation); ok {
		return t.Sender
	}
	return t.Conversation
}

// transferWith reports whether from may fetch or control t as its other
// side: the contact of a 1:1 transfer, or the sender of a group file I
// receive while we are both in the group.
func (m *Messenger) transferWith(t contacts.Transfer, from peer.ID) bool {
	gid, ok := contacts.GroupID(t.Conversation)
	if !ok {
		return t.Conversation == from.String() && m.isAccepted(from)
	}
	if t.Outgoing || t.Sender != from.String() {
		return false
	}
	g, ok := m.Groups.Get(gid)
	return ok && !g.Left && g.HasMember(from.String())
}

// transferPeers lists who hears my controls of t: its other side, or for
// a group file I send, every recipient that still is a member and has been
// told of it and not finished.
func (m *Messenger) transferPeers(t contacts.Transfer) []peer.ID {
	gid, ok := contacts.GroupID(t.Conversation)
	if !ok || !t.Outgoing {
		if p, err := peer.Decode(m.transferPeer(t)); err == nil {
			return []peer.ID{p}
		}
		return nil
	}
	g, ok := m.Groups.Get(gid)
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
func (m *Messenger) sendGroupFile(groupID, path string, voiceNote bool) (contacts.Transfer, error) {
	if err := m.canSendFiles(contacts.GroupConversation(groupID)); err != nil {
		return contacts.Transfer{}, err
	}
	t, err := m.readOutgoing(path, voiceNote)
	if err != nil {
		return t, err
	}
	g, _ := m.Groups.Get(groupID)
	me := m.MyPeerID()
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
	if err := m.putTransfer(t); err != nil {
		return contacts.Transfer{}, err
	}
	for member := range t.Recipients {
		if p, err := peer.Decode(member); err == nil {
			m.spawn(func() { m.offerGroupTo(p, t.ID, true) })
		}
	}
	return t, nil
}

// offerGroupPending offers the group files I sent that member p has not
// been told of yet (it just connected).
func (m *Messenger) offerGroupPending(p peer.ID) {
	active, err := m.store.ActiveTransfers()
	if err != nil {
		return
	}
	for _, t := range active {
		if _, ok := contacts.GroupID(t.Conversation); ok && t.Outgoing && t.Recipients[p.String()] == contacts.Offered {
			m.offerGroupTo(p, t.ID, false)
		}
	}
}

// offerGroupPendingOf offers a group file I sent to every member not told
// of it yet (after a resume: nothing was offered while it was paused).
func (m *Messenger) offerGroupPendingOf(t contacts.Transfer) {
	for member, st := range t.Recipients {
		if p, err := peer.Decode(member); err == nil && st == contacts.Offered {
			m.spawn(func() { m.offerGroupTo(p, t.ID, true) })
		}
	}
}

// offerGroupTo offers one group file to one member, dialling them first
// when dial is set (a member who is not my contact is dialled by nobody
// else), and records their answer.
func (m *Messenger) offerGroupTo(p peer.ID, transferID string, dial bool) {
	// One offer per member and file at a time: the loop retries every
	// RetryInterval, a dial may take seconds.
	key := transferID + " " + p.String()
	m.fs.mu.Lock()
	if m.fs.offering[key] {
		m.fs.mu.Unlock()
		return
	}
	if m.fs.offering == nil {
		m.fs.offering = map[string]bool{}
	}
	m.fs.offering[key] = true
	m.fs.mu.Unlock()
	defer func() {
		m.fs.mu.Lock()
		delete(m.fs.offering, key)
		m.fs.mu.Unlock()
	}()
	t, err := m.store.Transfer(transferID)
	if err != nil || t.Recipients[p.String()] != contacts.Offered ||
		(t.State != contacts.Offered && t.State != contacts.Transferring) {
		return
	}
	gid, _ := contacts.GroupID(t.Conversation)
	if g, ok := m.Groups.Get(gid); !ok || g.Left || !g.HasMember(p.String()) {
		return // removed since: they get nothing further
	}
	ctx, cancel := context.WithTimeout(m.d.Ctx(), 10*time.Second)
	defer cancel()
	if !m.connected(p) {
		if !dial {
			return
		}
		// A successful dial also runs resumeTransfers, which offers this;
		// offers are idempotent, so the second one changes nothing.
		if m.node.Host.Connect(ctx, peer.AddrInfo{ID: p}) != nil {
			return // offered when they connect
		}
	}
	err = m.files.Offer(ctx, p, offerOf(t))
	switch {
	case err == nil:
		m.setRecipient(transferID, p.String(), contacts.Transferring)
	case errors.Is(err, files.ErrRefused):
		m.setRecipient(transferID, p.String(), contacts.Declined)
	}
}

// setRecipient records where one member's copy of a group file I sent
// stands, and settles the transfer when every member has answered. A
// finished member's state no longer changes.
func (m *Messenger) setRecipient(transferID, member string, st contacts.TransferState) {
	t, err := m.updateTransfer(transferID, func(t *contacts.Transfer) error {
		old, listed := t.Recipients[member]
		if !listed || old == st || finishedCopy(old) {
			return errUnchanged
		}
		t.Recipients[member] = st
		m.settleGroupFile(t)
		return nil
	})
	if err == nil && t.State != contacts.Offered && t.State != contacts.Transferring {
		m.fs.mu.Lock()
		delete(m.fs.served, transferID) // groupServed's counts of a settled file
		m.fs.mu.Unlock()
	}
}

// finishedCopy: a member's copy that will not change any more.
func finishedCopy(s contacts.TransferState) bool {
	return s == contacts.Done || s == contacts.Declined || s == contacts.Cancelled || s == contacts.Quarantined
}

// settleGroupFile ends a running group file I sent once every current
// member's copy is finished: Done if anyone has it, else Declined. Members
// removed since count as finished.
func (m *Messenger) settleGroupFile(t *contacts.Transfer) {
	if t.State != contacts.Offered && t.State != contacts.Transferring {
		return
	}
	gid, _ := contacts.GroupID(t.Conversation)
	g, _ := m.Groups.Get(gid)
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

// resettleGroupFiles settles the running files I sent into a group after
// its membership changed: a removed member's copy no longer holds them up.
func (m *Messenger) resettleGroupFiles(groupID string) {
	active, err := m.store.ActiveTransfers()
	if err != nil {
		return
	}
	conv := contacts.GroupConversation(groupID)
	for _, t := range active {
		if t.Conversation != conv || !t.Outgoing {
			continue
		}
		m.updateTransfer(t.ID, func(t *contacts.Transfer) error {
			before := t.State
			m.settleGroupFile(t)
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
func (m *Messenger) groupFetchRefusal(t contacts.Transfer) string {
	gid, ok := contacts.GroupID(t.Conversation)
	if !ok {
		return ""
	}
	g, ok := m.Groups.Get(gid)
	switch {
	case !ok || g.Left:
		return groups.ErrLeftGroup.Error()
	case !g.HasMember(t.Sender):
		return "The sender is no longer in this group"
	}
	return ""
}

// onGroupOffer stores a file a member offers into a group we are both in.
func (m *Messenger) onGroupOffer(from peer.ID, o files.Offer) error {
	g, ok := m.Groups.Get(o.Group)
	if !ok || g.Left || !g.HasMember(from.String()) || !g.HasMember(m.MyPeerID()) {
		return errNotInGroup
	}
	return m.storeOffer(from, o, contacts.GroupConversation(o.Group), from.String())
}

// onGroupFetch serves a group file I sent to a current member it was
// offered to. ok is false when id is not such a transfer (onFetch then
// handles it as a 1:1 one).
func (m *Messenger) onGroupFetch(from peer.ID, id string) (path string, size int64, err error, ok bool) {
	if t, err := m.store.Transfer(id); err != nil || !t.Outgoing || t.Recipients == nil {
		return "", 0, nil, false
	}
	t, err := m.updateTransfer(id, func(t *contacts.Transfer) error {
		gid, _ := contacts.GroupID(t.Conversation)
		g, ok := m.Groups.Get(gid)
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
func (m *Messenger) onGroupControl(from peer.ID, c files.Control) bool {
	t, err := m.store.Transfer(c.TransferID)
	if err != nil || !t.Outgoing || t.Recipients == nil {
		return false
	}
	switch c.Kind {
	case files.Received:
		m.setRecipient(t.ID, from.String(), contacts.Done)
	case files.Quarantined:
		m.setRecipient(t.ID, from.String(), contacts.Quarantined)
	case files.Decline:
		m.setRecipient(t.ID, from.String(), contacts.Declined)
	case files.Cancel:
		m.setRecipient(t.ID, from.String(), contacts.Cancelled)
	}
	return true
}

// groupServed turns how far one member's fetch has got into the sender's
// progress: for a group file, the bytes sent to all its members divided by
// their number (a finished member counts in full). For a 1:1 transfer it
// is sent itself.
func (m *Messenger) groupServed(to peer.ID, id string, sent int64) int64 {
	t, err := m.store.Transfer(id)
	if err != nil || t.Recipients == nil {
		return sent
	}
	m.fs.mu.Lock()
	defer m.fs.mu.Unlock()
	if m.fs.served == nil {
		m.fs.served = map[string]map[string]int64{}
	}
	per := m.fs.served[id]
	if per == nil {
		per = map[string]int64{}
		m.fs.served[id] = per
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
