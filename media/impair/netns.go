package impair

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// ErrNotPermitted is returned when namespaces cannot be made (not root).
var ErrNotPermitted = errors.New("network namespaces need root")

// Namespace is one named network namespace (under /run/netns).
type Namespace struct {
	Name string
}

// Do runs fn on an OS thread switched into the namespace. Sockets opened
// by fn stay in the namespace after Do returns.
func (n Namespace) Do(fn func() error) error {
	fd, err := unix.Open(filepath.Join("/run/netns", n.Name), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("opening namespace %s: %w", n.Name, err)
	}
	defer unix.Close(fd)
	errc := make(chan error, 1)
	// A fresh goroutine on a locked thread: if switching back fails, the
	// goroutine exits still locked and the runtime throws the thread away.
	go func() {
		runtime.LockOSThread()
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("opening own namespace: %w", err)
			return
		}
		defer unix.Close(orig)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("entering namespace %s: %w", n.Name, err)
			return
		}
		ferr := fn()
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			errc <- errors.Join(ferr, fmt.Errorf("leaving namespace %s: %w", n.Name, err))
			return // thread stays locked: it dies with the goroutine
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// Exec runs a command inside the namespace (ip, tc).
func (n Namespace) Exec(args ...string) error {
	out, err := exec.Command("ip", append([]string{"netns", "exec", n.Name}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s in %s: %w: %s", strings.Join(args, " "), n.Name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

var labSeq atomic.Int32

// Lab is the three namespaces and their links. Close removes them all.
type Lab struct {
	A, R, B Namespace
	// Addresses: AddrA and AddrB are the endpoints', RelayA and RelayB the
	// relay's on the A and on the B side.
	AddrA, AddrB, RelayA, RelayB string
	devA, devB                   string // the endpoints' veth ends (tbf goes there)
}

// NewLab creates the namespaces. Call Close even when a test fails: it is
// safe on a half-built Lab.
func NewLab() (*Lab, error) {
	if os.Geteuid() != 0 {
		return nil, ErrNotPermitted
	}
	seq := int(labSeq.Add(1))
	// The second octet separates labs of concurrent test processes.
	net := 100 + (os.Getpid()+seq)%100
	tag := fmt.Sprintf("hi%d-%d", os.Getpid(), seq)
	l := &Lab{
		A: Namespace{"hearth-" + tag + "-a"}, R: Namespace{"hearth-" + tag + "-r"}, B: Namespace{"hearth-" + tag + "-b"},
		AddrA: fmt.Sprintf("10.%d.1.1", net), RelayA: fmt.Sprintf("10.%d.1.2", net),
		AddrB: fmt.Sprintf("10.%d.2.1", net), RelayB: fmt.Sprintf("10.%d.2.2", net),
		devA: "ia" + fmt.Sprint(seq), devB: "ib" + fmt.Sprint(seq),
	}
	steps := [][]string{
		{"netns", "add", l.A.Name}, {"netns", "add", l.R.Name}, {"netns", "add", l.B.Name},
		{"link", "add", l.devA, "netns", l.A.Name, "type", "veth", "peer", "name", "ra", "netns", l.R.Name},
		{"link", "add", l.devB, "netns", l.B.Name, "type", "veth", "peer", "name", "rb", "netns", l.R.Name},
		{"-n", l.A.Name, "addr", "add", l.AddrA + "/24", "dev", l.devA},
		{"-n", l.B.Name, "addr", "add", l.AddrB + "/24", "dev", l.devB},
		{"-n", l.R.Name, "addr", "add", l.RelayA + "/24", "dev", "ra"},
		{"-n", l.R.Name, "addr", "add", l.RelayB + "/24", "dev", "rb"},
	}
	for _, ns := range []Namespace{l.A, l.R, l.B} {
		steps = append(steps, []string{"-n", ns.Name, "link", "set", "lo", "up"})
	}
	steps = append(steps,
		[]string{"-n", l.A.Name, "link", "set", l.devA, "up"}, []string{"-n", l.B.Name, "link", "set", l.devB, "up"},
		[]string{"-n", l.R.Name, "link", "set", "ra", "up"}, []string{"-n", l.R.Name, "link", "set", "rb", "up"})
	for _, s := range steps {
		if out, err := exec.Command("ip", s...).CombinedOutput(); err != nil {
			l.Close()
			if strings.Contains(string(out), "Operation not permitted") {
				return nil, ErrNotPermitted
			}
			return nil, fmt.Errorf("ip %s: %w: %s", strings.Join(s, " "), err, strings.TrimSpace(string(out)))
		}
	}
	return l, nil
}

// SetCap limits each endpoint's uplink to bps bits per second with tbf
// (a 60 ms queue, as a home router's might be); 0 removes the cap.
func (l *Lab) SetCap(bps int) error {
	for _, x := range []struct {
		ns  Namespace
		dev string
	}{{l.A, l.devA}, {l.B, l.devB}} {
		if bps <= 0 {
			_ = x.ns.Exec("tc", "qdisc", "del", "dev", x.dev, "root")
			continue
		}
		burst := max(bps/8/50, 3000) // 20 ms worth, at least two packets
		if err := x.ns.Exec("tc", "qdisc", "replace", "dev", x.dev, "root", "tbf",
			"rate", fmt.Sprintf("%dbit", bps), "burst", fmt.Sprint(burst), "latency", "60ms"); err != nil {
			return err
		}
	}
	return nil
}

// Close deletes the namespaces (their veths go with them).
func (l *Lab) Close() {
	for _, ns := range []Namespace{l.A, l.R, l.B} {
		_ = exec.Command("ip", "netns", "del", ns.Name).Run()
	}
}
