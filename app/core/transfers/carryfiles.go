package transfers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/carry"
	"hearth/contacts"
	"hearth/contacts/store"
	"hearth/p2p/files"
	"hearth/p2p/wire"
)

// Small files through carriers. A file of at most wire.MaxCarriedFile
// bytes that I offered to a contact, or into a group, goes to a recipient
// who is away and has not taken it yet like a message (app/core/carry,
// groupcarry.go): its offer and its bytes sealed together to that
// recipient. The recipient keeps the bytes beside the offer (the carried
// copy), so accepting it later, or auto-accepting it at once, needs no
// connection to me: the download starts from the carried copy and goes
// through the usual checks (group membership, policy on content, virus
// scan, move into place). Either way the recipient keeps one transfer,
// under the offer's ID. Its sealed ack tells me the file is on its
// machine: I show the transfer as sent (for a group file, that member's
// copy as received).

// fileCarryBatch is how many files go in one deposit: at most about a
// megabyte.
const fileCarryBatch = 4

// fileDepositKey is the deposit records' key of my files to r through
// carrier c: one group file goes to many members through one carrier.
func fileDepositKey(c, r peer.ID) string { return c.String() + ">" + r.String() + "#file" }

// filesCarried is the small-file part of store-and-forward (a
// carry.Provider).
type filesCarried struct{ t *Transfers }

// Carried is the small-file part of store-and-forward (a carry.Provider).
func (x *Transfers) Carried() carry.Provider { return filesCarried{x} }

// Sources: my small files that r has not taken yet.
func (x filesCarried) Sources(c, r peer.ID) []carry.Source {
	tr := x.t
	key := fileDepositKey(c, r)
	return []carry.Source{{Key: key, Kind: wire.SealedFile, Batch: fileCarryBatch,
		Pending: func(r peer.ID, since time.Time, limit int) ([]carry.Item, error) {
			ts, err := tr.carriableFiles(r, key, since)
			if err != nil {
				return nil, err
			}
			var items []carry.Item
			for _, t := range ts {
				if len(items) == limit {
					break
				}
				// A file that changed on disk since I offered it is
				// skipped (and must not hide the next ones).
				if data, ok := readOffered(t); ok {
					cf := wire.CarriedFile{Offer: OfferOf(t).Wire(), Data: data}
					items = append(items, carry.Item{ID: t.ID, Payload: cf.Marshal()})
				}
			}
			return items, nil
		}}}
}

func (x filesCarried) Waiting(r peer.ID) bool { return x.t.smallOffersWaiting(r) }

func (x filesCarried) Owed() []peer.ID { return x.t.groupFileMembersOwed() }

func (x filesCarried) Acked(s peer.ID, ids []string) error {
	x.t.filesAckedThroughCarrier(s, ids)
	return nil
}

// TakeCarried keeps the files s sealed to me (takeCarriedFile).
func (x *Transfers) TakeCarried(s peer.ID, payloads [][]byte) ([]carry.Taken, error) {
	res := make([]carry.Taken, len(payloads))
	for i, p := range payloads {
		var cf wire.CarriedFile
		if cf.Unmarshal(p) != nil || cf.Validate() != nil {
			res[i].Reason = "malformed file"
			continue
		}
		if cf.Offer.Group == "" && !x.d.Book.IsAccepted(s) {
			res[i].Reason = "not from a contact"
			continue
		}
		taken, ack, err := x.takeCarriedFile(s, cf)
		if err != nil {
			return nil, err
		}
		res[i].OK = taken
		if !taken {
			res[i].Reason = "file refused"
		}
		if ack {
			res[i].Ack = cf.Offer.TransferID
		}
	}
	return res, nil
}

// TakeRecalls applies the cancels s sealed to me: a file recalled in the
// same hand-over is not kept (recalls are taken first).
func (x *Transfers) TakeRecalls(s peer.ID, payloads [][]byte) ([]carry.Taken, error) {
	res := make([]carry.Taken, len(payloads))
	for i, p := range payloads {
		var a wire.SealedAck
		if a.Unmarshal(p) != nil || a.Validate() != nil {
			res[i].Reason = "malformed ack"
			continue
		}
		for _, id := range a.IDs {
			x.OnControl(s, files.Control{TransferID: id, Kind: files.Cancel, Reason: "Cancelled by the sender"})
		}
		res[i].OK = true
	}
	return res, nil
}

// carriableFiles lists my small files that r has not taken yet and that
// have no deposit record under key newer than since: offered to r as my
// contact, or into a group we are both in and r's copy not finished.
func (x *Transfers) carriableFiles(r peer.ID, key string, since time.Time) ([]contacts.Transfer, error) {
	var out []contacts.Transfer
	if x.d.Book.IsAccepted(r) {
		ts, err := x.d.Store.UndepositedTransfers(r.String(), key, since, wire.MaxCarriedFile, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, ts...)
	}
	for _, g := range x.groups.All() {
		if g.Left || !g.HasMember(r.String()) || !g.HasMember(x.d.Self.String()) {
			continue
		}
		ts, err := x.d.Store.UndepositedTransfers(contacts.GroupConversation(g.ID), key, since, wire.MaxCarriedFile, 0)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if st, listed := t.Recipients[r.String()]; listed && !finishedCopy(st) {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// smallOffersWaiting reports whether files that carriers may take wait
// for r to take them.
func (x *Transfers) smallOffersWaiting(r peer.ID) bool {
	ts, err := x.carriableFiles(r, "", time.Time{})
	return err == nil && len(ts) > 0
}

// groupFileMembersOwed lists the members, not connected, whose copy of a
// small group file of mine is not finished: depositGroupsTick asks
// carriers for them too.
func (x *Transfers) groupFileMembersOwed() []peer.ID {
	active, err := x.d.Store.ActiveTransfers()
	if err != nil {
		return nil
	}
	var out []peer.ID
	for _, t := range active {
		if !t.Outgoing || t.Recipients == nil || t.Size > wire.MaxCarriedFile || t.State == contacts.Paused {
			continue
		}
		for member, st := range t.Recipients {
			p, err := peer.Decode(member)
			if err != nil || finishedCopy(st) || slices.Contains(out, p) || x.d.Connected(p) {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// readOffered reads the file of an outgoing transfer, if it is still the
// file offered (same size and SHA-256).
func readOffered(t contacts.Transfer) ([]byte, bool) {
	f, err := os.Open(t.Path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, wire.MaxCarriedFile+1))
	if err != nil || int64(len(data)) != t.Size {
		return nil, false
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != t.SHA256 {
		return nil, false
	}
	return data, true
}

// carriedCopy is where the carried copy of an incoming transfer waits,
// beside its partial file, until the transfer is accepted.
func carriedCopy(part string) string { return part + ".carried" }

func (x *Transfers) carriedPath(id string) string { return carriedCopy(x.partPath(id)) }

// takeCarriedFile keeps a file contact or member s sent me through a
// carrier (cf is validated: the bytes match the offer). taken is false
// when it is refused (not s's to send, its group or my policy says no): s
// hears why when it offers the file directly. ack is true when the file
// is already saved here, so s may count it sent; otherwise the ack goes
// when it is saved (ackSavedFile). A new offer is stored as a direct one
// would be (policy, auto-accept); an offer I hold that still waits for its
// bytes gets them. Only a store or disk error is returned.
func (x *Transfers) takeCarriedFile(s peer.ID, cf wire.CarriedFile) (taken, ack bool, err error) {
	o := files.OfferFromWire(cf.Offer)
	conversation, sender := s.String(), ""
	if o.Group != "" {
		g, ok := x.groups.Get(o.Group)
		if !ok || g.Left || !g.HasMember(s.String()) || !g.HasMember(x.d.Self.String()) {
			return false, false, nil // as onGroupOffer: s sends it again directly, with the states I lack
		}
		conversation, sender = contacts.GroupConversation(o.Group), s.String()
	}
	x.recall.Lock()
	defer x.recall.Unlock()
	if x.wasRecalled(s, o.TransferID) {
		return true, false, nil // cancelled before it got here: taken, and dropped
	}
	old, err := x.d.Store.Transfer(o.TransferID)
	switch {
	case err == nil:
		if old.Outgoing || old.Conversation != conversation || old.Sender != sender ||
			old.Size != o.Size || old.SHA256 != hex.EncodeToString(o.SHA256[:]) {
			return false, false, nil // not the file s offered me under that ID
		}
		if !waitsForBytes(old.State) {
			return true, old.State == contacts.Done, nil // saved, declined, cancelled or failed already
		}
		if err := x.keepCarried(old.ID, cf.Data); err != nil {
			return false, false, err
		}
		// A decline or cancel may have come in meanwhile (and removed
		// what was there before the copy was written).
		cur, err := x.d.Store.Transfer(old.ID)
		if err != nil || !waitsForBytes(cur.State) {
			os.Remove(x.carriedPath(old.ID))
			return true, false, nil
		}
		if cur.State == contacts.Transferring {
			// A download waiting for s to come back can finish now.
			x.d.Go(func() { x.startFetch(cur) })
		}
		return true, false, nil
	case !errors.Is(err, store.ErrNotFound):
		return false, false, err
	}
	if x.policy.CheckOffer(o.Name, o.Size, o.MIME) != nil {
		return false, false, nil
	}
	if err := x.keepCarried(o.TransferID, cf.Data); err != nil {
		return false, false, err
	}
	if err := x.storeOffer(s, o, conversation, sender); err != nil {
		removePart(x.partPath(o.TransferID))
		return false, false, err
	}
	return true, false, nil
}

// waitsForBytes: an incoming transfer in this state still wants its file.
func waitsForBytes(st contacts.TransferState) bool {
	return st == contacts.Offered || st == contacts.Transferring || st == contacts.Paused
}

// ackSavedFile tells the sender of a file I just saved, when it is away,
// through carriers: its sealed ack counts the file sent there (for a
// group file, my copy received). Connected, it has heard already.
func (x *Transfers) ackSavedFile(t contacts.Transfer) {
	p, err := peer.Decode(x.transferPeer(t))
	if err != nil || x.d.Connected(p) {
		return
	}
	n := 0
	for _, c := range x.carry.Load().CarriersFor(p) {
		if n == x.carry.Load().Limits().Carriers || x.d.Ctx().Err() != nil {
			return
		}
		x.carry.Load().DepositIDs(c, p, wire.SealedAcks, []string{t.ID})
		n++
	}
}

// keepCarried writes a carried copy durably (a new file, fsynced, renamed
// into place), unless one is there already.
func (x *Transfers) keepCarried(id string, data []byte) error {
	dst := x.carriedPath(id)
	if have, err := os.ReadFile(dst); err == nil && bytes.Equal(have, data) {
		return nil
	}
	if err := os.MkdirAll(x.PartialDir(), 0o700); err != nil {
		return err
	}
	tmp := dst + ".tmp"
	// The usual mode of a download (less the umask), as it becomes one.
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// useCarried makes the carried copy of a transfer its complete partial
// file, if there is one; startFetch then finishes the download from it
// without fetching.
func (x *Transfers) useCarried(id string) bool {
	part := x.partPath(id)
	if _, err := os.Stat(x.carriedPath(id)); err != nil {
		return false
	}
	os.Remove(files.SidecarPath(part)) // what a fetch verified is moot
	return os.Rename(x.carriedPath(id), part) == nil
}

// filesAckedThroughCarrier marks sent my offers to s that s acked in a
// sealed ack: the file is on its machine (for a group file, s's copy is
// received). Other IDs (messages) are skipped.
func (x *Transfers) filesAckedThroughCarrier(s peer.ID, ids []string) {
	for _, id := range ids {
		if t, err := x.d.Store.Transfer(id); err == nil && t.Outgoing && t.Recipients != nil {
			x.setRecipient(id, s.String(), contacts.Done) // groupfiles.go
			continue
		}
		x.updateTransfer(id, func(t *contacts.Transfer) error {
			if !t.Outgoing || t.Conversation != s.String() {
				return ErrUnknownTransfer
			}
			switch t.State {
			case contacts.Offered, contacts.Transferring, contacts.Paused:
				t.State, t.Done = contacts.Done, t.Size
				return nil
			}
			return errUnchanged
		})
	}
}
