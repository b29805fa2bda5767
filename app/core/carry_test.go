package core

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/carry"
	"hearth/app/core/event"
	"hearth/contacts"
	pcarry "hearth/p2p/carry"
	"hearth/p2p/seal"
	"hearth/p2p/wire"
)

// held returns the envelopes m carries for recipient.
func held(t *testing.T, m *Messenger, recipient string) []contacts.Envelope {
	t.Helper()
	es, err := m.store.Envelopes(recipient, m.Carry.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func statusOf(t *testing.T, m *Messenger, conv, id string) contacts.Status {
	t.Helper()
	h, err := m.Chat.History(conv, 1000)
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
	x.c = newPeerWith(t, "Carrier", cOpts)
	x.sID, x.rID, x.cID = x.s.m.MyPeerID(), x.r.m.MyPeerID(), x.c.m.MyPeerID()
	x.sPeer, x.rPeer, x.cP = mustDecode(t, x.sID), mustDecode(t, x.rID), mustDecode(t, x.cID)
	for _, p := range []*peerT{x.s, x.r, x.c} { // files land in temp folders
		if err := p.m.Transfers.SetDownloadDir(t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	pair(t, x.s, x.c)
	pair(t, x.r, x.c)
	pair(t, x.s, x.r)
	if carries {
		if err := x.c.m.Carry.SetCarryMessages(true); err != nil {
			t.Fatal(err)
		}
	}
	x.r.stop(t)
	waitFor(t, "S and C see R offline", func() bool {
		return !x.s.m.d.Connected(x.rPeer) && !x.c.m.d.Connected(x.rPeer)
	})
	return x
}

// The test: the recipient is offline, the message goes to a
// carrier, the sender shuts down, the recipient comes up and gets it
// (once), and the sender comes back to see it delivered through a sealed
// ack, without ever meeting the recipient. The carrier can read nothing.
func TestCarrierDeliversToOfflineRecipient(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s, r, c, sID, rPeer := x.s, x.r, x.c, x.sID, x.rPeer
	const secret = "the spare key is under the blue flowerpot"

	msg, err := s.m.Chat.Send(rPeer.String(), secret)
	if err != nil {
		t.Fatal(err)
	}
	reply, err := s.m.Chat.Reply(rPeer.String(), msg.ID, "p.s. it sticks")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds envelopes for R", func() bool { return len(held(t, c.m, rPeer.String())) == 2 })
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

	// Everyone restarts at some point: the sender leaves, the carrier
	// restarts (the envelope is on its disk), then the recipient returns.
	s.stop(t)
	c.stop(t)
	c.restart(t)
	if n := len(held(t, c.m, rPeer.String())); n != 2 {
		t.Fatalf("carrier holds %d envelopes after a restart", n)
	}
	if !c.m.Carry.CarryMessages() {
		t.Fatal("carrying forgotten across a restart")
	}
	r.restart(t)
	waitFor(t, "R got the messages through C", func() bool { return len(bodies(t, r.m, sID)) == 2 })
	if got := bodies(t, r.m, sID); got[0] != secret {
		t.Fatalf("R got %q", got)
	}
	h, _ := r.m.Chat.History(sID, 10)
	if h[0].ID != msg.ID || h[0].From != sID || h[0].Status != contacts.Received || !h[0].SentAt.Equal(msg.SentAt.Truncate(time.Millisecond)) {
		t.Fatalf("R stored %+v", h[0])
	}
	if h[1].ID != reply.ID || h[1].ReplyTo != msg.ID {
		t.Fatalf("R stored the reply as %+v", h[1])
	}
	waitFor(t, "C deleted the handed-over envelope and holds R's sealed ack", func() bool {
		return len(held(t, c.m, rPeer.String())) == 0 && len(held(t, c.m, sID)) >= 1
	})
	ack := held(t, c.m, sID)[0]
	if ack.Depositor != rPeer.String() {
		t.Fatalf("ack deposited by %s, want R", ack.Depositor)
	}

	// S returns while R is away again: only the carrier can tell it.
	r.stop(t)
	s.restart(t)
	waitFor(t, "S sees Delivered", func() bool {
		return statusOf(t, s.m, rPeer.String(), msg.ID) == contacts.Delivered && statusOf(t, s.m, rPeer.String(), reply.ID) == contacts.Delivered
	})
	waitFor(t, "a Delivered event", func() bool {
		_, ok := s.log.find(func(e event.Event) bool {
			ch, ok := e.(event.MessageStatusChanged)
			return ok && ch.ID == msg.ID && ch.Status == contacts.Delivered
		})
		return ok
	})
	waitFor(t, "C deleted the ack", func() bool { return len(held(t, c.m, sID)) == 0 })
	if n := len(held(t, c.m, rPeer.String())); n != 0 {
		t.Fatalf("C holds %d envelopes for R", n)
	}

	// All three meet: R still has the message exactly once.
	r.restart(t)
	waitFor(t, "S and R connected", func() bool { return s.m.d.Connected(rPeer) && presenceOf(r.m, sID) == contacts.Online })
	if got := bodies(t, r.m, sID); len(got) != 2 {
		t.Fatalf("R has %d messages: %q", len(got), got)
	}

	// C's database files, read raw, hold no plaintext either.
	c.stop(t)
	defer c.restart(t) // newPeerWith's cleanup closes it
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

// refused reports whether m has been told by carrier c not to ask again
// (for recipient r, or for anyone when r is "").
func refused(m *Messenger, c, r peer.ID) bool { return m.Carry.Refused(c, r) }

func TestCarrierQuotaPerSender(t *testing.T) {
	x := carrierTrio(t, true, func(o *Options) { o.Carry.MaxPerSender = 2 })
	var sent []contacts.Message
	for _, body := range []string{"one", "two", "three"} {
		msg, err := x.s.m.Chat.Send(x.rID, body)
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, msg)
	}
	waitFor(t, "S told the carrier is full", func() bool { return refused(x.s.m, x.cP, "") })
	if n := len(held(t, x.c.m, x.rID)); n != 2 {
		t.Fatalf("carrier holds %d envelopes, quota 2", n)
	}
	left, err := x.s.m.store.Undeposited(x.rID, x.cID, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].ID != sent[2].ID {
		t.Fatalf("not deposited: %v", left)
	}
	for _, msg := range sent {
		if st := statusOf(t, x.s.m, x.rID, msg.ID); st != contacts.Pending {
			t.Fatalf("%q is %v, want Pending", msg.Body, st)
		}
	}
}

func TestCarrierNotOptedInRefuses(t *testing.T) {
	x := carrierTrio(t, false, nil)
	msg, err := x.s.m.Chat.Send(x.rID, "hello")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "S told C does not carry", func() bool { return refused(x.s.m, x.cP, "") })
	if n := len(held(t, x.c.m, x.rID)); n != 0 {
		t.Fatalf("carrier that did not opt in holds %d envelopes", n)
	}
	if st := statusOf(t, x.s.m, x.rID, msg.ID); st != contacts.Pending {
		t.Fatalf("status %v", st)
	}
	if x.c.m.Carry.CarryMessages() {
		t.Fatal("carrying is on by default")
	}
}

func TestCarrierRefusesStranger(t *testing.T) {
	x := carrierTrio(t, true, nil)
	stranger := newPeer(t, "Stranger")
	e, err := seal.Seal(rand.Reader, stranger.m.prof.Key, x.rPeer, "e1", time.Now().Add(time.Hour), wire.SealedChat, []byte("hi"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := stranger.m.node.Host
	if err := h.Connect(ctx, peer.AddrInfo{ID: x.cP, Addrs: x.c.m.node.Host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	// A carrier client of the stranger's own (its mechanism keeps its
	// service to itself).
	client := pcarry.New(h, pcarry.Config{Allow: func(peer.ID) bool { return false }})
	replies, err := client.Deposit(ctx, x.cP, []wire.Envelope{e})
	if err == nil || len(replies) != 0 {
		t.Fatalf("stranger's deposit: %+v, %v", replies, err)
	}
	// And if one got past the stream check, the callback says no too.
	v, err := x.c.m.Carry.Deposited(h.ID(), []wire.Envelope{e})
	if err != nil || v[0].Status != wire.CarryOff {
		t.Fatalf("onDeposit from a stranger: %+v, %v", v, err)
	}
	if n := len(held(t, x.c.m, x.rID)); n != 0 {
		t.Fatalf("carrier holds %d envelopes from a stranger", n)
	}
}

// TestCarrierLimits drives the carrier's decisions directly.
func TestCarrierLimits(t *testing.T) {
	x := carrierTrio(t, true, nil)
	c := x.c.m
	now := time.Now()
	n := 0
	env := func(to peer.ID, expires time.Time, size int) wire.Envelope {
		t.Helper()
		n++
		e, err := seal.Seal(rand.Reader, x.s.m.prof.Key, to, "e"+strings.Repeat("x", n), expires, wire.SealedChat, make([]byte, size))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	stranger := newPeer(t, "Stranger")
	cases := []struct {
		name   string
		edit   func(o *carry.Options)
		envs   []wire.Envelope
		status []uint32
	}{
		{"recipient not my contact", nil, []wire.Envelope{env(stranger.m.prof.ID, now.Add(time.Hour), 1)}, []uint32{wire.CarryUnknown}},
		{"recipient is the depositor", nil, []wire.Envelope{env(x.sPeer, now.Add(time.Hour), 1)}, []uint32{wire.CarryUnknown}},
		{"recipient is me", nil, []wire.Envelope{env(x.cP, now.Add(time.Hour), 1)}, []uint32{wire.CarryUnknown}},
		{"expired", nil, []wire.Envelope{env(x.rPeer, now.Add(-time.Second), 1)}, []uint32{wire.CarryRejected}},
		{"total count", func(o *carry.Options) { o.MaxTotal = 2 },
			[]wire.Envelope{env(x.rPeer, now.Add(time.Hour), 1), env(x.rPeer, now.Add(time.Hour), 1), env(x.rPeer, now.Add(time.Hour), 1)},
			[]uint32{wire.CarryOK, wire.CarryOK, wire.CarryFull}},
		{"bytes per sender", func(o *carry.Options) { o.MaxBytesPerSender = 2000 },
			[]wire.Envelope{env(x.rPeer, now.Add(time.Hour), 2000), env(x.rPeer, now.Add(time.Hour), 10)},
			[]uint32{wire.CarryFull, wire.CarryOK}},
		{"total bytes", func(o *carry.Options) { o.MaxTotalBytes = 1000 },
			[]wire.Envelope{env(x.rPeer, now.Add(time.Hour), 1000)},
			[]uint32{wire.CarryFull}},
	}
	defaults := c.Carry.Limits()
	setLimits := func(o carry.Options) { c.Carry.SetLimits(o) }
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.store.DeleteEnvelopes(envIDs(held(t, c, x.rID))); err != nil {
				t.Fatal(err)
			}
			o := defaults
			if tc.edit != nil {
				tc.edit(&o)
			}
			setLimits(o)
			v, err := c.Carry.Deposited(x.sPeer, tc.envs)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.status {
				if v[i].Status != want {
					t.Fatalf("envelope %d: %+v, want status %d", i, v[i], want)
				}
			}
		})
	}
	setLimits(defaults)
	// An envelope kept longer than MaxAge is cut to MaxAge.
	if err := c.store.DeleteEnvelopes(envIDs(held(t, c, x.rID))); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Carry.Deposited(x.sPeer, []wire.Envelope{env(x.rPeer, now.Add(365*24*time.Hour), 1)}); err != nil {
		t.Fatal(err)
	}
	if h := held(t, c, x.rID); len(h) != 1 || h[0].Expires.After(now.Add(defaults.MaxAge+time.Minute)) {
		t.Fatalf("held %+v", h)
	}
}

func envIDs(es []contacts.Envelope) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestCarrierDropsExpired(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	x := carrierTrio(t, true, func(o *Options) { o.Carry.Now = clock.now })
	if _, err := x.s.m.Chat.Send(x.rID, "see you in a month"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds the envelope", func() bool { return len(held(t, x.c.m, x.rID)) == 1 })
	x.s.stop(t)
	clock.advance(15 * 24 * time.Hour)
	x.c.m.links.Wake()
	waitFor(t, "C dropped it", func() bool {
		u, err := x.c.m.store.CarryUsage(x.sID)
		return err == nil && u.TotalCount == 0
	})
	x.r.restart(t)
	waitFor(t, "R and C connected", func() bool { return presenceOf(x.r.m, x.cID) == contacts.Online })
	if got := bodies(t, x.r.m, x.sID); len(got) != 0 {
		t.Fatalf("R got an expired message: %q", got)
	}
}

// The recipient drops what does not open, what a stranger sealed, and acks
// from anyone but the recipient of the messages they name.
func TestHandoverDropsForgeries(t *testing.T) {
	x := carrierTrio(t, true, nil)
	s := x.s.m
	stranger := newPeer(t, "Stranger")
	later := time.Now().Add(time.Hour)
	fromStranger, _ := seal.Seal(rand.Reader, stranger.m.prof.Key, x.sPeer, "e1", later, wire.SealedChat,
		wire.ChatMessage{ID: "m1", Body: "hi"}.Marshal())
	tampered, _ := seal.Seal(rand.Reader, x.c.m.prof.Key, x.sPeer, "e2", later, wire.SealedChat,
		wire.ChatMessage{ID: "m2", Body: "hi"}.Marshal())
	tampered.Box[0] ^= 1
	// S has a message waiting for R (offline); C must not be able to
	// ack it in R's place.
	pendingToR, err := s.Chat.Send(x.rID, "for R")
	if err != nil {
		t.Fatal(err)
	}
	forgedAck, _ := seal.Seal(rand.Reader, x.c.m.prof.Key, x.sPeer, "e3", later, wire.SealedAcks,
		wire.SealedAck{IDs: []string{pendingToR.ID}}.Marshal())
	v, err := s.Carry.HandedOver(x.cP, []wire.Envelope{fromStranger, tampered, forgedAck})
	if err != nil {
		t.Fatal(err)
	}
	for i, verdict := range v {
		if verdict.Status != wire.CarryOK {
			t.Fatalf("envelope %d not taken: %+v", i, verdict)
		}
	}
	if v[0].Reason == "" || v[1].Reason == "" {
		t.Fatalf("forgeries not reported as dropped: %+v", v)
	}
	if got := bodies(t, s, stranger.m.MyPeerID()); len(got) != 0 {
		t.Fatalf("stored a stranger's message: %q", got)
	}
	if st := statusOf(t, s, x.rID, pendingToR.ID); st != contacts.Pending {
		t.Fatalf("C's ack marked S's message to R %v", st)
	}
}

// A message goes to at most carry.Options.Carriers carriers.
func TestDepositCarrierLimit(t *testing.T) {
	s := newPeerWith(t, "Sender", func(o *Options) { o.Carry.Carriers = 1 })
	r := newPeer(t, "Recipient")
	c1, c2 := newPeer(t, "Carrier1"), newPeer(t, "Carrier2")
	for _, c := range []*peerT{c1, c2} {
		pair(t, s, c)
		pair(t, r, c)
		if err := c.m.Carry.SetCarryMessages(true); err != nil {
			t.Fatal(err)
		}
	}
	pair(t, s, r)
	rID := r.m.MyPeerID()
	rPeer := mustDecode(t, rID)
	r.stop(t)
	waitFor(t, "S sees R offline", func() bool { return !s.m.d.Connected(rPeer) })
	if _, err := s.m.Chat.Send(rID, "to one carrier only"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a carrier holds it", func() bool { return len(held(t, c1.m, rID))+len(held(t, c2.m, rID)) >= 1 })
	for range 3 {
		s.m.Carry.DepositFor(rPeer) // more passes change nothing
	}
	if n := len(held(t, c1.m, rID)) + len(held(t, c2.m, rID)); n != 1 {
		t.Fatalf("%d carriers hold the message, limit 1", n)
	}
}

// When the recipient gets a message both directly and from a carrier, it
// keeps one copy.
func TestCarriedAndDirectCopyStoredOnce(t *testing.T) {
	x := carrierTrio(t, true, nil)
	msg, err := x.s.m.Chat.Send(x.rID, "one copy please")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "C holds it", func() bool { return len(held(t, x.c.m, x.rID)) == 1 })
	x.r.restart(t)
	waitFor(t, "delivered directly and handed over by C", func() bool {
		return statusOf(t, x.s.m, x.rID, msg.ID) == contacts.Delivered && len(held(t, x.c.m, x.rID)) == 0
	})
	if got := bodies(t, x.r.m, x.sID); len(got) != 1 {
		t.Fatalf("R has %q", got)
	}
	added := 0
	x.r.log.mu.Lock()
	for _, e := range x.r.log.events {
		if a, ok := e.(event.MessageAdded); ok && a.Message.ID == msg.ID {
			added++
		}
	}
	x.r.log.mu.Unlock()
	if added != 1 {
		t.Fatalf("R announced the message %d times", added)
	}
}
