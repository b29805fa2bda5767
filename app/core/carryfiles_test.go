package core

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/event"
	"hearth/app/core/transfers"
	"hearth/contacts"
	"hearth/p2p/files"
	"hearth/p2p/wire"
)

// partialLeft lists what is left in m's partial-download folder.
func partialLeft(t *testing.T, m *Messenger) []string {
	t.Helper()
	es, err := os.ReadDir(m.Transfers.PartialDir())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// A photo sent while the recipient is away reaches it through a carrier
// after the sender has gone: the recipient auto-accepts it from the
// carried copy, and the sender, back later, sees it sent through the
// sealed ack without ever meeting the recipient. The carrier holds no
// plaintext.
func TestCarrierDeliversSmallFileWhileSenderIsAway(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r, c := x.s, x.r, x.c
	path, data := writeFile(t, "grandchildren.jpg", 200<<10)
	sent, err := s.m.Transfers.SendFile(x.rID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the file for R", func() bool { return len(held(t, c.m, x.rID)) == 1 })
	if e := held(t, c.m, x.rID)[0]; bytes.Contains(e.Data, data[1000:1064]) || bytes.Contains(e.Data, []byte("grandchildren")) {
		t.Fatal("the carrier's envelope holds the file or its name in the clear")
	}
	s.stop(t)

	r.restart(t)
	waitFor(t, "R has the file", func() bool { return transferOf(r.m, x.sID, sent.ID).State == contacts.Done })
	got := transferOf(r.m, x.sID, sent.ID)
	if b, err := os.ReadFile(got.Path); err != nil || !bytes.Equal(b, data) {
		t.Fatalf("R's copy differs (%v)", err)
	}
	if filepath.Base(got.Path) != "grandchildren.jpg" || got.Size != int64(len(data)) || got.Outgoing {
		t.Fatalf("R's transfer: %+v", got)
	}
	// A download's usual mode: 0644 less the umask, as a new file gets.
	usual, err := os.OpenFile(filepath.Join(t.TempDir(), "usual"), os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := usual.Stat()
	usual.Close()
	if fi, err := os.Stat(got.Path); err != nil || fi.Mode().Perm() != want.Mode().Perm() {
		t.Fatalf("saved with mode %v (%v), want %v", fi.Mode(), err, want.Mode())
	}
	waitFor(t, "C handed it over", func() bool { return len(held(t, c.m, x.rID)) == 0 })
	if left := partialLeft(t, r.m); len(left) != 0 {
		t.Fatalf("left in R's partial folder: %v", left)
	}

	// S comes back while R is away: the sealed ack through C says sent.
	// (R deposits it once the file is saved; stopping R before that would
	// leave S to learn it when the two next meet.)
	waitFor(t, "C holds R's ack for S", func() bool { return len(held(t, c.m, x.sID)) == 1 })
	r.stop(t)
	s.restart(t)
	waitFor(t, "S sees it sent", func() bool { return transferOf(s.m, x.rID, sent.ID).State == contacts.Done })
	if n, _ := s.m.Chat.HasUndelivered(x.rID); n || s.m.Transfers.Carried().Waiting(x.rPeer) {
		t.Fatal("S still owes R something")
	}
}

// carriedToAskingRecipient makes R accept no file by itself, then has S
// send the file at path to R, who is away, until C holds it.
func carriedToAskingRecipient(t *testing.T, x trio, path string) contacts.Transfer {
	t.Helper()
	x.r.restart(t)
	if err := x.r.m.Transfers.SetAutoAcceptBelow(0); err != nil {
		t.Fatal(err)
	}
	x.r.stop(t)
	waitFor(t, "S sees R offline", func() bool { return !x.s.m.d.Connected(x.rPeer) })
	sent, err := x.s.m.Transfers.SendFile(x.rID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the file for R", func() bool { return len(held(t, x.c.m, x.rID)) == 1 })
	return sent
}

// offeredWhileSenderAway stops S and starts R, until C has handed R the
// file and R holds it as an offer.
func offeredWhileSenderAway(t *testing.T, x trio, sent contacts.Transfer) {
	t.Helper()
	x.s.stop(t)
	x.r.restart(t)
	waitFor(t, "R is offered the file", func() bool { return transferOf(x.r.m, x.sID, sent.ID).State == contacts.Offered })
	waitFor(t, "C handed it over", func() bool { return len(held(t, x.c.m, x.rID)) == 0 })
}

// A carried file above the auto-accept size waits for R to accept it, and
// accepting needs no connection to the sender; a second copy of it (from
// a second carrier) changes nothing.
func TestCarriedFileWaitsForAcceptWithoutTheSender(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r := x.s, x.r
	path, data := writeFile(t, "scan.pdf", 100<<10)
	sent := carriedToAskingRecipient(t, x, path)
	offeredWhileSenderAway(t, x, sent)
	if err := r.m.Transfers.AcceptTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "R has the file", func() bool { return transferOf(r.m, x.sID, sent.ID).State == contacts.Done })
	got := transferOf(r.m, x.sID, sent.ID)
	if b, err := os.ReadFile(got.Path); err != nil || !bytes.Equal(b, data) {
		t.Fatalf("R's copy differs (%v)", err)
	}

	// The same file again, as from a second carrier: acked, nothing new.
	taken, ack, err := takeCarried(r.m, x.sPeer, wire.CarriedFile{Offer: transfers.OfferOf(sent).Wire(), Data: data})
	if err != nil || !taken || !ack {
		t.Fatalf("second copy: taken %v, ack %v, %v", taken, ack, err)
	}
	// Other bytes under the same ID (valid as a carried file on their
	// own) are refused: not the file R was offered.
	other := bytes.Repeat([]byte("x"), 1000)
	forged := transfers.OfferOf(sent)
	forged.Size, forged.SHA256 = int64(len(other)), sha256.Sum256(other)
	if taken, _, err := takeCarried(r.m, x.sPeer, wire.CarriedFile{Offer: forged.Wire(), Data: other}); err != nil || taken {
		t.Fatalf("other bytes under a known ID: taken %v, %v", taken, err)
	}
	if ts, _ := r.m.Transfers.Transfers(x.sID); len(ts) != 1 {
		t.Fatalf("R has %d transfers", len(ts))
	}
	if es, _ := os.ReadDir(filepath.Dir(got.Path)); len(es) != 1 {
		t.Fatalf("R's download folder holds %d files", len(es))
	}
	if left := partialLeft(t, r.m); len(left) != 0 {
		t.Fatalf("left in R's partial folder: %v", left)
	}

	s.restart(t)
	waitFor(t, "S sees it sent", func() bool { return transferOf(s.m, x.rID, sent.ID).State == contacts.Done })
}

// The recipient's policy refuses a carried file: it is not kept and not
// acked, and the sender learns why when the two meet.
func TestCarriedFileRefusedByPolicy(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r, c := x.s, x.r, x.c
	if err := os.WriteFile(filepath.Join(r.dir, "policy.json"), []byte(`{"max_size": "10KB"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	path, _ := writeFile(t, "big-for-r.bin", 50<<10)
	sent, err := s.m.Transfers.SendFile(x.rID, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the file for R", func() bool { return len(held(t, c.m, x.rID)) == 1 })
	r.restart(t)
	waitFor(t, "C handed it over", func() bool { return len(held(t, c.m, x.rID)) == 0 })
	waitFor(t, "S hears R's refusal", func() bool { return transferOf(s.m, x.rID, sent.ID).State == contacts.Declined })
	if transferOf(r.m, x.sID, sent.ID).State != -1 {
		t.Fatal("R kept a file its policy refuses")
	}
	if left := partialLeft(t, r.m); len(left) != 0 {
		t.Fatalf("left in R's partial folder: %v", left)
	}
}

// Files over wire.MaxCarriedFile wait for the sender and recipient to
// meet; small ones beside them go through the carrier.
func TestOnlySmallFilesAreCarried(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r, c := x.s, x.r, x.c
	bigPath, big := writeFile(t, "film.bin", wire.MaxCarriedFile+1)
	smallPath, _ := writeFile(t, "photo.jpg", 10<<10)
	bigSent, err := s.m.Transfers.SendFile(x.rID, bigPath)
	if err != nil {
		t.Fatal(err)
	}
	smallSent, err := s.m.Transfers.SendFile(x.rID, smallPath)
	if err != nil {
		t.Fatal(err)
	}
	// Both are in the query of one deposit run, in one batch.
	waitFor(t, "C holds the small file", func() bool { return len(held(t, c.m, x.rID)) >= 1 })
	if n := len(held(t, c.m, x.rID)); n != 1 {
		t.Fatalf("C holds %d envelopes, want only the small file", n)
	}
	r.restart(t)
	waitFor(t, "R has both", func() bool {
		return transferOf(r.m, x.sID, smallSent.ID).State == contacts.Done && transferOf(r.m, x.sID, bigSent.ID).State == contacts.Done
	})
	if b, _ := os.ReadFile(transferOf(r.m, x.sID, bigSent.ID).Path); !bytes.Equal(b, big) {
		t.Fatal("the big file differs")
	}
}

// A small file into a group reaches a member who is away through a
// carrier who is a contact of both, though sender and member are not
// contacts: the member accepts it without the sender, and the sender,
// back later, counts the member's copy as received.
func TestGroupFileThroughCarrier(t *testing.T) {
	a, b, c, g := groupTrio(t, false)
	aID, bID := a.m.MyPeerID(), b.id
	for _, p := range []*peerT{a, c} {
		if err := p.m.Transfers.SetDownloadDir(t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	path, data := writeFile(t, "minutes.pdf", 60<<10)
	sent, err := a.m.Transfers.SendFile(contacts.GroupConversation(g.ID), path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the file for B", func() bool { return len(held(t, c.m, bID)) == 1 })
	waitFor(t, "C has its copy directly", func() bool {
		return transferOf(c.m, contacts.GroupConversation(g.ID), sent.ID).State == contacts.Done
	})
	a.stop(t)

	b.restart(t)
	if err := b.m.Transfers.SetDownloadDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	conv := contacts.GroupConversation(g.ID)
	waitFor(t, "B is offered the file", func() bool { return transferOf(b.m, conv, sent.ID).State == contacts.Offered })
	if got := transferOf(b.m, conv, sent.ID); got.Sender != aID {
		t.Fatalf("B's transfer: %+v", got)
	}
	if err := b.m.Transfers.AcceptTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "B has the file", func() bool { return transferOf(b.m, conv, sent.ID).State == contacts.Done })
	if got, err := os.ReadFile(transferOf(b.m, conv, sent.ID).Path); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("B's copy differs (%v)", err)
	}

	waitFor(t, "C holds B's ack for A", func() bool { return len(held(t, c.m, aID)) == 1 })
	b.stop(t)
	a.restart(t)
	waitFor(t, "A counts B's copy", func() bool {
		return transferOf(a.m, conv, sent.ID).Recipients[bID] == contacts.Done
	})
	if st := transferOf(a.m, conv, sent.ID).State; st != contacts.Done {
		t.Fatalf("A's group file is %v", st)
	}
}

// A small file the sender cancels after a carrier took it is not finished
// from the carried copy: whether the recipient hears of the cancel before
// or after the carrier hands the file over, it ends with no file.
func TestCancelledCarriedFileIsRecalled(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r, c := x.s, x.r, x.c
	path, _ := writeFile(t, "oops.jpg", 30<<10)
	sent := carriedToAskingRecipient(t, x, path)
	if err := s.m.Transfers.CancelTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	// S restarts: the cancel it was trying to send R dies with it, and
	// only the recall on connect can tell R.
	s.stop(t)
	s.restart(t)
	r.restart(t)
	waitFor(t, "R dropped or cancelled it", func() bool {
		st := transferOf(r.m, x.sID, sent.ID).State
		return len(held(t, c.m, x.rID)) == 0 && st != contacts.Offered && (st == contacts.Cancelled || recalledAt(r.m, x.sPeer, sent.ID))
	})
	if st := transferOf(r.m, x.sID, sent.ID).State; st != contacts.Cancelled && st != -1 {
		t.Fatalf("R's transfer is %v", st)
	}
	if err := r.m.Transfers.AcceptTransfer(sent.ID); err == nil {
		t.Fatal("R could accept a recalled file")
	}
	if left := partialLeft(t, r.m); len(left) != 0 {
		t.Fatalf("left in R's partial folder: %v", left)
	}
	if es, _ := os.ReadDir(r.m.Transfers.DownloadDir()); len(es) != 0 {
		t.Fatalf("R's download folder holds %d files", len(es))
	}
}

func recalledAt(m *Messenger, s peer.ID, id string) bool {
	return m.Transfers.Recalled(s, id)
}

// R takes a carried file and declines it while S is away: S never counts
// it sent, and learns of the decline when they next meet.
func TestDeclinedCarriedFileIsNotCountedSent(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r := x.s, x.r
	path, _ := writeFile(t, "unwanted.pdf", 100<<10)
	sent := carriedToAskingRecipient(t, x, path)
	offeredWhileSenderAway(t, x, sent)
	if err := r.m.Transfers.DeclineTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	r.stop(t) // the decline sent to S is lost: S is away
	s.restart(t)
	r.restart(t)
	waitFor(t, "S hears of the decline", func() bool { return transferOf(s.m, x.rID, sent.ID).State == contacts.Declined })
	if _, done := s.log.find(func(e event.Event) bool {
		tc, ok := e.(event.TransferChanged)
		return ok && tc.Transfer.ID == sent.ID && tc.Transfer.State == contacts.Done
	}); done {
		t.Fatal("S counted a declined file sent")
	}
}

// A small group file the sender cancels after a carrier took it, and
// then leaves, does not reach the member who was away: the cancel goes
// through the carrier too.
func TestCancelledGroupFileIsRecalledThroughCarrier(t *testing.T) {
	a, b, c, g := groupTrio(t, false)
	bID := b.id
	path, _ := writeFile(t, "draft.pdf", 20<<10)
	conv := contacts.GroupConversation(g.ID)
	sent, err := a.m.Transfers.SendFile(conv, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the file for B", func() bool { return len(held(t, c.m, bID)) == 1 })
	if err := a.m.Transfers.CancelTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the recall for B", func() bool { return len(held(t, c.m, bID)) == 2 })
	a.stop(t)
	b.restart(t)
	waitFor(t, "C handed both over", func() bool { return len(held(t, c.m, bID)) == 0 })
	if st := transferOf(b.m, conv, sent.ID).State; st != contacts.Cancelled && st != -1 {
		t.Fatalf("A cancelled the group file, B has it as %v", st)
	}
	if left := partialLeft(t, b.m); len(left) != 0 {
		t.Fatalf("left in B's partial folder: %v", left)
	}
}

// One contact's cancels of made-up transfer IDs cannot push another's
// recall out of the list.
func TestRecallListIsSharedFairly(t *testing.T) {
	x := carrierTrio(t, true, nil)
	r := x.r
	r.restart(t)
	r.m.Transfers.OnControl(x.sPeer, files.Control{TransferID: "legit-1", Kind: files.Cancel})
	for i := range transfers.MaxRecalled {
		r.m.Transfers.OnControl(x.cP, files.Control{TransferID: fmt.Sprintf("junk-%d", i), Kind: files.Cancel})
	}
	if !recalledAt(r.m, x.sPeer, "legit-1") {
		t.Fatal("S's recall was evicted by C's made-up cancels")
	}
	if !recalledAt(r.m, x.cP, fmt.Sprintf("junk-%d", transfers.MaxRecalled-1)) || recalledAt(r.m, x.cP, "junk-0") {
		t.Fatal("C's own list is not its newest cancels")
	}
}

// takeCarried hands m one carried file from s as a carrier would.
func takeCarried(m *Messenger, s peer.ID, cf wire.CarriedFile) (taken, ack bool, err error) {
	res, err := m.Transfers.TakeCarried(s, [][]byte{cf.Marshal()})
	if err != nil {
		return false, false, err
	}
	return res[0].OK, res[0].Ack != "", nil
}
