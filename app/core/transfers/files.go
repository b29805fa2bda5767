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
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/app/desktop"
	"hearth/app/policy"
	"hearth/contacts"
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
	if dl, err := desktop.DownloadDir(); err == nil {
		return filepath.Join(dl, "Hearth") // the user's (XDG) download folder
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
	o.Name = SafeFileName(o.Name)
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
	if x.d.Book.IsAccepted(from) && o.Size < x.AutoAcceptBelow() && !RiskyName(o.Name) {
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
