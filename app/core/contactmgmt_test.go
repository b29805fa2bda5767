package core

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"golang.org/x/time/rate"

	"hearth/app/core/book"
	"hearth/app/core/event"
	"hearth/app/core/people"
	"hearth/contacts"
	pchat "hearth/p2p/chat"
	"hearth/p2p/contactreq"
	"hearth/p2p/files"
	"hearth/p2p/node"
	ppresence "hearth/p2p/presence"
	"hearth/p2p/signal"
	"hearth/p2p/wire"
)

// newPeerWith is newPeer with changed options.
func newPeerWith(t *testing.T, name string, change func(*Options)) *peerT {
	t.Helper()
	o := opts()
	change(&o)
	dir := filepath.Join(t.TempDir(), name)
	m, err := Opener{Dir: dir, Opts: o}.Create(name, "")
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	p := &peerT{dir: dir, m: m, log: &eventLog{}}
	p.log.watch(m)
	t.Cleanup(func() { p.m.Close() })
	return p
}

// prober tries every Hearth protocol on someone, with its own services
// (not a Messenger's checks), and records every byte of presence it is
// sent.
type prober struct {
	h     host.Host
	chat  *pchat.Service
	files *files.Service
	sig   *signal.Service
	req   *contactreq.Service
	heard atomic.Int64 // bytes that arrived on presence streams
}

// newStranger starts a bare node on loopback that nobody knows, with
// services that accept anything.
func newStranger(t *testing.T) *prober {
	t.Helper()
	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(node.Config{Key: key, Port: -1, Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	p := &prober{h: n.Host, chat: pchat.New(n.Host, pchat.Config{}), files: files.New(n.Host, files.Config{}),
		sig: signal.New(n.Host, signal.Config{}), req: contactreq.New(n.Host, contactreq.Config{})}
	t.Cleanup(func() {
		p.chat.Close()
		p.files.Close()
		p.sig.Close()
		p.req.Close()
		n.Close()
	})
	p.listenPresence()
	return p
}

// proberOf probes with a Messenger's own services (a blocked or removed
// contact), its presence handler replaced by the recorder.
func proberOf(m *Messenger) *prober {
	// Its own protocol clients on m's host: the mechanisms keep their
	// services to themselves.
	ch := pchat.New(m.node.Host, pchat.Config{Allow: func(peer.ID) bool { return false },
		DeliverBatch: func(peer.ID, []wire.ChatMessage) error { return nil }})
	sig := signal.New(m.node.Host, signal.Config{Allow: func(peer.ID) bool { return false }})
	req := contactreq.New(m.node.Host, contactreq.Config{OnRequest: func(peer.ID, wire.ContactRequest) wire.ContactReply {
		return wire.ContactReply{Status: wire.StatusPending}
	}})
	p := &prober{h: m.node.Host, chat: ch, files: filesClient(m), sig: sig, req: req}
	p.listenPresence()
	return p
}

func (p *prober) listenPresence() {
	p.h.SetStreamHandler(ppresence.ID, func(st network.Stream) {
		b, _ := io.ReadAll(io.LimitReader(st, 1<<20))
		p.heard.Add(int64(len(b)))
		st.Reset()
	})
}

// probe tries chat, files, call signalling and a flood of contact requests
// on target and returns how many requests got a reply. It fails the test
// when a message, file offer or call offer is taken.
func (p *prober) probe(t *testing.T, target *peerT, tag string) (replies int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tid := target.m.prof.ID
	p.h.Peerstore().AddAddrs(tid, target.m.node.Host.Addrs(), peerstore.TempAddrTTL)
	if _, err := p.chat.Send(ctx, tid, []wire.ChatMessage{{ID: "probe-msg-" + tag, Body: "let me in", SentAt: time.Now().UnixMilli()}}); err == nil {
		t.Errorf("%s: chat message accepted", tag)
	}
	if err := p.files.Offer(ctx, tid, files.Offer{TransferID: "probe-file-" + tag, Name: "x.txt", Size: 3}); err == nil {
		t.Errorf("%s: file offer accepted", tag)
	}
	if err := p.sig.Send(ctx, tid, wire.Signal{Kind: wire.SignalOffer, CallID: "probe-call-" + tag, SDP: "v=0"}); err == nil {
		t.Errorf("%s: call offer accepted", tag)
	}
	for range 20 {
		if _, err := p.req.Send(ctx, tid, wire.ContactRequest{Kind: wire.KindRequest, Name: "Mallory", Note: "flood"}); err == nil {
			replies++
		}
	}
	return replies
}

// assertUntouched checks that target stored and showed nothing from id:
// no message, no transfer, no ringing call.
func assertUntouched(t *testing.T, target *peerT, id peer.ID, tag string) {
	t.Helper()
	if h, _ := target.m.Chat.History(id.String(), 10); len(h) != 0 {
		t.Errorf("%s: %d messages stored", tag, len(h))
	}
	if tr, _ := target.m.Transfers.Transfers(id.String()); len(tr) != 0 {
		t.Errorf("%s: %d transfers stored", tag, len(tr))
	}
	if _, rang := target.log.find(func(e event.Event) bool {
		c, ok := e.(event.IncomingCall)
		return ok && c.PeerID == id.String()
	}); rang {
		t.Errorf("%s: a call rang", tag)
	}
}

// assertNoPresence changes target's presence, waits until the control
// contact sees it, and checks that p heard nothing.
func assertNoPresence(t *testing.T, target, control *peerT, p *prober, tag string) {
	t.Helper()
	target.m.Presence.SetPresence(contacts.Busy, "probing "+tag)
	waitFor(t, "control contact sees Busy", func() bool {
		return presenceOf(control.m, target.m.MyPeerID()) == contacts.Busy
	})
	target.m.Presence.SetPresence(contacts.Online, "")
	waitFor(t, "control contact sees Online", func() bool {
		return presenceOf(control.m, target.m.MyPeerID()) == contacts.Online
	})
	time.Sleep(200 * time.Millisecond) // sends run concurrently: let a leak land
	if n := p.heard.Load(); n != 0 {
		t.Errorf("%s: received %d bytes of presence", tag, n)
	}
}

func incoming(m *Messenger) []string {
	cs, _ := m.People.Contacts()
	var out []string
	for _, c := range cs {
		if c.State == contacts.Incoming {
			out = append(out, c.PeerID)
		}
	}
	return out
}

// TestStrangerReachesNothing: a node that is no contact connects and tries
// every protocol: no presence, message, file or call gets through, and
// its request flood is cut at the per-peer burst and kept once.
func TestStrangerReachesNothing(t *testing.T) {
	alice, carol := newPeer(t, "Alice"), newPeer(t, "Carol")
	pair(t, alice, carol)
	s := newStranger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.h.Connect(ctx, peer.AddrInfo{ID: alice.m.prof.ID, Addrs: alice.m.node.Host.Addrs()}); err != nil {
		t.Fatalf("a stranger must be able to connect (to ask): %v", err)
	}
	dropped := requestsDropped(alice.m)
	replies := s.probe(t, alice, "stranger")
	if replies < 1 || replies > contactreq.DefaultPerPeerBurst {
		t.Errorf("%d requests answered, want 1..%d (the per-peer burst)", replies, contactreq.DefaultPerPeerBurst)
	}
	if d := requestsDropped(alice.m) - dropped; d < uint64(20-contactreq.DefaultPerPeerBurst) {
		t.Errorf("only %d requests dropped by the rate limit", d)
	}
	assertUntouched(t, alice, s.h.ID(), "stranger")
	assertNoPresence(t, alice, carol, s, "stranger")
	if got := incoming(alice.m); !slices.Equal(got, []string{s.h.ID().String()}) {
		t.Errorf("waiting requests %q, want the stranger's once", got)
	}
}

// TestRequestFloodFromManyPeersStaysBounded: strangers with fresh peer IDs
// each get through once at most, and neither the limiter's table nor the
// waiting requests grow past their caps.
func TestRequestFloodFromManyPeersStaysBounded(t *testing.T) {
	const tracked, waiting, strangers = 4, 3, 12
	alice := newPeerWith(t, "Alice", func(o *Options) {
		o.RequestLimits = contactreq.Config{PerPeerRate: rate.Every(time.Hour), PerPeerBurst: 1, MaxTrackedPeers: tracked}
		o.MaxPendingRequests = waiting
	})
	dropped := requestsDropped(alice.m)
	for i := range strangers {
		s := newStranger(t)
		replies := 0
		for range 3 {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s.h.Peerstore().AddAddrs(alice.m.prof.ID, alice.m.node.Host.Addrs(), peerstore.TempAddrTTL)
			if _, err := s.req.Send(ctx, alice.m.prof.ID, wire.ContactRequest{Kind: wire.KindRequest, Name: fmt.Sprint("flood ", i)}); err == nil {
				replies++
			}
			cancel()
		}
		if replies != 1 {
			t.Errorf("stranger %d: %d replies, want 1 (burst 1)", i, replies)
		}
		if n := requestsTracked(alice.m); n > tracked {
			t.Fatalf("%d peers tracked, cap %d", n, tracked)
		}
	}
	if d := requestsDropped(alice.m) - dropped; d != 2*strangers {
		t.Errorf("%d dropped, want %d", d, 2*strangers)
	}
	if n := len(incoming(alice.m)); n != waiting {
		t.Errorf("%d requests waiting, want the cap %d", n, waiting)
	}
	if n, _ := alice.m.store.Contacts(); len(n) != waiting {
		t.Errorf("%d contacts stored, want %d", len(n), waiting)
	}
}

// TestBlockedContactReachesNothing: once Alice blocks Bob, Bob sees her
// offline, cannot connect, and his message, file, call and requests go
// nowhere without him being told. Unblocking delivers what he queued.
func TestBlockedContactReachesNothing(t *testing.T) {
	alice, bob, carol := newPeer(t, "Alice"), newPeer(t, "Bob"), newPeer(t, "Carol")
	pair(t, alice, bob)
	pair(t, alice, carol)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	if err := alice.m.People.Block(bID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob sees alice offline", func() bool { return presenceOf(bob.m, aID) == contacts.Offline })
	if state(alice.m, bID) != contacts.Blocked || state(bob.m, aID) != contacts.Accepted {
		t.Fatalf("states: alice has bob %v, bob has alice %v (bob must not be told)", state(alice.m, bID), state(bob.m, aID))
	}

	// Through his app: everything is queued or refused as if she were offline.
	msg, err := bob.m.Chat.Send(aID, "are you there?")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.m.Calls.StartCall(aID); err == nil {
		t.Error("a call to the blocker started")
	}
	// Through his protocols directly: the connection itself is refused.
	p := proberOf(bob.m)
	if replies := p.probe(t, alice, "blocked"); replies != 0 {
		t.Errorf("%d requests from a blocked peer answered", replies)
	}
	assertUntouched(t, alice, bob.m.prof.ID, "blocked")
	if alice.m.d.Connected(bob.m.prof.ID) {
		t.Error("a blocked contact is connected")
	}
	assertNoPresence(t, alice, carol, p, "blocked")
	if h, _ := bob.m.Chat.History(aID, 10); len(h) != 1 || h[0].Status != contacts.Pending {
		t.Fatalf("bob's message: %+v, want one pending", h)
	}
	if _, told := bob.log.find(func(e event.Event) bool { _, ok := e.(event.Notice); return ok }); told {
		t.Error("bob was told something")
	}

	// Unblock: he is a contact again and his queued message arrives.
	if err := alice.m.People.Unblock(bID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "queued message delivered after unblock", func() bool {
		h, _ := alice.m.Chat.History(bID, 10)
		return len(h) == 1 && h[0].ID == msg.ID
	})
	// (Bob's presence handler is the prober's now: look from Alice's side.)
	waitFor(t, "online again", func() bool { return presenceOf(alice.m, bID) == contacts.Online })
}

// TestRemovedContactReachesNothing: a removed contact is told, and from
// then on is a stranger: it gets no presence, delivers nothing, rings
// nothing, and may only ask again (rate-limited).
func TestRemovedContactReachesNothing(t *testing.T) {
	alice, bob, carol := newPeer(t, "Alice"), newPeer(t, "Bob"), newPeer(t, "Carol")
	pair(t, alice, bob)
	pair(t, alice, carol)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	if err := alice.m.People.Remove(bID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob drops alice", func() bool { return state(bob.m, aID) == -1 })
	if _, told := bob.log.find(func(e event.Event) bool {
		n, ok := e.(event.Notice)
		return ok && strings.Contains(n.Text, "removed you")
	}); !told {
		t.Error("bob was not told he was removed")
	}
	if state(alice.m, bID) != -1 {
		t.Fatal("bob still in alice's list")
	}
	p := proberOf(bob.m)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.h.Connect(ctx, peer.AddrInfo{ID: alice.m.prof.ID, Addrs: alice.m.node.Host.Addrs()}); err != nil {
		t.Fatalf("a removed contact connects like a stranger: %v", err)
	}
	before, _ := alice.m.Chat.History(bID, 100)
	if replies := p.probe(t, alice, "removed"); replies < 1 || replies > contactreq.DefaultPerPeerBurst {
		t.Errorf("%d requests answered, want 1..%d", replies, contactreq.DefaultPerPeerBurst)
	}
	if after, _ := alice.m.Chat.History(bID, 100); len(after) != len(before) {
		t.Errorf("a removed contact delivered %d messages", len(after)-len(before))
	}
	assertUntouched(t, alice, bob.m.prof.ID, "removed") // no history before either
	assertNoPresence(t, alice, carol, p, "removed")
	if state(alice.m, bID) != contacts.Incoming {
		t.Errorf("bob's new request: state %v, want waiting", state(alice.m, bID))
	}
}

// TestContactManagementPersists: names, notes, groups, the verified mark,
// the request policy and a waiting request survive a restart.
func TestContactManagementPersists(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	bID := bob.m.MyPeerID()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(alice.m.People.Rename(bID, "  Uncle   Bob "))
	must(alice.m.People.SetNotes(bID, "likes trains"))
	must(alice.m.People.SetLabels(bID, []string{" Team", "family", "Family", "", "team"}))
	must(alice.m.People.SetVerified(bID, true))
	must(alice.m.People.SetRequestPolicy(people.RequestsWithInvite))
	stranger := newPeerID(t)
	must(alice.m.People.SetRequestPolicy(people.RequestsFromAnyone))
	alice.m.People.Receive(stranger, wire.ContactRequest{Kind: wire.KindRequest, Name: "Dan", Note: "from the choir"})
	must(alice.m.People.SetRequestPolicy(people.RequestsWithInvite))

	for _, restart := range []bool{false, true} {
		if restart {
			alice.stop(t)
			alice.restart(t)
		}
		c, ok := alice.m.book.Get(bob.m.prof.ID)
		if !ok || c.Name != "Uncle Bob" || c.Notes != "likes trains" || !slices.Equal(c.Labels, []string{"family", "Team"}) || !c.Verified {
			t.Errorf("restart %v: %+v", restart, c)
		}
		if got := alice.m.People.Labels(); !slices.Equal(got, []string{"family", "Team"}) {
			t.Errorf("restart %v: Labels() = %q", restart, got)
		}
		if p := alice.m.People.RequestPolicy(); p != people.RequestsWithInvite {
			t.Errorf("restart %v: policy %v", restart, p)
		}
		if got := incoming(alice.m); !slices.Equal(got, []string{stranger.String()}) {
			t.Errorf("restart %v: waiting requests %q", restart, got)
		}
	}
	// A second contact's "FAMILY" joins the existing spelling.
	carol := newPeer(t, "Carol")
	pair(t, alice, carol)
	must(alice.m.People.SetLabels(carol.m.MyPeerID(), []string{"FAMILY"}))
	if c, _ := alice.m.book.Get(carol.m.prof.ID); !slices.Equal(c.Labels, []string{"family"}) {
		t.Errorf("carol's labels %q", c.Labels)
	}
}

func TestContactEditLimits(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	bID := bob.m.MyPeerID()
	many := make([]string, people.MaxLabels+1)
	for i := range many {
		many[i] = fmt.Sprint("g", i)
	}
	cases := []struct {
		name string
		err  error
		got  error
	}{
		{"empty name", people.ErrEmptyName, alice.m.People.Rename(bID, "   ")},
		{"long name", people.ErrNameTooLong, alice.m.People.Rename(bID, strings.Repeat("n", wire.MaxNameLen+1))},
		{"long notes", people.ErrNotesTooLong, alice.m.People.SetNotes(bID, strings.Repeat("n", people.MaxNotesLen+1))},
		{"many labels", people.ErrTooManyLabels, alice.m.People.SetLabels(bID, many)},
		{"long label", people.ErrLabelTooLong, alice.m.People.SetLabels(bID, []string{strings.Repeat("l", people.MaxLabelLen+1)})},
		{"unknown", book.ErrUnknownPeer, alice.m.People.Rename(newPeerID(t).String(), "x")},
		{"bad id", book.ErrUnknownPeer, alice.m.People.Block("not-a-peer-id")},
		{"not blocked", people.ErrNotBlocked, alice.m.People.Unblock(bID)},
		{"bad policy", people.ErrBadPolicy, alice.m.People.SetRequestPolicy(people.RequestsFromNobody + 1)},
	}
	for _, c := range cases {
		if c.got != c.err {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.err)
		}
	}
	if c, _ := alice.m.book.Get(bob.m.prof.ID); c.Name != "Bob" || c.Labels != nil || c.Notes != "" {
		t.Errorf("a refused edit changed the contact: %+v", c)
	}
}

func newPeerID(t *testing.T) peer.ID {
	t.Helper()
	_, pub, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRequestPolicy: the privacy setting decides which strangers' requests
// are heard; contacts' messages on the protocol are never refused by it.
func TestRequestPolicy(t *testing.T) {
	alice := newPeer(t, "Alice")
	ask := func(secret string) peer.ID {
		id := newPeerID(t)
		alice.m.People.Receive(id, wire.ContactRequest{Kind: wire.KindRequest, Name: "Someone", Secret: secret})
		return id
	}
	code := func() string {
		c, err := alice.m.People.InviteCode()
		if err != nil {
			t.Fatal(err)
		}
		inv, err := wire.ParseInvite(c)
		if err != nil {
			t.Fatal(err)
		}
		return inv.Secret
	}
	cases := []struct {
		policy people.RequestPolicy
		secret string
		want   contacts.State // -1: dropped unseen
	}{
		{people.RequestsFromAnyone, "", contacts.Incoming},
		{people.RequestsFromAnyone, "fresh", contacts.Accepted},
		{people.RequestsWithInvite, "", -1},
		{people.RequestsWithInvite, "wrong", -1},
		{people.RequestsWithInvite, "fresh", contacts.Accepted},
		{people.RequestsFromNobody, "", -1},
		{people.RequestsFromNobody, "fresh", -1},
	}
	for _, c := range cases {
		if err := alice.m.People.SetRequestPolicy(c.policy); err != nil {
			t.Fatal(err)
		}
		secret := c.secret
		if secret == "fresh" {
			secret = code()
		}
		id := ask(secret)
		if got := state(alice.m, id.String()); got != c.want {
			t.Errorf("%v, secret %q: state %v, want %v", c.policy, c.secret, got, c.want)
		}
	}
}

// TestKeyChangeWarning: a request using the name of a verified contact is
// flagged, both as a notice and on the request itself.
func TestKeyChangeWarning(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	impostor := newPeerID(t)
	alice.m.People.Receive(impostor, wire.ContactRequest{Kind: wire.KindRequest, Name: "bob "})
	warned := func() string {
		cs, _ := alice.m.People.Contacts()
		for _, c := range cs {
			if c.PeerID == impostor.String() {
				return c.Warning
			}
		}
		t.Fatal("the request was not kept")
		return ""
	}
	if w := warned(); w != "" {
		t.Fatalf("warning %q while Bob is not verified", w)
	}
	if err := alice.m.People.SetVerified(bob.m.MyPeerID(), true); err != nil {
		t.Fatal(err)
	}
	if w := warned(); !strings.Contains(w, "different key from the Bob you verified") {
		t.Fatalf("warning %q", w)
	}
	second := newPeerID(t)
	alice.m.People.Receive(second, wire.ContactRequest{Kind: wire.KindRequest, Name: "BOB"})
	waitFor(t, "a notice", func() bool {
		_, ok := alice.log.find(func(e event.Event) bool {
			n, ok := e.(event.Notice)
			return ok && strings.Contains(n.Text, "different key")
		})
		return ok
	})
}

// TestSafetyCodeBothSides: both sides compute the same code; it checks
// against itself in any spacing and as a QR, and not against another's.
func TestSafetyCodeBothSides(t *testing.T) {
	alice, bob, carol := newPeer(t, "Alice"), newPeer(t, "Bob"), newPeer(t, "Carol")
	ab, err := alice.m.People.SafetyCode(bob.m.MyPeerID())
	if err != nil {
		t.Fatal(err)
	}
	ba, _ := bob.m.People.SafetyCode(alice.m.MyPeerID())
	ac, _ := alice.m.People.SafetyCode(carol.m.MyPeerID())
	if ab != ba || ab == ac {
		t.Fatalf("alice-bob %q, bob-alice %q, alice-carol %q", ab, ba, ac)
	}
	if len(ab) != 12*5+11 {
		t.Fatalf("code %q is not 12 groups of 5", ab)
	}
	qr, _ := bob.m.People.SafetyQR(alice.m.MyPeerID())
	for _, text := range []string{ab, strings.ReplaceAll(ab, " ", ""), strings.ReplaceAll(ab, " ", "-"), qr, "\n" + ab + "\n"} {
		if ok, err := alice.m.People.CheckSafetyCode(bob.m.MyPeerID(), text); !ok || err != nil {
			t.Errorf("%q did not check: %v", text, err)
		}
	}
	for _, text := range []string{ac, "", ab[:len(ab)-1], ab + "1", strings.Replace(ab, "0", "O", 1) + "x"} {
		if ok, _ := alice.m.People.CheckSafetyCode(bob.m.MyPeerID(), text); ok {
			t.Errorf("%q checked", text)
		}
	}
	if err := alice.m.People.SetVerified(bob.m.MyPeerID(), true); err != book.ErrUnknownPeer {
		t.Errorf("verifying a stranger: %v", err)
	}
}

// TestRemoveWithdrawsRequest: "I removed you" from someone whose request
// waits takes the request away, without a notice; from a blocked person it
// changes nothing.
func TestRemoveWithdrawsRequest(t *testing.T) {
	alice := newPeer(t, "Alice")
	asker, blocked := newPeerID(t), newPeerID(t)
	for _, id := range []peer.ID{asker, blocked} {
		alice.m.People.Receive(id, wire.ContactRequest{Kind: wire.KindRequest, Name: "Someone"})
	}
	if err := alice.m.People.Block(blocked.String()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []peer.ID{asker, blocked} {
		alice.m.People.Receive(id, wire.ContactRequest{Kind: wire.KindRemove})
	}
	if s := state(alice.m, asker.String()); s != -1 {
		t.Errorf("withdrawn request still there: %v", s)
	}
	if s := state(alice.m, blocked.String()); s != contacts.Blocked {
		t.Errorf("blocked person: %v", s)
	}
	if _, noticed := alice.log.find(func(e event.Event) bool { _, ok := e.(event.Notice); return ok }); noticed {
		t.Error("a withdrawn request made a notice")
	}
}

// TestWithdrawRequest: removing someone I asked takes my request back on
// their side.
func TestWithdrawRequest(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	if err := alice.m.People.SetRequestPolicy(people.RequestsFromAnyone); err != nil {
		t.Fatal(err)
	}
	code, _ := alice.m.People.InviteCode()
	inv, _ := wire.ParseInvite(code)
	alice.m.store.UseInvite(inv.Secret) // spent: Bob's request must wait
	if err := bob.m.People.AddByInvite(code, "it's Bob"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "request waiting at alice", func() bool { return state(alice.m, bID) == contacts.Incoming })
	if err := bob.m.People.Remove(aID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "request withdrawn", func() bool { return state(alice.m, bID) == -1 })
	if state(bob.m, aID) != -1 {
		t.Error("bob still lists alice")
	}
}

// TestRemoveToldLater: a contact removed while offline hears it when it
// next connects, and drops me too.
func TestRemoveToldLater(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	bob.stop(t)
	waitFor(t, "bob offline", func() bool { return presenceOf(alice.m, bID) == contacts.Offline })
	if err := alice.m.People.Remove(bID); err != nil {
		t.Fatal(err)
	}
	bob.restart(t)
	if state(bob.m, aID) != contacts.Accepted {
		t.Fatal("bob should still list alice before he is told")
	}
	waitFor(t, "bob told on reconnect", func() bool { return state(bob.m, aID) == -1 })
	waitFor(t, "the reminder forgotten", func() bool {
		b, _ := alice.m.store.Setting("removed." + bID)
		return len(b) == 0
	})
}

// TestDroppedRequestIsResentWhileConnected: a request that Alice's global
// rate limit drops (a stranger's flood spent it) is sent again while Bob
// stays connected, so pairing finishes once the limit refills.
func TestDroppedRequestIsResentWhileConnected(t *testing.T) {
	alice := newPeerWith(t, "Alice", func(o *Options) {
		o.RequestLimits = contactreq.Config{GlobalRate: rate.Every(time.Second), GlobalBurst: 1}
	})
	bob := newPeer(t, "Bob")
	code, err := alice.m.People.InviteCode()
	if err != nil {
		t.Fatal(err)
	}
	s := newStranger(t)
	s.h.Peerstore().AddAddrs(alice.m.prof.ID, alice.m.node.Host.Addrs(), peerstore.TempAddrTTL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.req.Send(ctx, alice.m.prof.ID, wire.ContactRequest{Kind: wire.KindRequest, Name: "flood"}); err != nil {
		t.Fatalf("the stranger's request should take the only token: %v", err)
	}
	dropped := requestsDropped(alice.m)
	if err := bob.m.People.AddByInvite(code, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob's request dropped by the global limit", func() bool { return requestsDropped(alice.m) > dropped })
	waitFor(t, "both sides accepted", func() bool {
		return state(alice.m, bob.m.MyPeerID()) == contacts.Accepted && state(bob.m, alice.m.MyPeerID()) == contacts.Accepted
	})
}

func requestsDropped(m *Messenger) uint64 {
	d, _ := m.People.RequestStats()
	return d
}

func requestsTracked(m *Messenger) int {
	_, n := m.People.RequestStats()
	return n
}
