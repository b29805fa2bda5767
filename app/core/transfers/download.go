package transfers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/event"
	"hearth/app/scan"
	"hearth/contacts"
	"hearth/p2p/files"
)

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
	name = SafeFileName(name)
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
