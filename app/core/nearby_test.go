package core

import (
	"os"
	"os/exec"
	"testing"

	"hearth/app/core/nearby"
	"hearth/contacts"
)

// netnsEnv marks the copy of the test binary that runs inside a private
// network namespace.
const netnsEnv = "HEARTH_CORE_TEST_IN_NETNS"

// inNetns re-runs the calling test in a fresh network namespace whose
// only interface is a multicast-capable loopback, so mDNS traffic never
// leaves this machine. It returns true in the parent, once the child
// passed: the caller then returns.
func inNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(netnsEnv) == "1" {
		return false
	}
	sh := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
	cmd := exec.Command("unshare", "-n", "-r", "sh", "-c", sh, "sh", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in a private network namespace:\n%s", out)
	if err != nil {
		t.Fatalf("failed in the private network namespace: %v", err)
	}
	return true
}

func lanOpts() Options {
	o := opts()
	onLAN(&o)
	return o
}

// onLAN turns mDNS on (tests that run in a private namespace only).
func onLAN(o *Options) { o.NoMDNS = false }

// TestPairNearby: Bob presses "Pair with someone nearby"; Alice, who
// announces nothing herself, sees him by name under Nearby and sends a
// request; Bob accepts; the window closes and Bob is hidden again.
func TestPairNearby(t *testing.T) {
	if inNetns(t) {
		return
	}
	alice := newPeerWith(t, "Alice", onLAN)
	bob := newPeerWith(t, "Bob", onLAN)
	if v, until := bob.m.Nearby.NearbyVisibility(); v != nearby.WhilePairing || !until.IsZero() {
		t.Fatalf("default visibility %v until %v", v, until)
	}
	if alice.m.Nearby.Announcing() || bob.m.Nearby.Announcing() {
		t.Fatal("announcing before anyone asked")
	}
	until, err := bob.m.Nearby.PairNearby()
	if err != nil {
		t.Fatal(err)
	}
	if !bob.m.Nearby.Announcing() || until.IsZero() {
		t.Fatal("not visible after PairNearby")
	}
	bID := bob.m.MyPeerID()
	waitFor(t, "Bob nearby at Alice, by name", func() bool {
		for _, n := range alice.m.Nearby.Nearby() {
			if n.PeerID == bID && n.Name == "Bob" {
				return true
			}
		}
		return false
	})
	if err := alice.m.People.RequestNearby(bID, "hi, it's Alice across the desk"); err != nil {
		t.Fatal(err)
	}
	aID := alice.m.MyPeerID()
	waitFor(t, "request at Bob", func() bool { return state(bob.m, aID) == contacts.Incoming })
	if err := bob.m.People.Accept(aID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "contacts", func() bool { return state(alice.m, bID) == contacts.Accepted })
	bob.m.Nearby.StopPairNearby()
	if bob.m.Nearby.Announcing() {
		t.Fatal("still visible after the window closed")
	}
	if alice.m.Nearby.Announcing() {
		t.Fatal("Alice announced without pairing")
	}
	if _, until := bob.m.Nearby.NearbyVisibility(); !until.IsZero() {
		t.Fatal("window still open")
	}
}

// TestNearbyVisibilitySetting: Never refuses the pairing window, Always
// announces from the start, and the choice survives a restart.
func TestNearbyVisibilitySetting(t *testing.T) {
	if inNetns(t) {
		return
	}
	p := newPeerWith(t, "Ann", onLAN)
	if err := p.m.Nearby.SetNearbyVisibility(nearby.Never); err != nil {
		t.Fatal(err)
	}
	if _, err := p.m.Nearby.PairNearby(); err != nearby.ErrNearbyNever {
		t.Fatalf("PairNearby with Never: %v", err)
	}
	if err := p.m.Nearby.SetNearbyVisibility(nearby.Always); err != nil {
		t.Fatal(err)
	}
	p.stop(t)
	m, err := Opener{Dir: p.dir, Opts: lanOpts()}.Unlock("")
	if err != nil {
		t.Fatal(err)
	}
	p.m = m
	if v, _ := m.Nearby.NearbyVisibility(); v != nearby.Always || !m.Nearby.Announcing() {
		t.Fatalf("after restart: %v, announcing %v", v, m.Nearby.Announcing())
	}
	// Without mDNS (--no-mdns) the button explains itself.
	q := newPeer(t, "Quiet")
	if _, err := q.m.Nearby.PairNearby(); err != nearby.ErrNoLAN {
		t.Fatalf("PairNearby without mDNS: %v", err)
	}
}
