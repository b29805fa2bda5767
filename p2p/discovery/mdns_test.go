package discovery

import (
	"crypto/rand"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
)

// mDNS multicasts on every interface that allows it. To keep tests from
// sending anything beyond this machine's loopback, the test re-runs itself
// in a fresh network namespace whose only interface is a loopback with
// multicast turned on.
const nsEnv = "HEARTH_TEST_IN_NETNS"

// It returns true in the parent once the child passed: the caller returns.
func inPrivateNetwork(t *testing.T) (ranInChild bool) {
	t.Helper()
	if os.Getenv(nsEnv) == "1" {
		return false
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Fatal("unshare (util-linux) is needed to run mDNS tests in a private network namespace")
	}
	script := "ip link set lo up && ip link set lo multicast on && exec \"$@\""
	args := []string{"-n", "-r", "sh", "-c", script, "sh", os.Args[0], "-test.run=^" + t.Name() + "$", "-test.v"}
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(os.Environ(), nsEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("in private network namespace:\n%s", out)
	if err != nil {
		t.Fatalf("mDNS test in private network namespace failed: %v", err)
	}
	return true
}

func newHost(t *testing.T) host.Host {
	t.Helper()
	k, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	h, err := libp2p.New(libp2p.Identity(k), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func TestMDNSFindsPeer(t *testing.T) {
	if inPrivateNetwork(t) {
		return
	}
	a, b := newHost(t), newHost(t)
	ma, err := NewMDNS(a)
	if err != nil {
		t.Fatal(err)
	}
	defer ma.Close()
	start := time.Now()
	mb, err := NewMDNS(b)
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case pi := <-ma.Found():
			if pi.ID == b.ID() && len(pi.Addrs) > 0 {
				t.Logf("found after %v: %v", time.Since(start), pi.Addrs)
				return
			}
		case <-deadline:
			t.Fatal("a never heard of b")
		}
	}
}

func TestCloseClosesFound(t *testing.T) {
	if inPrivateNetwork(t) {
		return
	}
	m, err := NewMDNS(newHost(t))
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	for range m.Found() {
	}
	m.Close() // twice is fine
}
