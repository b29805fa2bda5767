package core

// The hostile-peer suite (issue 14): contacts and strangers that send what
// Hearth itself never sends, on real nodes. The victim is a full Messenger
// on loopback with its SQLite file; the attacker is a bare libp2p host
// speaking the protocols directly (p2p/chat, p2p/convo, p2p/group,
// p2p/contactreq), with a contact's real identity key when it plays a
// contact.

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"hearth/app/core/base"
	"hearth/app/core/event"
	"hearth/app/core/transfers"
	"hearth/contacts"
	"hearth/contacts/store"
	p2pchat "hearth/p2p/chat"
	"hearth/p2p/contactreq"
	"hearth/p2p/convo"
	"hearth/p2p/group"
	"hearth/p2p/node"
	"hearth/p2p/wire"
)

// hostile is a bare host that speaks Hearth's protocols as it likes.
type hostile struct {
	key  crypto.PrivKey
	id   peer.ID
	n    *node.Node
	chat *p2pchat.Service
}

// newHostile starts a bare host with key (nil: a new stranger) that knows
// the victim's addresses.
func newHostile(t *testing.T, key crypto.PrivKey, victim *Messenger) *hostile {
	t.Helper()
	if key == nil {
		var err error
		if key, _, err = crypto.GenerateEd25519Key(rand.Reader); err != nil {
			t.Fatal(err)
		}
	}
	n, err := node.New(node.Config{Key: key, Port: -1, Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	id, _ := peer.IDFromPrivateKey(key)
	h := &hostile{key: key, id: id, n: n, chat: p2pchat.New(n.Host, p2pchat.Config{})}
	t.Cleanup(func() { h.chat.Close() })
	vid := peer.ID(victim.prof.ID)
	for _, a := range victim.Addrs() {
		if addr, err := ma.NewMultiaddr(a); err == nil {
			n.Host.Peerstore().AddAddr(vid, addr, time.Hour)
		}
	}
	return h
}

// becomeHostile pairs a real contact with the victim, then stops it and
// returns a bare host with its identity: a contact gone rogue.
func becomeHostile(t *testing.T, p, victim *peerT) *hostile {
	t.Helper()
	pair(t, victim, p)
	key := p.m.d.Key
	p.stop(t)
	return newHostile(t, key, victim.m)
}

func ctx10(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func (h *hostile) send(t *testing.T, to *Messenger, msgs ...wire.ChatMessage) ([]string, error) {
	t.Helper()
	return h.chat.Send(ctx10(t), to.prof.ID, msgs)
}

func (h *hostile) update(t *testing.T, to *Messenger, u wire.ChatUpdate) error {
	t.Helper()
	svc := convo.New(h.n.Host, convo.Config{})
	defer svc.Close()
	return svc.Send(ctx10(t), to.prof.ID, u)
}

// storedMsg returns the victim's copy of a message by key.
func storedMsg(t *testing.T, m *Messenger, conv, from, id string) (contacts.Message, bool) {
	t.Helper()
	msg, err := m.d.Store.MessageIn(conv, from, id)
	if err != nil {
		return msg, false
	}
	return msg, true
}

// A contact who learned another contact's message ID sends it first: the
// real message still arrives, is shown, and is acknowledged only as what
// it is. Guards finding 1.
func TestHostileForgedIDAcrossContacts(t *testing.T) {
	bob, carol, mallory := newPeer(t, "Bob"), newPeer(t, "Carol"), newPeer(t, "Mallory")
	pair(t, bob, carol)
	bID, cID := bob.m.MyPeerID(), carol.m.MyPeerID()
	evil := becomeHostile(t, mallory, bob)

	// Carol writes while Bob is away; Mallory (in a group with both, say)
	// learns the ID and gets to Bob first.
	bob.stop(t)
	real, err := carol.m.Chat.Send(bID, "the real message")
	if err != nil {
		t.Fatal(err)
	}
	carol.stop(t)
	bob.restart(t)
	evil = newHostile(t, evil.key, bob.m)
	acked, err := evil.send(t, bob.m, wire.ChatMessage{ID: real.ID, Body: "forged first", SentAt: time.Now().UnixMilli()})
	if err != nil || len(acked) != 1 {
		t.Fatalf("forged send: %v %v", acked, err)
	}
	carol.restart(t)
	waitFor(t, "Carol's message at Bob and delivered", func() bool {
		_, ok := storedMsg(t, bob.m, cID, cID, real.ID)
		got, _ := carol.m.d.Store.MessageIn(bID, cID, real.ID)
		return ok && got.Status == contacts.Delivered
	})
	if got, _ := storedMsg(t, bob.m, cID, cID, real.ID); got.Body != "the real message" {
		t.Fatalf("Carol's conversation shows %q", got.Body)
	}
	if got, ok := storedMsg(t, bob.m, evil.id.String(), evil.id.String(), real.ID); !ok || got.Body != "forged first" {
		t.Fatalf("Mallory's copy: %+v %v", got, ok)
	}
	// An edit from Mallory of that ID reaches only Mallory's own copy.
	if err := evil.update(t, bob.m, wire.ChatUpdate{Kind: wire.UpdateEdit, Target: real.ID, Body: "edited by Mallory", At: time.Now().UnixMilli()}); err != nil {
		t.Fatal(err)
	}
	if got, _ := storedMsg(t, bob.m, cID, cID, real.ID); got.Body != "the real message" {
		t.Fatalf("Mallory's edit changed Carol's message: %q", got.Body)
	}
}

// Times a contact sends, from MaxInt64 to MinInt64, are stored within a
// window around now, never wrapped; an edit dated year 9999 cannot make
// later edits lose forever, nor can an older one win. Guards finding 2.
// Blank bodies are acknowledged and never stored ("Also").
func TestHostileExtremeTimesAndBlankBodies(t *testing.T) {
	bob, mallory := newPeer(t, "Bob"), newPeer(t, "Mallory")
	evil := becomeHostile(t, mallory, bob)
	conv := evil.id.String()
	before := time.Now()
	times := []int64{math.MaxInt64, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).UnixMilli(), 1 << 62, math.MinInt64, -1, 0}
	var msgs []wire.ChatMessage
	for i, at := range times {
		msgs = append(msgs, wire.ChatMessage{ID: fmt.Sprint("t", i), Body: fmt.Sprint("time ", i), SentAt: at})
	}
	msgs = append(msgs, wire.ChatMessage{ID: "blank1", Body: "", SentAt: time.Now().UnixMilli()},
		wire.ChatMessage{ID: "blank2", Body: " \u200b\u2060\t", SentAt: time.Now().UnixMilli()})
	acked, err := evil.send(t, bob.m, msgs...)
	if err != nil || len(acked) != len(msgs) {
		t.Fatalf("send: %d acked, %v", len(acked), err)
	}
	after := time.Now()
	for i := range times {
		got, ok := storedMsg(t, bob.m, conv, conv, fmt.Sprint("t", i))
		if !ok {
			t.Fatalf("message %d not stored", i)
		}
		if got.SentAt.Before(before.Add(-time.Second)) || got.SentAt.After(after.Add(time.Second)) {
			t.Errorf("sent at %d stored as %v", times[i], got.SentAt)
		}
	}
	for _, id := range []string{"blank1", "blank2"} {
		if _, ok := storedMsg(t, bob.m, conv, conv, id); ok {
			t.Errorf("blank message %s stored", id)
		}
	}

	// Edits: one dated year 9999 applies (as now); an older one after it
	// must not win over it.
	if err := evil.update(t, bob.m, wire.ChatUpdate{Kind: wire.UpdateEdit, Target: "t0", Body: "far future", At: times[1]}); err != nil {
		t.Fatal(err)
	}
	if err := evil.update(t, bob.m, wire.ChatUpdate{Kind: wire.UpdateEdit, Target: "t0", Body: "an hour ago", At: time.Now().Add(-time.Hour).UnixMilli()}); err != nil {
		t.Fatal(err)
	}
	if got, _ := storedMsg(t, bob.m, conv, conv, "t0"); got.Body != "far future" {
		t.Fatalf("after an older edit: %q", got.Body)
	}
}

// countingListener accepts TCP connections and counts them: the dials a
// hostile group state makes the victim open.
func countingListener(t *testing.T) (string, *atomic.Int64) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var n atomic.Int64
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	a := l.Addr().(*net.TCPAddr)
	return fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", a.Port), &n
}

// A contact's signed group state names 48 made-up members, all at an
// address it chose: the victim dials only a few of them, then backs off.
// The dials are counted at that address. Guards finding 5.
func TestHostileGroupDialAmplification(t *testing.T) {
	bob, mallory := newPeer(t, "Bob"), newPeer(t, "Mallory")
	evil := becomeHostile(t, mallory, bob)
	addr, dials := countingListener(t)
	nonce := []byte("hostile-nonce-16")
	st := wire.GroupState{
		ID: group.StateID(evil.id.String(), nonce), Name: "bait", Creator: evil.id.String(), Nonce: nonce,
		Version: 1, CreatedAt: time.Now().UnixMilli(),
		Members: []wire.GroupMember{{PeerID: evil.id.String(), Name: "M"}, {PeerID: bob.m.MyPeerID(), Name: "B"}},
	}
	for len(st.Members) < wire.MaxGroupMembers {
		k, _, _ := crypto.GenerateEd25519Key(rand.Reader)
		id, _ := peer.IDFromPrivateKey(k)
		st.Members = append(st.Members, wire.GroupMember{PeerID: id.String(), Name: "ghost", Addrs: []string{addr, addr + "/"}})
	}
	state, sig, err := group.Sign(evil.key, st)
	if err != nil {
		t.Fatal(err)
	}
	gsvc := group.New(evil.n.Host, group.Config{})
	defer gsvc.Close()
	res, err := gsvc.Send(ctx10(t), bob.m.prof.ID, []wire.GroupFrame{{Kind: wire.GroupKindState, ID: "s1", State: state, Signature: sig}})
	if err != nil || len(res) != 1 || res[0].Refused {
		t.Fatalf("group state: %+v %v", res, err)
	}
	// RetryInterval is 200 ms: 15 rounds. Before the fix every round
	// dialled all 48 ghosts.
	waitFor(t, "the first dials", func() bool { return dials.Load() > 0 })
	time.Sleep(3 * time.Second)
	// The budget: MaxUnknownDials at once, one more each UnknownDialEvery.
	if n, most := dials.Load(), int64(base.MaxUnknownDials+2); n > most {
		t.Fatalf("%d connections to the address a hostile state chose in 3 s (at most %d expected)", n, most)
	}
}

// Strangers' requests wait at most RequestExpiry, the oldest is dropped
// when the list is full, and a request with a valid invite code always
// gets through. Guards finding 8.
func TestHostileRequestExpiryAndEviction(t *testing.T) {
	var offset atomic.Int64 // the victim's clock runs ahead by this
	o := opts()
	o.MaxPendingRequests = 3
	o.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	o.RequestLimits = contactreq.Config{PerPeerRate: 100, PerPeerBurst: 100, GlobalRate: 1000, GlobalBurst: 1000}
	bob := newPairPeer(t, "Bob", o)
	ask := func(h *hostile, secret string) wire.ContactReply {
		t.Helper()
		reply, err := contactreq.New(h.n.Host, contactreq.Config{}).Send(ctx10(t), bob.m.prof.ID,
			wire.ContactRequest{Kind: wire.KindRequest, Name: "stranger", Secret: secret})
		if err != nil {
			t.Fatal(err)
		}
		return reply
	}
	waiting := func() map[peer.ID]bool {
		out := map[peer.ID]bool{}
		for _, id := range bob.m.book.InState(contacts.Incoming) {
			out[id] = true
		}
		return out
	}
	var strangers []*hostile
	for range 3 {
		s := newHostile(t, nil, bob.m)
		ask(s, "")
		strangers = append(strangers, s)
		offset.Add(int64(time.Minute)) // each one later than the last
	}
	if w := waiting(); len(w) != 3 {
		t.Fatalf("%d waiting, want 3", len(w))
	}
	// Full: a fourth stranger takes the place of the oldest.
	fourth := newHostile(t, nil, bob.m)
	ask(fourth, "")
	if w := waiting(); len(w) != 3 || w[strangers[0].id] || !w[fourth.id] {
		t.Fatalf("after a fourth: %v", w)
	}
	// Full again: a request with a valid invite code is accepted at once.
	code, err := bob.m.People.InviteCode()
	if err != nil {
		t.Fatal(err)
	}
	inv, err := wire.ParseInvite(code)
	if err != nil {
		t.Fatal(err)
	}
	invited := newHostile(t, nil, bob.m)
	if reply := ask(invited, inv.Secret); reply.Status != wire.StatusAccepted {
		t.Fatalf("invited request while full: status %d", reply.Status)
	}
	// Fifteen days on, every old request has expired: the list takes new
	// ones and shows none of the old.
	offset.Add(int64(15 * 24 * time.Hour))
	views, err := bob.m.People.Contacts()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		if v.State == contacts.Incoming {
			t.Fatalf("an expired request still shown: %s", v.PeerID)
		}
	}
	late := newHostile(t, nil, bob.m)
	ask(late, "")
	if w := waiting(); len(w) != 1 || !w[late.id] {
		t.Fatalf("after expiry: %v", w)
	}
}

// One contact floods 16 KiB messages: what is over its quota is refused
// (the sender keeps it), the user is told once, and what fits is stored.
// Guards the "Also" item on quotas.
func TestHostileStorageQuota(t *testing.T) {
	o := opts()
	o.Inbound = base.InboundLimits{Burst: 100 << 10, Rate: 1, Day: 1 << 20}
	bob, mallory := newPairPeer(t, "Bob", o), newPeer(t, "Mallory")
	evil := becomeHostile(t, mallory, bob)
	body := strings.Repeat("x", 16<<10-1)
	var stored, refused int
	for i := range 20 {
		acked, err := evil.send(t, bob.m, wire.ChatMessage{ID: fmt.Sprint("q", i), Body: body, SentAt: time.Now().UnixMilli()})
		if err != nil {
			refused++
			if len(acked) != 0 {
				t.Fatalf("a refused message acknowledged: %v", acked)
			}
			continue
		}
		stored++
	}
	if stored == 0 || refused == 0 || stored > 7 {
		t.Fatalf("stored %d, refused %d of 20 × 16 KiB with a 100 KiB burst", stored, refused)
	}
	if h, _ := bob.m.Chat.History(evil.id.String(), 0); len(h) != stored {
		t.Fatalf("history holds %d, acknowledged %d", len(h), stored)
	}
	waitFor(t, "one notice about the quota", func() bool {
		_, ok := bob.log.find(func(e event.Event) bool {
			n, ok := e.(event.Notice)
			return ok && strings.Contains(n.Text, "is sending more than Hearth stores")
		})
		return ok
	})
}

// A full disk while receiving: the stream is refused, so the sender keeps
// the message, and the user is told why; once there is room it arrives.
// Guards finding 7.
func TestHostileStorageErrorSurfaces(t *testing.T) {
	bob, mallory := newPeer(t, "Bob"), newPeer(t, "Mallory")
	evil := becomeHostile(t, mallory, bob)
	db := bob.m.d.Store.(*store.SQLite)
	if err := db.LimitGrowth(true); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("a full disk ", 1000) // needs new pages
	msg := wire.ChatMessage{ID: "full1", Body: body, SentAt: time.Now().UnixMilli()}
	if acked, err := evil.send(t, bob.m, msg); err == nil || len(acked) != 0 {
		t.Fatalf("a message the disk could not hold was acknowledged: %v %v", acked, err)
	}
	waitFor(t, "a notice about storage", func() bool {
		_, ok := bob.log.find(func(e event.Event) bool {
			n, ok := e.(event.Notice)
			return ok && strings.Contains(n.Text, "Could not save") && strings.Contains(n.Text, "disk is full")
		})
		return ok
	})
	if err := db.LimitGrowth(false); err != nil {
		t.Fatal(err)
	}
	if acked, err := evil.send(t, bob.m, msg); err != nil || len(acked) != 1 {
		t.Fatalf("resend after room: %v %v", acked, err)
	}
	if _, ok := storedMsg(t, bob.m, evil.id.String(), evil.id.String(), "full1"); !ok {
		t.Fatal("not stored after the disk had room")
	}
}

// File names a contact offers: a leading dot, a right-to-left override and
// a .desktop ending are not saved as they are, and a desktop entry is not
// accepted without asking. Guards the "Also" item on file names.
func TestHostileUnsafeFileNames(t *testing.T) {
	o := opts()
	o.DownloadDir = filepath.Join(t.TempDir(), "downloads")
	bob, mallory := newPairPeer(t, "Bob", o), newPeer(t, "Mallory")
	pair(t, bob, mallory)
	src := t.TempDir()
	send := func(name string) string {
		t.Helper()
		path := filepath.Join(src, name)
		if err := os.WriteFile(path, []byte("#!/bin/sh\necho owned\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		tr, err := mallory.m.Transfers.SendFile(bob.m.MyPeerID(), path)
		if err != nil {
			t.Fatal(err)
		}
		return tr.ID
	}
	entry := send(".evil\u202eelif.desktop")
	picture := send("\u202eholiday.png")
	get := func(id string) contacts.Transfer {
		tr, _ := bob.m.d.Store.Transfer(id)
		return tr
	}
	waitFor(t, "the picture saved", func() bool { return get(picture).State == contacts.Done })
	if tr := get(picture); filepath.Base(tr.Path) != "holiday.png" || filepath.Dir(tr.Path) != o.DownloadDir {
		t.Errorf("picture saved as %q", tr.Path)
	}
	waitFor(t, "the desktop entry offered", func() bool { return get(entry).ID != "" })
	if tr := get(entry); tr.State != contacts.Offered || tr.Name != "evilelif.desktop" || !transfers.RiskyName(tr.Name) {
		t.Errorf("desktop entry: state %v, name %q", tr.State, tr.Name)
	}
}
