package core

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/seal"
	"hearth/p2p/wire"
)

// newPeerOpts is newPeer with changed options.
func newPeerOpts(t *testing.T, name string, edit func(*Options)) *peerT {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	o := opts()
	edit(&o)
	m, err := Opener{Dir: dir, Opts: o}.Create(name, "")
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	p := &peerT{dir: dir, m: m, log: &eventLog{}}
	p.log.watch(m)
	t.Cleanup(func() {
		if p.m != nil {
			p.m.Close()
		}
	})
	return p
}

// held returns the envelopes m carries for recipient.
func held(t *testing.T, m *Messenger, recipient string) []contacts.Envelope {
	t.Helper()
	es, err := m.store.Envelopes(recipient, m.now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func statusOf(t *testing.T, m *Messenger, conv, id string) contacts.Status {
	t.Helper()
	h, err := m.History(conv, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range h {
		if msg.ID == id {
			return msg.Status
		}
	}
	t.Fatalf("message %s not in history", id)
	return 0
}

// trio is a sender, a recipient and a carrier, mutual contacts.
type trio struct {
	s, r, c          *peerT
	sID, rID, cID    string
	sPeer, rPeer, cP peer.ID
}

// carrierTrio makes S, R and C mutual contacts, with C opted in as a
// carrier when carries, and takes R offline.
func carrierTrio(t *testing.T, carries bool, cOpts func(*Options)) trio {
	var x trio
	x.s, x.r = newPeer(t, "Sender"), newPeer(t, "Recipient")
	if cOpts == nil {
		cOpts = func(*Options) {}
	}
	x.c = newPeerOpts(t, "Carrier", cOpts)
	x.sID, x.rID, x.cID = x.s.m.MyPeerID(), x.r.m.MyPeerID(), x.c.m.MyPeerID()
	x.sPeer, x.rPeer, x.cP = mustDecode(t, x.sID), mustDecode(t, x.rID), mustDecode(t, x.cID)
	pair(t, x.s, x.c)
	pair(t, x.r, x.c)
	pair(t, x.s, x.r)
	if carries {
		if err := x.c.m.SetCarryMessages(true); err != nil {
			t.Fatal(err)
		}
	}
	x.r.stop(t)
	waitFor(t, "S and C see R offline", func() bool {
		return !x.s.m.connected(x.rPeer) && !x.c.m.connected(x.rPeer)
	})
	return x
}

func mustDecode(t *testing.T, s string) peer.ID {
	t.Helper()
	id, err := peer.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The test: the recipient is offline, the message goes to a
// carrier, the sender shuts down, the recipient comes up and gets it
// (once), and the sender comes back to see it delivered through a sealed
// ack, without ever meeting the recipient. The carrier can read nothing.
func TestCarrierDeliversToOfflineRecipient(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r, c, sID, rPeer := x.s, x.r, x.c, x.sID, x.rPeer
	const secret = "the spare key is under the blue flowerpot"

	msg, err := s.m.Send(rPeer.String(), secret)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds an envelope for R", func() bool { return len(held(t, c.m, rPeer.String())) == 1 })
	if st := statusOf(t, s.m, rPeer.String(), msg.ID); st != contacts.Pending {
		t.Fatalf("status after deposit = %v, want Pending", st)
	}

	// What C keeps is sealed: no plaintext in the bytes its Store returns,
	// and C's key opens nothing, even re-addressed to C.
	e := held(t, c.m, rPeer.String())[0]
	if bytes.Contains(e.Data, []byte(secret)) || bytes.Contains(e.Data, []byte("blue flowerpot")) {
		t.Fatal("carrier's stored envelope contains the plaintext")
	}
	if e.Depositor != sID {
		t.Fatalf("depositor %s, want S", e.Depositor)
	}
	var env wire.Envelope
	if err := env.Unmarshal(e.Data); err != nil {
		t.Fatal(err)
	}
	if _, err := seal.Open(c.m.prof.Key, env); !errors.Is(err, seal.ErrNotForMe) {
		t.Fatalf("carrier opening: %v, want ErrNotForMe", err)
	}
	env.Recipient = c.m.MyPeerID()
	if _, err := seal.Open(c.m.prof.Key, env); err == nil {
		t.Fatal("carrier opened the envelope by re-addressing it")
	}

	s.stop(t)
	r.restart(t)
	waitFor(t, "R got the message through C", func() bool { return len(bodies(t, r.m, sID)) == 1 })
	if got := bodies(t, r.m, sID); got[0] != secret {
		t.Fatalf("R got %q", got)
	}
	h, _ := r.m.History(sID, 10)
	if h[0].ID != msg.ID || h[0].From != sID || h[0].Status != contacts.Received || !h[0].SentAt.Equal(msg.SentAt.Truncate(time.Millisecond)) {
		t.Fatalf("R stored %+v", h[0])
	}
	waitFor(t, "C deleted the handed-over envelope and holds R's sealed ack", func() bool {
		return len(held(t, c.m, rPeer.String())) == 0 && len(held(t, c.m, sID)) == 1
	})
	ack := held(t, c.m, sID)[0]
	if ack.Depositor != rPeer.String() {
		t.Fatalf("ack deposited by %s, want R", ack.Depositor)
	}

	// S returns while R is away again: only the carrier can tell it.
	r.stop(t)
	s.restart(t)
	waitFor(t, "S sees Delivered", func() bool { return statusOf(t, s.m, rPeer.String(), msg.ID) == contacts.Delivered })
	if _, ok := s.log.find(func(e Event) bool {
		ch, ok := e.(MessageStatusChanged)
		return ok && ch.ID == msg.ID && ch.Status == contacts.Delivered
	}); !ok {
		waitFor(t, "a Delivered event", func() bool {
			_, ok := s.log.find(func(e Event) bool {
				ch, ok := e.(MessageStatusChanged)
				return ok && ch.ID == msg.ID && ch.Status == contacts.Delivered
			})
			return ok
		})
	}
	waitFor(t, "C deleted the ack", func() bool { return len(held(t, c.m, sID)) == 0 })
	if n := len(held(t, c.m, rPeer.String())); n != 0 {
		t.Fatalf("C holds %d envelopes for R", n)
	}

	// All three meet: R still has the message exactly once.
	r.restart(t)
	waitFor(t, "S and R connected", func() bool { return s.m.connected(rPeer) && presenceOf(r.m, sID) == contacts.Online })
	if got := bodies(t, r.m, sID); len(got) != 1 {
		t.Fatalf("R has %d copies: %q", len(got), got)
	}

	// C's database files, read raw, hold no plaintext either.
	c.stop(t)
	files, _ := os.ReadDir(c.dir)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(c.dir, f.Name()))
		if err != nil {
			continue
		}
		if bytes.Contains(b, []byte(secret)) || bytes.Contains(b, []byte("flowerpot")) {
			t.Fatalf("%s contains the plaintext", f.Name())
		}
	}
}
