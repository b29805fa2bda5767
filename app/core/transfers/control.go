package transfers

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/contacts"
	"hearth/p2p/files"
)

// AcceptTransfer starts downloading an offered file.
func (x *Transfers) AcceptTransfer(id string) error {
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		if t.Outgoing || t.State != contacts.Offered {
			return ErrTransferState
		}
		t.State = contacts.Transferring
		return nil
	})
	if err != nil {
		return err
	}
	x.d.Go(func() { x.startFetch(t) })
	return nil
}

// DeclineTransfer refuses an offered file.
func (x *Transfers) DeclineTransfer(id string) error {
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		if t.Outgoing || t.State != contacts.Offered {
			return ErrTransferState
		}
		t.State, t.Reason = contacts.Declined, "You declined"
		return nil
	})
	if err != nil {
		return err
	}
	removePart(x.partPath(id)) // a carried copy
	x.control(t, files.Control{TransferID: id, Kind: files.Decline, Reason: x.d.Name() + " declined"})
	return nil
}

// PauseTransfer stops a transfer where it is; ResumeTransfer goes on from
// the last verified chunk.
func (x *Transfers) PauseTransfer(id string) error {
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		if t.State != contacts.Transferring && t.State != contacts.Offered {
			return ErrTransferState
		}
		t.State = contacts.Paused
		return nil
	})
	if err != nil {
		return err
	}
	x.stopFetch(id)
	x.control(t, files.Control{TransferID: id, Kind: files.Pause})
	return nil
}

// ResumeTransfer continues a paused transfer.
func (x *Transfers) ResumeTransfer(id string) error {
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		if t.State != contacts.Paused {
			return ErrTransferState
		}
		t.State = contacts.Transferring
		return nil
	})
	if err != nil {
		return err
	}
	c := files.Control{TransferID: id, Kind: files.Resume}
	if t.Outgoing {
		x.control(t, c)
		x.offerGroupPendingOf(t) // groupfiles.go: members not told while it was paused
		return nil
	}
	// The sender must hear "resume" before the fetch, or it refuses the
	// fetch as paused.
	x.d.Go(func() {
		if p, err := peer.Decode(x.transferPeer(t)); err == nil {
			ctx, cancel := context.WithTimeout(x.d.Ctx(), 10*time.Second)
			x.svc.Control(ctx, p, c)
			cancel()
		}
		x.startFetch(t)
	})
	return nil
}

// CancelTransfer gives a transfer up on both sides.
func (x *Transfers) CancelTransfer(id string) error {
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		switch t.State {
		case contacts.Offered, contacts.Transferring, contacts.Paused:
		default:
			return ErrTransferState
		}
		t.State, t.Reason = contacts.Cancelled, "You cancelled"
		return nil
	})
	if err != nil {
		return err
	}
	x.stopFetch(id)
	if !t.Outgoing {
		removePart(x.partPath(id))
	}
	x.control(t, files.Control{TransferID: id, Kind: files.Cancel, Reason: x.d.Name() + " cancelled"})
	x.d.Go(func() { x.recallThroughCarriers(t) }) // carryfiles.go
	return nil
}

// removePart removes a partial download: the file, its sidecar and a
// carried copy (carryfiles.go).
func removePart(part string) {
	os.Remove(part)
	removeSidecars(part)
}

// removeSidecars removes what goes with a partial download once it is
// moved away: its sidecar and a carried copy no longer needed.
func removeSidecars(part string) {
	os.Remove(files.SidecarPath(part))
	os.Remove(carriedCopy(part))
}

// control tells the other side (every member a group file went to), in
// the background.
func (x *Transfers) control(t contacts.Transfer, c files.Control) {
	for _, p := range x.transferPeers(t) {
		x.d.Go(func() {
			ctx, cancel := context.WithTimeout(x.d.Ctx(), 10*time.Second)
			defer cancel()
			x.svc.Control(ctx, p, c)
		})
	}
}

// OnControl applies the other side's pause, resume, cancel or decline.
func (x *Transfers) OnControl(from peer.ID, c files.Control) { x.applyControl(from, c, true) }

// applyControl is onControl; a cancel of a transfer not here yet is noted
// (carryfiles.go) when mayRecall, and applied once more if the transfer
// arrived meanwhile.
func (x *Transfers) applyControl(from peer.ID, c files.Control, mayRecall bool) {
	reason := base.TruncateUTF8(c.Reason, 200)
	if x.onGroupControl(from, c) { // groupfiles.go: a member about its copy
		return
	}
	var fetch, stop, removeP bool
	t, err := x.updateTransfer(c.TransferID, func(t *contacts.Transfer) error {
		if !x.transferWith(*t, from) {
			return ErrUnknownTransfer
		}
		switch c.Kind {
		case files.Pause:
			if t.State != contacts.Transferring && t.State != contacts.Offered {
				return errUnchanged
			}
			t.State, stop = contacts.Paused, true
		case files.Resume:
			if t.State != contacts.Paused {
				return errUnchanged
			}
			t.State, fetch = contacts.Transferring, !t.Outgoing
		case files.Cancel:
			switch t.State {
			case contacts.Offered, contacts.Transferring, contacts.Paused:
			default:
				return errUnchanged
			}
			t.State, t.Reason, stop, removeP = contacts.Cancelled, reason, true, !t.Outgoing
		case files.Decline:
			if !t.Outgoing || (t.State != contacts.Offered && t.State != contacts.Transferring) {
				return errUnchanged
			}
			t.State, t.Reason = contacts.Declined, reason
		case files.Received:
			if !t.Outgoing || t.State == contacts.Cancelled {
				return errUnchanged
			}
			t.State, t.Done, t.Reason = contacts.Done, t.Size, reason
		case files.Quarantined:
			if !t.Outgoing || t.State == contacts.Cancelled {
				return errUnchanged
			}
			t.State, t.Done, t.Scan, t.Signature = contacts.Quarantined, t.Size, contacts.Infected, reason
		default:
			return errUnchanged
		}
		return nil
	})
	if mayRecall && errors.Is(err, ErrUnknownTransfer) && c.Kind == files.Cancel && x.groups.AllowPeer(from) {
		// carryfiles.go: a carrier may hand it over yet, or is doing so.
		if x.noteRecalled(from, c.TransferID) {
			x.applyControl(from, c, false) // it arrived meanwhile: cancel it
		}
		return
	}
	if err != nil {
		return
	}
	if stop {
		x.stopFetch(t.ID)
	}
	if removeP {
		removePart(x.partPath(t.ID))
	}
	if fetch {
		x.d.Go(func() { x.startFetch(t) })
	}
}
