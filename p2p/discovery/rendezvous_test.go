package discovery

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRendezvousFindsAnnouncer(t *testing.T) {
	if inPrivateNetwork(t) {
		return
	}
	a, b := newHost(t), newHost(t)
	ann, err := Announce(a, "hptesttag")
	if err != nil {
		t.Fatal(err)
	}
	defer ann.Close()
	// b announces another tag: it must not be reported for ours.
	other, err := Announce(b, "hpother")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	found, err := Lookup(ctx, "hptesttag")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for pi := range found {
		if pi.ID == b.ID() {
			t.Fatal("found the node of another tag")
		}
		if pi.ID == a.ID() && len(pi.Addrs) > 0 {
			t.Logf("found after %v: %v", time.Since(start), pi.Addrs)
			cancel()
			for range found { // closed once the lookup ends
			}
			ann.Close()
			ann.Close() // twice is fine
			return
		}
	}
	t.Fatal("lookup ended without finding the announcer")
}

func TestRendezvousBadTag(t *testing.T) {
	for _, tag := range []string{"", "has space", "UPPER", "sixteen-chars-xx", "dot.ted"} {
		if _, err := Lookup(context.Background(), tag); !errors.Is(err, ErrBadTag) {
			t.Errorf("%q: %v, want ErrBadTag", tag, err)
		}
	}
}
