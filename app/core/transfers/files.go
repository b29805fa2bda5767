package transfers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/policy"
	"hearth/app/scan"
	"hearth/contacts"
	"hearth/media/voice"
	"hearth/p2p/files"
)

const (
	settingDownloadDir = "files.download_dir"
	// progressEvery bounds how often a running transfer is reported and
	// saved.
	progressEvery = 200 * time.Millisecond
)

func (x *Transfers) PartialDir() string    { return filepath.Join(x.d.Dir, "partial") }
func (x *Transfers) quarantineDir() string { return filepath.Join(x.d.Dir, "quarantine") }
func (x *Transfers) partPath(id string) string {
	return filepath.Join(x.PartialDir(), id+".part")
}

// DownloadDir is where received files are saved.
func (x *Transfers) DownloadDir() string {
	if b, err := x.d.Store.Setting(settingDownloadDir); err == nil && len(b) > 0 {
		return string(b)
	}
	if x.cfg.DownloadDir != "" {
		return x.cfg.DownloadDir
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "Downloads", "Hearth")
	}
	return filepath.Join(x.d.Dir, "downloads")
}

// SetDownloadDir changes where received files are saved.
func (x *Transfers) SetDownloadDir(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("the download folder must be a full path")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot use %s: %w", dir, err)
	}
	return x.d.Store.SetSetting(settingDownloadDir, []byte(dir))
}

// Policy describes the file policy in force.
func (x *Transfers) Policy() PolicyView {
	p := x.policy
	return PolicyView{
		Installed:        p.Installed(),
		Source:           p.Source,
		TransfersOff:     p.TransfersOff,
		MaxSize:          p.MaxSize,
		AllowedKinds:     p.Allowed,
		BlockedKinds:     p.Blocked,
		AutoAcceptBelow:  x.AutoAcceptBelow(),
		AutoAcceptFixed:  p.AutoAcceptFixed,
		ScannerAvailable: x.scanner != nil,
		ScannerAddr:      x.scannerAddr(),
	}
}

func (x *Transfers) scannerAddr() string {
	if x.scanner == nil {
		return ""
	}
	return x.scanner.String()
}

// Transfers lists a conversation's file transfers, oldest first.
func (x *Transfers) Transfers(peerID string) ([]contacts.Transfer, error) {
	return x.d.Store.Transfers(peerID)
}

// SendFile offers a file to a contact. It reads the file once to hash it,
// so callers keep it off the UI goroutine.
func (x *Transfers) SendFile(peerID, path string) (contacts.Transfer, error) {
	return x.sendFile(peerID, path, false)
}

// sendFile offers a file into a conversation: a contact's, or a group's
// (groupfiles.go).
func (x *Transfers) sendFile(conversation, path string, voiceNote bool) (contacts.Transfer, error) {
	if gid, ok := contacts.GroupID(conversation); ok {
		return x.sendGroupFile(gid, path, voiceNote)
	}
	id, err := peer.Decode(conversation)
	if err != nil || !x.d.Book.IsAccepted(id) {
		return contacts.Transfer{}, book.ErrNotContact
	}
	t, err := x.readOutgoing(path, voiceNote)
	if err != nil {
		return t, err
	}
	t.Conversation = conversation
	if err := x.putTransfer(t); err != nil {
		return contacts.Transfer{}, err
	}
	if x.d.Connected(id) {
		x.d.Go(func() { x.offerPending(id) })
	}
	return t, nil
}

// readOutgoing checks a file against the policy and hashes it, and returns
// the outgoing transfer for it, without a conversation and not stored.
func (x *Transfers) readOutgoing(path string, voiceNote bool) (contacts.Transfer, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return contacts.Transfer{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return contacts.Transfer{}, fmt.Errorf("cannot read the file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return contacts.Transfer{}, err
	}
	if !fi.Mode().IsRegular() {
		return contacts.Transfer{}, ErrNotAFile
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if err := x.policy.Check(fi.Name(), fi.Size(), head); err != nil {
		return contacts.Transfer{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return contacts.Transfer{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return contacts.Transfer{}, fmt.Errorf("reading the file: %w", err)
	}
	now := time.Now()
	return contacts.Transfer{
		ID:        base.NewID(),
		Outgoing:  true,
		Name:      fi.Name(),
		Size:      fi.Size(),
		MIME:      policy.Sniff(head),
		SHA256:    hex.EncodeToString(h.Sum(nil)),
		Path:      path,
		State:     contacts.Offered,
		VoiceNote: voiceNote,
		CreatedAt: now,
		UpdatedAt: now,
	}, nil
}

// errUnchanged tells updateTransfer to write nothing.
var errUnchanged = errors.New("unchanged")

// updateTransfer reads, changes and writes one transfer under a lock, so
// that concurrent changes (a pause racing the last chunk, progress racing a
// cancel) never write back a stale copy. f returns errUnchanged to leave
// the transfer as it is, or an error to refuse the change.
func (x *Transfers) updateTransfer(id string, f func(t *contacts.Transfer) error) (contacts.Transfer, error) {
	x.tmu.Lock()
	defer x.tmu.Unlock()
	t, err := x.d.Store.Transfer(id)
	if err != nil {
		return t, ErrUnknownTransfer
	}
	if err := f(&t); err != nil {
		if errors.Is(err, errUnchanged) {
			return t, nil
		}
		return t, err
	}
	return t, x.putTransfer(t)
}

func (x *Transfers) putTransfer(t contacts.Transfer) error {
	t.UpdatedAt = time.Now()
	if err := x.d.Store.PutTransfer(t); err != nil {
		return fmt.Errorf("saving transfer: %w", err)
	}
	x.d.Publish(event.TransferChanged{Transfer: t})
	return nil
}

// OfferOf is the offer of a transfer, naming its group for a group file.
func OfferOf(t contacts.Transfer) files.Offer {
	o := files.Offer{TransferID: t.ID, Name: t.Name, Size: t.Size, MIME: t.MIME, VoiceNote: t.VoiceNote}
	o.Group, _ = contacts.GroupID(t.Conversation)
	b, _ := hex.DecodeString(t.SHA256)
	copy(o.SHA256[:], b)
	return o
}

// resumeTransfers runs when a contact connects: offers that never reached
// it go out again, and my interrupted downloads from it continue.
func (x *Transfers) resumeTransfers(id peer.ID) {
	x.offerPending(id)
	x.recallCarried(id) // carryfiles.go
	active, err := x.d.Store.ActiveTransfers()
	if err != nil {
		return
	}
	for _, t := range active {
		if x.transferPeer(t) == id.String() && !t.Outgoing && t.State == contacts.Transferring {
			x.startFetch(t)
		}
	}
}

func (x *Transfers) offerPending(id peer.ID) {
	active, err := x.d.Store.ActiveTransfers()
	if err != nil {
		return
	}
	for _, t := range active {
		if t.Conversation != id.String() || !t.Outgoing || t.State != contacts.Offered {
			continue
		}
		ctx, cancel := context.WithTimeout(x.d.Ctx(), 10*time.Second)
		err := x.svc.Offer(ctx, id, OfferOf(t))
		cancel()
		if errors.Is(err, files.ErrRefused) {
			x.updateTransfer(t.ID, func(t *contacts.Transfer) error {
				if t.State != contacts.Offered {
					return errUnchanged
				}
				t.State, t.Reason = contacts.Declined, refusal(err)
				return nil
			})
		}
	}
	x.offerGroupPending(id) // groupfiles.go
}

// refusal turns a peer's refusal into text for the user.
func refusal(err error) string {
	if r, ok := files.Reason(err); ok {
		return r
	}
	return err.Error()
}

// onOffer stores a file offered by a contact, or by a member into a
// group, subject to the policy.
func (x *Transfers) onOffer(from peer.ID, o files.Offer) error {
	if o.Group != "" {
		return x.onGroupOffer(from, o) // groupfiles.go
	}
	if !x.d.Book.IsAccepted(from) {
		return book.ErrNotContact
	}
	return x.storeOffer(from, o, from.String(), "")
}

// storeOffer stores an offer into a conversation (for a group's, sender
// is who sent it). Auto-accept applies to contacts only.
func (x *Transfers) storeOffer(from peer.ID, o files.Offer, conversation, sender string) error {
	if old, err := x.d.Store.Transfer(o.TransferID); err == nil {
		if old.Conversation != conversation || old.Sender != sender || old.Outgoing {
			return ErrUnknownTransfer
		}
		// Offered again after a reconnect: already known, and maybe
		// settled while the sender was away (carryfiles.go).
		x.answerKnownOffer(old)
		return nil
	}
	if err := x.policy.CheckOffer(o.Name, o.Size, o.MIME); err != nil {
		return err
	}
	now := time.Now()
	t := contacts.Transfer{
		ID:           o.TransferID,
		Conversation: conversation,
		Sender:       sender,
		Name:         o.Name,
		Size:         o.Size,
		MIME:         o.MIME,
		SHA256:       hex.EncodeToString(o.SHA256[:]),
		State:        contacts.Offered,
		VoiceNote:    o.VoiceNote,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	if x.d.Book.IsAccepted(from) && o.Size < x.AutoAcceptBelow() {
		t.State = contacts.Transferring
	}
	if err := x.putTransfer(t); err != nil {
		return err
	}
	if t.State == contacts.Transferring {
		x.d.Go(func() { x.startFetch(t) })
	}
	return nil
}

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

// onFetch serves my file to the contact who accepted it, or to a member
// of the group I sent it into.
func (x *Transfers) onFetch(from peer.ID, id string) (string, int64, error) {
	if path, size, err, ok := x.onGroupFetch(from, id); ok { // groupfiles.go
		return path, size, err
	}
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		if !x.transferWith(*t, from) || !t.Outgoing {
			return ErrUnknownTransfer
		}
		switch t.State {
		case contacts.Offered:
			t.State = contacts.Transferring
			return nil
		case contacts.Transferring:
			return errUnchanged
		case contacts.Paused:
			return ErrTransferPaused
		default:
			return ErrTransferState
		}
	})
	if err != nil {
		return "", 0, err
	}
	return t.Path, t.Size, nil
}

// onServed records how far my file has been sent, so my side shows
// progress too.
func (x *Transfers) onServed(to peer.ID, id string, sent int64) {
	x.progress(id, x.groupServed(to, id, sent)) // groupfiles.go: summed over members
}

// startFetch downloads an accepted transfer (resuming what is verified)
// unless a download of it already runs.
func (x *Transfers) startFetch(t contacts.Transfer) {
	p, err := peer.Decode(x.transferPeer(t))
	if err != nil {
		return
	}
	if reason := x.groupFetchRefusal(t); reason != "" { // groupfiles.go
		x.failTransfer(t.ID, reason)
		return
	}
	x.mu.Lock()
	if _, running := x.fetches[t.ID]; running || x.d.Ctx().Err() != nil {
		x.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(x.d.Ctx())
	run := &fetchRun{cancel: cancel}
	x.fetches[t.ID] = run
	x.mu.Unlock()
	x.d.Go(func() {
		defer func() {
			cancel()
			x.mu.Lock()
			if x.fetches[t.ID] == run {
				delete(x.fetches, t.ID)
			}
			x.mu.Unlock()
		}()
		if err := os.MkdirAll(x.PartialDir(), 0o700); err != nil {
			x.failTransfer(t.ID, "Cannot write the download: "+err.Error())
			return
		}
		if x.useCarried(t.ID) { // carryfiles.go: the bytes came through a carrier
			x.finishDownload(t.ID)
			return
		}
		var err error
		for try := 0; ; try++ {
			err = x.svc.Fetch(ctx, p, OfferOf(t), x.partPath(t.ID), func(done int64) { x.progress(t.ID, done) })
			// A paused download may still be letting go of the part file.
			if !errors.Is(err, files.ErrBusy) || try == 50 || ctx.Err() != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		switch {
		case err == nil:
			x.finishDownload(t.ID)
		case ctx.Err() != nil:
			// Paused, cancelled or shutting down: the state says which.
		case errors.Is(err, files.ErrHashMismatch), errors.Is(err, files.ErrCorrupt):
			removePart(x.partPath(t.ID))
			x.failTransfer(t.ID, "The file arrived damaged")
		case errors.Is(err, files.ErrRefused) && refusal(err) == ErrTransferPaused.Error():
			// The sender paused it: so be it here too.
			x.updateTransfer(t.ID, func(t *contacts.Transfer) error {
				if t.State != contacts.Transferring {
					return errUnchanged
				}
				t.State = contacts.Paused
				return nil
			})
		case errors.Is(err, files.ErrRefused):
			x.failTransfer(t.ID, refusal(err))
		case errors.Is(err, files.ErrStorage):
			x.failTransfer(t.ID, "Cannot write the download: "+err.Error())
		default:
			// The connection went away: it resumes when the contact is back.
		}
	})
}

// stopFetch cancels a running download; a new one may start at once.
func (x *Transfers) stopFetch(id string) {
	x.mu.Lock()
	run := x.fetches[id]
	delete(x.fetches, id)
	x.mu.Unlock()
	if run != nil {
		run.cancel()
	}
}

// progress saves and reports a running transfer a few times a second.
func (x *Transfers) progress(id string, done int64) {
	x.mu.Lock()
	if time.Since(x.reported[id]) < progressEvery {
		x.mu.Unlock()
		return
	}
	x.reported[id] = time.Now()
	x.mu.Unlock()
	x.updateTransfer(id, func(t *contacts.Transfer) error {
		if t.State != contacts.Transferring {
			return errUnchanged
		}
		t.Done = done
		return nil
	})
}

func (x *Transfers) failTransfer(id, reason string) {
	x.updateTransfer(id, func(t *contacts.Transfer) error {
		if t.State != contacts.Transferring && t.State != contacts.Verifying {
			return errUnchanged
		}
		t.State, t.Reason = contacts.Failed, reason
		return nil
	})
}

// finishDownload checks a complete, hash-verified download against the
// policy and the virus scanner, then moves it into the download folder (or
// into quarantine) and tells the sender.
func (x *Transfers) finishDownload(id string) {
	part := x.partPath(id)
	t, err := x.updateTransfer(id, func(t *contacts.Transfer) error {
		// A pause that raced the last chunk loses: the file is complete.
		if t.State != contacts.Transferring && t.State != contacts.Paused {
			return ErrTransferState
		}
		t.State, t.Done = contacts.Verifying, t.Size
		return nil
	})
	if err != nil {
		if t.State == contacts.Cancelled {
			removePart(part)
		}
		return
	}
	// settle moves the transfer from Verifying to its final state.
	settle := func(f func(t *contacts.Transfer)) {
		x.updateTransfer(id, func(t *contacts.Transfer) error {
			if t.State != contacts.Verifying {
				return errUnchanged
			}
			f(t)
			return nil
		})
	}
	head := make([]byte, 512)
	if f, err := os.Open(part); err == nil {
		n, _ := io.ReadFull(f, head)
		head = head[:n]
		f.Close()
	}
	if err := x.policy.Check(t.Name, t.Size, head); err != nil {
		removePart(part)
		settle(func(t *contacts.Transfer) { t.State, t.Reason = contacts.Declined, err.Error() })
		x.control(t, files.Control{TransferID: id, Kind: files.Decline, Reason: err.Error()})
		return
	}
	result, unscanned := contacts.NotScanned, ""
	if x.scanner != nil {
		ctx, cancel := context.WithTimeout(x.d.Ctx(), 5*time.Minute)
		res, err := x.scanner.ScanFile(ctx, part)
		cancel()
		switch {
		case err != nil:
			unscanned = scanFailure(err)
			x.d.Publish(event.Notice{Text: "The virus scanner could not check " + t.Name + ": " + err.Error(), At: time.Now()})
		case res.Infected:
			q, qerr := scan.Quarantine(part, x.quarantineDir())
			removeSidecars(part)
			if qerr != nil {
				os.Remove(part)
			}
			settle(func(t *contacts.Transfer) {
				t.State, t.Scan, t.Signature, t.Path = contacts.Quarantined, contacts.Infected, res.Signature, q
				t.Reason = "Virus found: " + res.Signature
			})
			x.control(t, files.Control{TransferID: id, Kind: files.Quarantined, Reason: res.Signature})
			return
		default:
			result = contacts.Clean
		}
	}
	dest, err := placeFile(part, x.DownloadDir(), t.Name)
	if err != nil {
		settle(func(t *contacts.Transfer) { t.State, t.Reason = contacts.Failed, "Cannot save the file: "+err.Error() })
		return
	}
	removeSidecars(part)
	settle(func(t *contacts.Transfer) { t.State, t.Path, t.Scan, t.Reason = contacts.Done, dest, result, unscanned })
	x.control(t, files.Control{TransferID: id, Kind: files.Received})
	x.d.Go(func() { x.ackSavedFile(t) }) // carryfiles.go: a sender who is away
}

// scanFailure says in a few words why the scanner could not check a file
// (the row shows it): the scan package's sentinel, without clamd's reply.
func scanFailure(err error) string {
	for _, s := range []error{scan.ErrTooLarge, scan.ErrTimeout, scan.ErrUnavailable, scan.ErrScanFailed} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return err.Error()
}

// placeFile moves a finished download into dir under its offered name,
// adding " (2)", " (3)" … rather than overwriting anything.
func placeFile(part, dir, name string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name = filepath.Base(name)
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		cand := name
		if i > 1 {
			cand = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		dest := filepath.Join(dir, cand)
		// Link then remove: never replaces an existing file, unlike rename.
		if err := os.Link(part, dest); err == nil {
			os.Remove(part)
			return dest, nil
		} else if !os.IsExist(err) {
			// Another file system: copy.
			if cerr := copyNew(part, dest); cerr == nil {
				os.Remove(part)
				return dest, nil
			} else if !os.IsExist(cerr) {
				return "", cerr
			}
		}
	}
	return "", errors.New("too many files with that name")
}

func copyNew(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// recorder is a voice note being recorded for a conversation.
type recorder struct {
	t    *Transfers
	peer string
	path string
	r    *voice.Recording
}

func (r *recorder) Elapsed() time.Duration { return r.r.Elapsed() }
func (r *recorder) Notice() string         { return r.r.Notice() }
func (r *recorder) Cancel()                { r.r.Cancel() }

func (r *recorder) Stop() (contacts.Transfer, error) {
	if _, err := r.r.Stop(); err != nil {
		return contacts.Transfer{}, err
	}
	return r.t.sendFile(r.peer, r.path, true)
}

// RecordVoiceNote starts recording a voice note for a contact or a group.
func (x *Transfers) RecordVoiceNote(peerID string) (Recorder, error) {
	if err := x.canSendFiles(peerID); err != nil { // groupfiles.go
		return nil, err
	}
	dir := filepath.Join(x.d.Dir, "voice")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "Voice note "+time.Now().Format("2006-01-02 15.04.05")+".ogg")
	r, err := voice.Record(path, x.cfg.FakeMedia)
	if err != nil {
		return nil, err
	}
	return &recorder{t: x, peer: peerID, path: path, r: r}, nil
}

// PlayVoiceNote plays a voice note, sent or received.
func (x *Transfers) PlayVoiceNote(transferID string) (func(), error) {
	t, err := x.d.Store.Transfer(transferID)
	if err != nil || !t.VoiceNote || t.Path == "" {
		return nil, ErrUnknownTransfer
	}
	if !t.Outgoing && t.State != contacts.Done {
		return nil, ErrTransferState
	}
	stop, _, err := voice.Play(t.Path)
	if err != nil {
		return nil, err
	}
	return stop, nil
}
