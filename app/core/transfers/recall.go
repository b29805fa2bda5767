package transfers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/files"
	"hearth/p2p/wire"
)

// answerKnownOffer tells the sender of an offer I already settled how it
// ended, when it offers it again: it missed that (it was away when I
// finished a carried copy, or the message was lost).
func (x *Transfers) answerKnownOffer(t contacts.Transfer) {
	c := files.Control{TransferID: t.ID}
	switch t.State {
	case contacts.Done:
		c.Kind = files.Received
	case contacts.Quarantined:
		c.Kind, c.Reason = files.Quarantined, t.Signature
	case contacts.Declined:
		c.Kind, c.Reason = files.Decline, x.d.Name()+" declined"
	case contacts.Cancelled:
		c.Kind, c.Reason = files.Cancel, x.d.Name()+" cancelled"
	default:
		return
	}
	x.control(t, c)
}

// recallCarried tells a contact who just connected about the small files
// I cancelled lately: a carrier may still hand one over (or may have),
// and the contact must not finish it from the carried copy. A file the
// contact already has stays (onControl ignores a cancel of a finished
// transfer).
func (x *Transfers) recallCarried(id peer.ID) {
	convs := []string{id.String()}
	for _, g := range x.groups.All() {
		if !g.Left && g.HasMember(id.String()) {
			convs = append(convs, contacts.GroupConversation(g.ID))
		}
	}
	since := time.Now().Add(-x.carry.Load().Limits().MaxAge)
	for _, conv := range convs {
		ts, err := x.d.Store.Transfers(conv)
		if err != nil {
			return
		}
		for _, t := range ts {
			if !t.Outgoing || t.State != contacts.Cancelled || t.Size > wire.MaxCarriedFile || !t.UpdatedAt.After(since) {
				continue
			}
			// A group file: only members whose copy was not finished.
			if st, listed := t.Recipients[id.String()]; t.Recipients != nil && (!listed || finishedCopy(st)) {
				continue
			}
			c := files.Control{TransferID: t.ID, Kind: files.Cancel, Reason: x.d.Name() + " cancelled"}
			x.d.Go(func() {
				ctx, cancel := context.WithTimeout(x.d.Ctx(), 10*time.Second)
				defer cancel()
				x.svc.Control(ctx, id, c)
			})
		}
	}
}

// recallThroughCarriers sends the cancel of a small file I sent to each
// recipient whose copy is not finished: directly when connected, else
// sealed, through carriers (best effort), since a carrier may hold the
// file for them and they must not finish it.
func (x *Transfers) recallThroughCarriers(t contacts.Transfer) {
	if !t.Outgoing || t.Size > wire.MaxCarriedFile {
		return
	}
	var to []peer.ID
	if t.Recipients == nil {
		if p, err := peer.Decode(t.Conversation); err == nil {
			to = append(to, p)
		}
	}
	for member, st := range t.Recipients {
		if p, err := peer.Decode(member); err == nil && !finishedCopy(st) {
			to = append(to, p)
		}
	}
	for _, p := range to {
		if x.d.Connected(p) {
			// Told directly (again, for a group member CancelTransfer
			// did not tell: one whose copy had not started).
			ctx, cancel := context.WithTimeout(x.d.Ctx(), 10*time.Second)
			x.svc.Control(ctx, p, files.Control{TransferID: t.ID, Kind: files.Cancel, Reason: x.d.Name() + " cancelled"})
			cancel()
			continue
		}
		n := 0
		for _, c := range x.carry.Load().CarriersFor(p) {
			if n == x.carry.Load().Limits().Carriers || x.d.Ctx().Err() != nil {
				break
			}
			x.carry.Load().DepositIDs(c, p, wire.SealedRecall, []string{t.ID})
			n++
		}
	}
}

// settingRecalled holds the small files contacts cancelled before their
// carried copy reached me: "peer transfer-ID unix-seconds" lines.
const settingRecalled = "files.recalled"

// MaxRecalled bounds that list, and MaxRecalledPer each peer's part of it
// (oldest dropped first), so one contact cannot push out another's.
const (
	MaxRecalled    = 500
	MaxRecalledPer = 32
)

// noteRecalled remembers that contact from cancelled a transfer I have not
// received, so its carried copy is dropped if a carrier hands it over. It
// reports whether the transfer is here after all: a carrier handed it
// over while the cancel was on its way, and the caller cancels it.
func (x *Transfers) noteRecalled(from peer.ID, id string) bool {
	x.recall.Lock()
	defer x.recall.Unlock()
	lines := x.recalled()
	cut := time.Now().Add(-x.carry.Load().Limits().MaxAge).Unix()
	lines = slices.DeleteFunc(lines, func(l recalledFile) bool { return l.at < cut || l.peer == from.String() && l.id == id })
	mine := 0
	for _, l := range lines {
		if l.peer == from.String() {
			mine++
		}
	}
	for i := 0; mine >= MaxRecalledPer && i < len(lines); {
		if lines[i].peer == from.String() {
			lines = slices.Delete(lines, i, i+1)
			mine--
			continue
		}
		i++
	}
	lines = append(lines, recalledFile{peer: from.String(), id: id, at: time.Now().Unix()})
	if len(lines) > MaxRecalled {
		lines = lines[len(lines)-MaxRecalled:]
	}
	var b []byte
	for _, l := range lines {
		b = fmt.Appendf(b, "%s %s %d\n", l.peer, l.id, l.at)
	}
	x.d.Store.SetSetting(settingRecalled, b)
	t, err := x.d.Store.Transfer(id)
	return err == nil && x.transferWith(t, from) // so applyControl finds it
}

// wasRecalled reports whether s cancelled transfer id before it got here;
// callers hold x.recall.
func (x *Transfers) wasRecalled(s peer.ID, id string) bool {
	return slices.ContainsFunc(x.recalled(), func(l recalledFile) bool { return l.peer == s.String() && l.id == id })
}

type recalledFile struct {
	peer, id string
	at       int64
}

// recalled reads the list; callers hold x.recall.
func (x *Transfers) recalled() []recalledFile {
	b, _ := x.d.Store.Setting(settingRecalled)
	var out []recalledFile
	for _, line := range strings.Split(string(b), "\n") {
		var l recalledFile
		if _, err := fmt.Sscanf(line, "%s %s %d", &l.peer, &l.id, &l.at); err == nil {
			out = append(out, l)
		}
	}
	return out
}

// Recalled reports whether s cancelled transfer id before it got here.
func (x *Transfers) Recalled(s peer.ID, id string) bool {
	x.recall.Lock()
	defer x.recall.Unlock()
	return x.wasRecalled(s, id)
}
