package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/groups"
	"hearth/app/core/transfers"
	"hearth/contacts"
	"hearth/p2p/files"
)

// A file sent into a group reaches every current member, from the sender
// over loopback, whether or not they are the sender's contacts; a member
// removed before it was sent gets nothing, and neither a removed member
// nor a contact outside the group can fetch it.
func TestGroupFileReachesEveryMemberOnly(t *testing.T) {
	ps := newHub(t, 4)
	alice, bob, cleo, dave := ps[0], ps[1], ps[2], ps[3]
	eve := newPeer(t, "Eve")
	pair(t, bob, eve) // Bob's contact, never in the group
	for _, p := range append(ps, eve) {
		if err := p.m.Transfers.SetDownloadDir(t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	aID, bID, cID, dID := alice.m.MyPeerID(), bob.m.MyPeerID(), cleo.m.MyPeerID(), dave.m.MyPeerID()

	g, err := alice.m.Groups.CreateGroup("Family", []string{bID, cID, dID})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "all hold the group", func() bool {
		_, b := groupOf(bob, g.ID)
		_, c := groupOf(cleo, g.ID)
		_, d := groupOf(dave, g.ID)
		return b && c && d
	})
	if err := alice.m.Groups.RemoveGroupMember(g.ID, dID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob and cleo see dave removed, dave knows", func() bool {
		b, _ := groupOf(bob, g.ID)
		c, _ := groupOf(cleo, g.ID)
		d, _ := groupOf(dave, g.ID)
		return !b.HasMember(dID) && !c.HasMember(dID) && d.Left
	})

	// Bob sends a file into the group. Alice is his contact: it arrives by
	// itself. Cleo is not: she is asked first.
	conv := contacts.GroupConversation(g.ID)
	path, data := writeFile(t, "photo.bin", 700_000)
	sum := sha256.Sum256(data)
	sent, err := bob.m.Transfers.SendFile(conv, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent.Recipients) != 2 {
		t.Fatalf("recipients %v", sent.Recipients)
	}
	if _, listed := sent.Recipients[dID]; listed {
		t.Fatalf("the removed member is a recipient: %v", sent.Recipients)
	}
	waitFor(t, "alice has it", func() bool { return transferOf(alice.m, conv, sent.ID).State == contacts.Done })
	waitFor(t, "cleo is asked", func() bool { return transferOf(cleo.m, conv, sent.ID).State == contacts.Offered })
	if got := transferOf(cleo.m, conv, sent.ID); got.Sender != bID || got.Outgoing {
		t.Fatalf("cleo's transfer: sender %q outgoing %v", got.Sender, got.Outgoing)
	}
	if got, of := transfers.GroupFileDelivery(transferOf(bob.m, conv, sent.ID), g); got > 1 || of != 2 {
		t.Fatalf("before cleo accepts: sent to %d of %d", got, of)
	}

	// A contact of Bob outside the group, and the removed member, cannot
	// fetch it, though they know its ID and hash.
	o := transfers.OfferOf(sent)
	o.Group = g.ID
	bPeer, _ := peer.Decode(bID)
	for _, p := range []*peerT{eve, dave} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := filesClient(p.m).Fetch(ctx, bPeer, o, filepath.Join(t.TempDir(), "x.part"), nil)
		cancel()
		if err == nil {
			t.Fatalf("%s fetched the group's file", p.m.prof.Name)
		}
		if p == eve && !errors.Is(err, files.ErrRefused) {
			t.Fatalf("eve's fetch: %v, want a refusal", err)
		}
	}
	// Nor can a stranger slip a file into the group.
	bad := transfers.OfferOf(sent)
	bad.TransferID, bad.Group = "forged-1", g.ID
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	err = filesClient(eve.m).Offer(ctx, bPeer, bad)
	cancel()
	if !errors.Is(err, files.ErrRefused) {
		t.Fatalf("a non-member's group offer: %v, want a refusal", err)
	}

	if err := cleo.m.Transfers.AcceptTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cleo has it", func() bool { return transferOf(cleo.m, conv, sent.ID).State == contacts.Done })
	for _, p := range []*peerT{alice, cleo} {
		got := transferOf(p.m, conv, sent.ID)
		b, err := os.ReadFile(got.Path)
		if err != nil || !bytes.Equal(b, data) || got.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("%s's copy differs (%v)", p.m.prof.Name, err)
		}
		if got.Sender != bID {
			t.Fatalf("%s's copy is from %q", p.m.prof.Name, got.Sender)
		}
	}
	waitFor(t, "bob sees it delivered to both", func() bool {
		got := transferOf(bob.m, conv, sent.ID)
		n, of := transfers.GroupFileDelivery(got, g)
		return got.State == contacts.Done && n == 2 && of == 2
	})
	if got := transferOf(bob.m, conv, sent.ID); got.Recipients[aID] != contacts.Done || got.Recipients[cID] != contacts.Done {
		t.Fatalf("bob's recipients %v", got.Recipients)
	}

	// The removed member got nothing at all.
	if ts, _ := dave.m.Transfers.Transfers(conv); len(ts) != 0 {
		t.Fatalf("dave has %d transfers of the group", len(ts))
	}
	// A member removed while a file waits for her cannot fetch it any more.
	second, err := bob.m.Transfers.SendFile(conv, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cleo is asked again", func() bool { return transferOf(cleo.m, conv, second.ID).State == contacts.Offered })
	if err := alice.m.Groups.RemoveGroupMember(g.ID, cID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob sees cleo removed", func() bool { b, _ := groupOf(bob, g.ID); return !b.HasMember(cID) })
	waitFor(t, "cleo knows", func() bool { c, _ := groupOf(cleo, g.ID); return c.Left })
	if err := cleo.m.Transfers.AcceptTransfer(second.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cleo's download ends", func() bool { return transferOf(cleo.m, conv, second.ID).State == contacts.Failed })
	// Alice has it; Cleo's copy no longer holds Bob's transfer up.
	waitFor(t, "bob's second file delivered", func() bool { return transferOf(bob.m, conv, second.ID).State == contacts.Done })
	g2, _ := groupOf(bob, g.ID)
	if got := transferOf(bob.m, conv, second.ID); got.Recipients[cID] == contacts.Done {
		t.Fatalf("bob counts the removed member as having it: %v", got.Recipients)
	} else if n, of := transfers.GroupFileDelivery(got, g2); n != 1 || of != 1 {
		t.Fatalf("second file: sent to %d of %d", n, of)
	}

	// Files into a group I left are refused.
	if _, err := dave.m.Transfers.SendFile(conv, path); !errors.Is(err, groups.ErrLeftGroup) {
		t.Fatalf("dave sends into the group he left: %v", err)
	}
}

// A member who is not the sender's contact and is offline when the file is
// sent is offered it when she is back, and gets it.
func TestGroupFileReachesMemberWhoWasOffline(t *testing.T) {
	ps := newHub(t, 3)
	alice, bob, cleo := ps[0], ps[1], ps[2]
	bID, cID := bob.m.MyPeerID(), cleo.m.MyPeerID()
	g, err := alice.m.Groups.CreateGroup("Trio", []string{bID, cID})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "all hold the group", func() bool {
		_, b := groupOf(bob, g.ID)
		_, c := groupOf(cleo, g.ID)
		return b && c
	})
	cleo.stop(t)
	conv := contacts.GroupConversation(g.ID)
	path, data := writeFile(t, "notes.bin", 50_000)
	sent, err := bob.m.Transfers.SendFile(conv, path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "alice has it", func() bool { return transferOf(alice.m, conv, sent.ID).State == contacts.Done })
	if st := transferOf(bob.m, conv, sent.ID).Recipients[cID]; st != contacts.Offered {
		t.Fatalf("offline cleo's copy is %v", st)
	}
	cleo.restart(t)
	if err := cleo.m.Transfers.SetDownloadDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cleo is offered it", func() bool { return transferOf(cleo.m, conv, sent.ID).State == contacts.Offered })
	if err := cleo.m.Transfers.AcceptTransfer(sent.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "cleo has it", func() bool { return transferOf(cleo.m, conv, sent.ID).State == contacts.Done })
	if b, err := os.ReadFile(transferOf(cleo.m, conv, sent.ID).Path); err != nil || !bytes.Equal(b, data) {
		t.Fatalf("cleo's copy differs (%v)", err)
	}
	waitFor(t, "bob's file delivered to both", func() bool { return transferOf(bob.m, conv, sent.ID).State == contacts.Done })
}

// filesClient is a files protocol client on m's host that asks for what a
// test makes up (it takes m's handler over).
func filesClient(m *Messenger) *files.Service {
	return files.New(m.node.Host, files.Config{Allow: func(peer.ID) bool { return false },
		OnOffer:   func(peer.ID, files.Offer) error { return transfers.ErrUnknownTransfer },
		OnControl: func(peer.ID, files.Control) {},
		OnFetch:   func(peer.ID, string) (string, int64, error) { return "", 0, transfers.ErrUnknownTransfer },
		OnServed:  func(peer.ID, string, int64) {}})
}
