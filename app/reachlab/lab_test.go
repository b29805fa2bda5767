package reachlab

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/app/reachlab/netlab"
)

func TestMain(m *testing.M) {
	switch os.Getenv(envRole) {
	case "public":
		if err := publicChild(); err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		os.Exit(0)
	case "node":
		if err := nodeChild(); err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// needLab skips where the lab cannot run, except under CI, where nothing
// may be skipped silently.
func needLab(t *testing.T) {
	t.Helper()
	if why := netlab.Supported(); why != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the network lab: %s", why)
		}
		t.Skip(why)
	}
}

// child is a Hearth (or the public node) running in a namespace.
type child struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  chan string
	mu   sync.Mutex // one command at a time
	once sync.Once  // kill stops the process once
}

func startChild(t *testing.T, ns, name string, env ...string) *child {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := netlab.Command(ns, self, "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = &prefixWriter{t: t, name: name}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, name: name, cmd: cmd, in: in, out: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 64<<10)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "OK") || strings.HasPrefix(line, "ERR") {
				c.out <- line
			}
		}
		close(c.out)
	}()
	t.Cleanup(c.kill)
	return c
}

func (c *child) kill() {
	c.once.Do(c.stop)
}

func (c *child) stop() {
	c.in.Close()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}

// ask sends one command and returns what follows "OK" (an "ERR" fails
// the test).
func (c *child) ask(cmd string) string {
	c.t.Helper()
	r, err := c.try(cmd)
	if err != nil {
		c.t.Fatalf("%s: %s: %v", c.name, cmd, err)
	}
	return r
}

func (c *child) try(cmd string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintln(c.in, cmd); err != nil {
		return "", err
	}
	select {
	case line, ok := <-c.out:
		if !ok {
			return "", fmt.Errorf("child exited")
		}
		if rest, ok := strings.CutPrefix(line, "OK"); ok {
			return strings.TrimSpace(rest), nil
		}
		return "", fmt.Errorf("%s", strings.TrimPrefix(line, "ERR "))
	case <-time.After(150 * time.Second):
		return "", fmt.Errorf("no answer")
	}
}

// prefixWriter logs a child's stderr lines that look like trouble.
type prefixWriter struct {
	t    *testing.T
	name string
}

func (w *prefixWriter) Write(b []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.Contains(l, "panic") || strings.Contains(l, "DATA RACE") || strings.Contains(l, "FAIL") {
			w.t.Logf("%s: %s", w.name, l)
		}
	}
	return len(b), nil
}

// result is what a cell measured, for the matrix in the note.
type result struct {
	link   string        // how A and B ended up connected
	online time.Duration // add by invite → both see each other online
	found  time.Duration // renumber → back online (renumber cell)
	reach  string        // how A says it is reachable
	launch time.Duration // B started again → A online for B
}

// cellNet is a built network: where A and B run and how to reach the
// public node.
type cellNet struct {
	lab      *netlab.Lab
	aNS, bNS string
	boot     string       // the public node's address, "" for none
	renumber func() error // the renumber cell changes A's address
	short    bool         // pair by the short code (found through the relay)
	aPublic  bool         // A has a public address of its own (needs no relay)
	mapped   bool         // A's router maps a port (UPnP): wait for it before the invite
}

// runCell runs the whole conversation between A and B and checks how
// they are connected at the end: want is "direct" or "relayed".
func runCell(t *testing.T, n cellNet, want string) result {
	var res result
	root := t.TempDir()
	var env []string
	if n.boot != "" {
		env = append(env, envBoot+"="+n.boot)
	}
	a := startChild(t, n.aNS, "A", append(env, envRole+"=node", envDir+"="+filepath.Join(root, "a"), envName+"=Ann")...)
	bEnv := append(slices.Clone(env), envRole+"=node", envDir+"="+filepath.Join(root, "b"), envName+"=Ben")
	b := startChild(t, n.bNS, "B", bEnv...)
	aID, bID := a.ask("id"), b.ask("id")

	// Invite → mutual contact. Give the nodes a moment to find their
	// public node and take a relay slot, as a user copying a code would.
	if n.boot != "" && !n.aPublic {
		waitAddrs(t, a)
	}
	if n.mapped {
		// As a user would copy the code once the app has settled: the
		// mapping takes a few seconds (UPnP discovery), and an invite
		// made before it carries no mapped address.
		deadline := time.Now().Add(60 * time.Second)
		for r := a.ask("reach"); !strings.Contains(r, "mapped=true"); r = a.ask("reach") {
			if time.Now().After(deadline) {
				t.Fatalf("A's router mapped no port in 60 s: %s", r)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	code := a.ask("invite")
	if n.short {
		code = a.ask("shortinvite")
		if len(code) >= 60 {
			t.Fatalf("short code %q has %d characters", code, len(code))
		}
	}
	if strings.Contains(code, "127.0.0.1") {
		t.Fatalf("invite carries loopback")
	}
	start := time.Now()
	b.ask("add " + code)
	if _, err := b.try("online " + aID + " 60"); err != nil {
		_, derr := b.try("dial " + aID)
		t.Fatalf("B never saw A online: %v\nA: %s\nB: %s\nB's link to A: %s; dialling: %v", err, a.ask("reach"), b.ask("reach"), b.ask("link "+aID), derr)
	}
	a.ask("online " + bID + " 60")
	res.online = time.Since(start)

	// Chat both ways.
	a.ask("send " + bID + " hello-from-ann")
	b.ask("got " + aID + " hello-from-ann 60")
	b.ask("send " + aID + " hello-from-ben")
	a.ask("got " + bID + " hello-from-ben 60")

	// A message while the other is offline.
	// B quits (the process ends, as when the user quits Hearth) and
	// starts again.
	b.ask("quit")
	b.kill()
	a.ask("send " + bID + " while-you-were-out")
	launch := time.Now()
	b = startChild(t, n.bNS, "B", bEnv...)
	// Generous: A may first have to notice that its connection to the old
	// B is dead (liveness pings), and CI runs this beside other packages
	// under the race detector.
	b.ask("online " + aID + " 90")
	res.launch = time.Since(launch)
	b.ask("got " + aID + " while-you-were-out 60")
	a.ask("delivered " + bID + " while-you-were-out 60")

	// A file (small enough for a public relay's limits).
	sum := a.ask("sendfile " + bID + " 40000")
	b.ask("gotfile " + aID + " " + sum + " 60")

	if want == "direct" {
		if _, err := a.try("direct " + bID + " 20"); err != nil {
			t.Errorf("no direct connection: %v (link: %s)", err, a.ask("link "+bID))
		}
	}
	res.link = a.ask("link " + bID)
	res.reach = a.ask("reach")
	if !strings.HasPrefix(res.link, want) {
		t.Errorf("link %q, want %s", res.link, want)
	}

	if n.renumber != nil {
		if err := n.renumber(); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		a.ask("send " + bID + " after-the-move")
		if _, err := b.try("got " + aID + " after-the-move 60"); err != nil {
			_, dA := a.try("dial " + bID)
			_, dB := b.try("dial " + aID)
			t.Fatalf("not found again after the move: %v\nA: %s\nB: %s\nA dialling B: %v\nB dialling A: %v",
				err, a.ask("reach"), b.ask("reach"), dA, dB)
		}
		res.found = time.Since(start)
		a.ask("online " + bID + " 60")
	}
	a.ask("quit")
	b.ask("quit")
	return res
}

// waitAddrs waits (up to 20 s) until a node has a relay address to give
// away (a code made before it has one reaches only a public inviter).
func waitAddrs(t *testing.T, c *child) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(c.ask("addrs"), "/p2p-circuit") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%s has no public or relay address yet: %s", c.name, c.ask("reach"))
}

// newLab builds a lab and removes it when the test ends.
func newLab(t *testing.T, prefix string) *netlab.Lab {
	t.Helper()
	// The process ID keeps two runs on one machine (CI jobs, people
	// testing side by side) out of each other's namespaces.
	l, err := netlab.New(fmt.Sprintf("%s%d", prefix, os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("cleaning up the lab: %v", err)
		}
	})
	return l
}

// startPublic runs the public node at Internet.2 and returns its address.
func startPublic(t *testing.T, l *netlab.Lab) string {
	t.Helper()
	ns, err := l.Public("pub", 2)
	if err != nil {
		t.Fatal(err)
	}
	p := startChild(t, ns, "public", envRole+"=public")
	select {
	case line := <-p.out:
		id, ok := strings.CutPrefix(line, "OK ")
		if !ok {
			t.Fatalf("public node: %s", line)
		}
		return fmt.Sprintf("/ip4/%s.2/udp/4001/quic-v1/p2p/%s", netlab.Internet, id)
	case <-time.After(30 * time.Second):
		t.Fatal("public node did not start")
	}
	return ""
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// twoHomes builds homes A (Internet.10) and B (Internet.20) behind the
// given NATs, and the public node.
func twoHomes(t *testing.T, prefix string, natA, natB netlab.NAT) (cellNet, *netlab.Home) {
	l := newLab(t, prefix)
	boot := startPublic(t, l)
	ha := must[*netlab.Home](t)(l.Home("a", 10, "192.168.1", natA))
	hb := must[*netlab.Home](t)(l.Home("b", 20, "192.168.2", natB))
	aNS, _, err := ha.Host("ha")
	if err != nil {
		t.Fatal(err)
	}
	bNS, _, err := hb.Host("hb")
	if err != nil {
		t.Fatal(err)
	}
	return cellNet{lab: l, aNS: aNS, bNS: bNS, boot: boot}, ha
}

// envValues makes the lab print its figures for app/bench.
const envValues = "HEARTH_LAB_VALUES"

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

var (
	matrixMu sync.Mutex
	matrix   = map[string]result{}
)

func record(t *testing.T, cell string, r result) {
	matrixMu.Lock()
	matrix[cell] = r
	matrixMu.Unlock()
	t.Logf("cell %s: %s, online %.2fs after adding the code, %.2fs after a launch, found again %.2fs; A: %s",
		cell, r.link, r.online.Seconds(), r.launch.Seconds(), r.found.Seconds(), r.reach)
	if os.Getenv(envValues) != "" {
		// For app/bench (reach.go): one line per figure.
		direct := 0
		if strings.HasPrefix(r.link, "direct") {
			direct = 1
		}
		fmt.Printf("VALUE %s_direct %d\n", cell, direct)
		fmt.Printf("VALUE %s_pair_ms %.1f\n", cell, ms(r.online))
		fmt.Printf("VALUE %s_launch_ms %.1f\n", cell, ms(r.launch))
		if r.found > 0 {
			fmt.Printf("VALUE %s_found_ms %.1f\n", cell, ms(r.found))
		}
	}
}

// TestLab runs every cell of the lab, in parallel.
func TestLab(t *testing.T) {
	needLab(t)
	t.Run("both-eim", func(t *testing.T) {
		t.Parallel()
		n, _ := twoHomes(t, "hle", netlab.EndpointIndependent, netlab.EndpointIndependent)
		n.short = true
		record(t, "both-eim", runCell(t, n, "direct"))
	})
	t.Run("symmetric", func(t *testing.T) {
		t.Parallel()
		n, _ := twoHomes(t, "hls", netlab.EndpointIndependent, netlab.Symmetric)
		record(t, "symmetric", runCell(t, n, "relayed"))
	})
	t.Run("one-public", func(t *testing.T) {
		t.Parallel()
		l := newLab(t, "hlp")
		boot := startPublic(t, l)
		aNS := must[string](t)(l.Public("pa", 30))
		hb := must[*netlab.Home](t)(l.Home("b", 20, "192.168.2", netlab.EndpointIndependent))
		bNS, _, err := hb.Host("hb")
		if err != nil {
			t.Fatal(err)
		}
		record(t, "one-public", runCell(t, cellNet{lab: l, aNS: aNS, bNS: bNS, boot: boot, aPublic: true}, "direct"))
	})
	t.Run("upnp", func(t *testing.T) {
		t.Parallel()
		// B is behind a symmetric NAT, where no hole punch works: only
		// the port A's router mapped makes the connection direct.
		n, ha := twoHomes(t, "hlu", netlab.EndpointIndependent, netlab.Symmetric)
		if err := ha.UPnP(); err != nil {
			t.Fatal(err)
		}
		n.mapped = true
		r := runCell(t, n, "direct")
		record(t, "upnp", r)
		if !strings.Contains(r.reach, "mapped=true") {
			t.Errorf("A's router mapped no port: %s", r.reach)
		}
	})
	t.Run("lan-only", func(t *testing.T) {
		t.Parallel()
		l := newLab(t, "hll")
		h := must[*netlab.Home](t)(l.Home("h", 10, "192.168.1", netlab.EndpointIndependent))
		aNS, _, err := h.Host("la")
		if err != nil {
			t.Fatal(err)
		}
		bNS, _, err := h.Host("lb")
		if err != nil {
			t.Fatal(err)
		}
		record(t, "lan-only", runCell(t, cellNet{lab: l, aNS: aNS, bNS: bNS}, "direct"))
	})
	t.Run("renumbered", func(t *testing.T) {
		t.Parallel()
		n, ha := twoHomes(t, "hlr", netlab.EndpointIndependent, netlab.EndpointIndependent)
		n.renumber = func() error { return ha.Renumber(11) }
		record(t, "renumbered", runCell(t, n, "direct"))
	})
}
