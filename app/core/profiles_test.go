package core

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"hearth/app/core/presence"
	"hearth/contacts"
	ppresence "hearth/p2p/presence"
	pprofile "hearth/p2p/profile"
	"hearth/p2p/wire"
)

// streamTap replaces a protocol's handler on a host and records every
// byte and every stream that arrives for it, below any decoding.
type streamTap struct {
	mu      sync.Mutex
	streams int
	bytes   []byte
}

func tap(h host.Host, id protocol.ID) *streamTap {
	t := &streamTap{}
	h.SetStreamHandler(id, func(s network.Stream) {
		b, _ := io.ReadAll(io.LimitReader(s, 1<<20))
		t.mu.Lock()
		t.streams++
		t.bytes = append(t.bytes, b...)
		t.mu.Unlock()
		s.Close()
	})
	return t
}

func (t *streamTap) got() (streams, n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.streams, len(t.bytes)
}

// writePicture writes a w×h PNG with a gradient (so it does not compress
// to nothing) and returns its path.
func writePicture(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 3), uint8(x ^ y), 255})
		}
	}
	path := filepath.Join(t.TempDir(), "me.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// TestProfileReachesContactsOnly: Alice's avatar and name reach Bob, who
// keeps them across a restart; Carol, whose request Alice has not
// accepted, gets no profile bytes at all, even when Alice changes hers.
func TestProfileReachesContactsOnly(t *testing.T) {
	alice, bob, carol := newPeer(t, "Alice"), newPeer(t, "Bob"), newPeer(t, "Carol")
	aID, bID, cID := alice.m.MyPeerID(), bob.m.MyPeerID(), carol.m.MyPeerID()
	carolTap := tap(carol.m.node.Host, pprofile.ID)
	code, _ := alice.m.People.InviteCode()
	if err := bob.m.People.AddByInvite(code, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob online at alice", func() bool { return presenceOf(alice.m, bID) == contacts.Online })
	// Carol holds a code whose secret Bob spent: she waits as Incoming.
	if err := carol.m.People.AddByInvite(code, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "carol's request at alice", func() bool { return state(alice.m, cID) == contacts.Incoming })

	if err := alice.m.Presence.SetAvatar(writePicture(t, 640, 480)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "avatar at bob", func() bool { return bob.m.Presence.Avatar(aID) != nil })
	cs, _ := bob.m.People.Contacts()
	if cs[0].Avatar == nil || cs[0].Avatar.Bounds().Dx() != presence.AvatarSize {
		t.Fatalf("contact view avatar %v", cs[0].Avatar)
	}
	// Sent directly too, so the check below does not depend on timing.
	cpid, _ := peer.Decode(cID)
	alice.m.Presence.SendProfileTo(cpid)
	alice.m.Presence.BroadcastProfile()
	if n, b := carolTap.got(); n != 0 || b != 0 {
		t.Fatalf("a stranger received %d profile streams, %d bytes", n, b)
	}
	if alice.m.Presence.MyAvatar() == nil {
		t.Fatal("MyAvatar is nil after SetAvatar")
	}

	// Bob keeps it across a restart; a cleared avatar goes away.
	bob.stop(t)
	bob.restart(t)
	if bob.m.Presence.Avatar(aID) == nil {
		t.Fatal("avatar lost across restart")
	}
	waitFor(t, "online again", func() bool { return presenceOf(alice.m, bID) == contacts.Online })
	if err := alice.m.Presence.ClearAvatar(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "avatar cleared at bob", func() bool { return bob.m.Presence.Avatar(aID) == nil })
	if alice.m.Presence.MyAvatar() != nil {
		t.Fatal("MyAvatar after ClearAvatar")
	}
}

// TestBadAvatarRefused: a contact that sends a profile whose avatar is
// not a valid small image is refused whole: no name change, no picture.
func TestBadAvatarRefused(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	bpid, _ := peer.Decode(bob.m.MyPeerID())
	var big bytes.Buffer
	png.Encode(&big, image.NewGray(image.Rect(0, 0, 1000, 10)))
	for _, p := range []wire.Profile{
		{Name: "Mallory", AvatarType: "image/png", Avatar: []byte("\x89PNG\r\n\x1a\nnot really")},
		{Name: "Mallory", AvatarType: "image/png", Avatar: big.Bytes()},
	} {
		if err := profileClient(alice.m).Send(alice.m.d.Ctx(), bpid, p); err == nil {
			t.Fatal("bad avatar taken")
		}
	}
	if bob.m.Presence.Avatar(aID) != nil {
		t.Fatal("bad avatar stored")
	}
	cs, _ := bob.m.People.Contacts()
	if cs[0].Name != "Alice" {
		t.Fatalf("name changed to %q by a refused profile", cs[0].Name)
	}
	// A good one with a new name is taken, and the name follows.
	if err := profileClient(alice.m).Send(alice.m.d.Ctx(), bpid, wire.Profile{Name: "Alice B."}); err != nil {
		t.Fatal(err)
	}
	cs, _ = bob.m.People.Contacts()
	if cs[0].Name != "Alice B." {
		t.Fatalf("name %q", cs[0].Name)
	}
}

// TestInvisibleSendsNoBytes: while Alice is invisible, Bob's node records
// every byte that arrives on the presence and profile protocols, at the
// stream level: after the one Offline, there is nothing, through a
// reconnection, a status change, an avatar change and Bob's own updates.
func TestInvisibleSendsNoBytes(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID, bID := alice.m.MyPeerID(), bob.m.MyPeerID()
	alice.m.Presence.SetPresence(contacts.Invisible, "")
	waitFor(t, "offline at bob", func() bool { return presenceOf(bob.m, aID) == contacts.Offline })
	presTap := tap(bob.m.node.Host, ppresence.ID)
	profTap := tap(bob.m.node.Host, pprofile.ID)

	alice.m.Presence.SetPresence(contacts.Invisible, "secretly here")
	if err := alice.m.Presence.SetAvatar(writePicture(t, 200, 200)); err != nil {
		t.Fatal(err)
	}
	alice.m.Presence.Activity()
	alice.m.Presence.CheckIdle()
	// Drop the connection: reconnecting sends presence to contacts that
	// are not invisible-blind.
	bpid, _ := peer.Decode(bID)
	alice.m.node.Host.Network().ClosePeer(bpid)
	bob.m.Presence.SetPresence(contacts.Busy, "ping me")
	waitFor(t, "bob busy at alice", func() bool { return presenceOf(alice.m, bID) == contacts.Busy })
	// Run the senders synchronously as well, so nothing is still in flight
	// when the taps are read.
	alice.m.Presence.SendTo(bpid)
	alice.m.Presence.SendProfileTo(bpid)
	if _, err := alice.m.Chat.Send(bID, "still chatting"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "chat from invisible", func() bool { return len(bodies(t, bob.m, aID)) == 1 })
	for name, tp := range map[string]*streamTap{"presence": presTap, "profile": profTap} {
		if n, b := tp.got(); n != 0 || b != 0 {
			t.Fatalf("invisible Alice sent %d %s streams, %d bytes", n, name, b)
		}
	}
	// Visible again: presence and the profile go out.
	alice.m.Presence.SetPresence(contacts.Online, "")
	waitFor(t, "presence after invisible", func() bool { n, _ := presTap.got(); return n > 0 })
	waitFor(t, "profile after invisible", func() bool { n, _ := profTap.got(); return n > 0 })
}

// TestStrangerGetsNoProfileOrPresence: a bare libp2p node that is no
// contact at all connects to Alice and records every byte that reaches it
// on the presence and profile protocols while Alice changes both; it gets
// nothing, and what it sends itself is refused.
func TestStrangerGetsNoProfileOrPresence(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	stranger, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	presTap, profTap := tap(stranger, ppresence.ID), tap(stranger, pprofile.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := stranger.Connect(ctx, peer.AddrInfo{ID: alice.m.node.Host.ID(), Addrs: alice.m.node.Host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	aID := alice.m.MyPeerID()
	alice.m.Presence.SetPresence(contacts.Busy, "do not disturb")
	if err := alice.m.Presence.SetAvatar(writePicture(t, 300, 300)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob has both", func() bool { return presenceOf(bob.m, aID) == contacts.Busy && bob.m.Presence.Avatar(aID) != nil })
	alice.m.Presence.SendTo(stranger.ID())
	alice.m.Presence.SendProfileTo(stranger.ID())
	for name, tp := range map[string]*streamTap{"presence": presTap, "profile": profTap} {
		if n, b := tp.got(); n != 0 || b != 0 {
			t.Fatalf("a stranger got %d %s streams, %d bytes", n, name, b)
		}
	}
	// Its own presence and profile go nowhere.
	sp := pprofile.New(stranger, pprofile.Config{})
	defer sp.Close()
	if err := sp.Send(ctx, alice.m.node.Host.ID(), wire.Profile{Name: "Mallory"}); err == nil {
		t.Fatal("Alice took a stranger's profile")
	}
	spres := ppresence.New(stranger, ppresence.Config{})
	defer spres.Close()
	if err := spres.Send(ctx, alice.m.node.Host.ID(), wire.Presence{State: wire.PresenceOnline}); err == nil {
		t.Fatal("Alice took a stranger's presence")
	}
	if alice.m.Presence.Avatar(stranger.ID().String()) != nil || len(alice.m.Nearby.Nearby()) != 0 {
		t.Fatal("the stranger left a trace")
	}
}

// TestRenameSurvivesProfiles: a name I gave a contact stays when its
// profile comes again or its chosen name changes.
func TestRenameSurvivesProfiles(t *testing.T) {
	alice, bob := newPeer(t, "Alice"), newPeer(t, "Bob")
	pair(t, alice, bob)
	aID := alice.m.MyPeerID()
	if err := bob.m.People.Rename(aID, "Grandma"); err != nil {
		t.Fatal(err)
	}
	bpid, _ := peer.Decode(bob.m.MyPeerID())
	for _, name := range []string{"Alice", "Alice Smith"} {
		if err := profileClient(alice.m).Send(alice.m.d.Ctx(), bpid, wire.Profile{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := bob.m.book.Get(mustDecode(t, aID)); c.Name != "Grandma" {
		t.Fatalf("renamed contact now %q", c.Name)
	}
}

func mustDecode(t *testing.T, s string) peer.ID {
	t.Helper()
	id, err := peer.Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// profileClient is a profile protocol client on m's host that sends what a
// test makes up (it takes m's handler over: m no longer hears profiles).
func profileClient(m *Messenger) *pprofile.Service {
	return pprofile.New(m.node.Host, pprofile.Config{Allow: m.book.IsAccepted,
		OnProfile: func(peer.ID, wire.Profile) bool { return true }})
}
