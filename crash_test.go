package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// daemonProc is one `hearth daemon` process that the crash test kills and
// restarts.
type daemonProc struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	name string

	mu    sync.Mutex // guards cmd and exited
	cmd   *exec.Cmd
	exit  chan error
	kills int
}

func (d *daemonProc) start() {
	d.t.Helper()
	cmd := exec.Command(d.bin, "daemon", "--profile", d.dir, "--loopback", "--port", fmt.Sprint(d.port))
	cmd.Env = append(os.Environ(), "HEARTH_PASSPHRASE=")
	log, err := os.OpenFile(filepath.Join(filepath.Dir(d.dir), d.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		d.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		d.t.Fatalf("starting %s: %v", d.name, err)
	}
	exit := make(chan error, 1)
	go func() { exit <- cmd.Wait(); log.Close() }()
	d.mu.Lock()
	d.cmd, d.exit = cmd, exit
	d.mu.Unlock()
	// Up when the control socket answers.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := control(d.dir, map[string]any{"cmd": "contacts"}); err == nil {
			return
		}
		select {
		case err := <-exit:
			b, _ := os.ReadFile(filepath.Join(filepath.Dir(d.dir), d.name+".log"))
			d.t.Fatalf("%s exited at start: %v\n%s", d.name, err, b)
		default:
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("%s did not come up", d.name)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill9 kills the process the hard way and waits for it to be gone.
func (d *daemonProc) kill9() {
	d.mu.Lock()
	cmd, exit := d.cmd, d.exit
	d.kills++
	d.mu.Unlock()
	cmd.Process.Signal(syscall.SIGKILL)
	<-exit
}

// stop ends the process with SIGTERM and checks that it exits cleanly.
func (d *daemonProc) stop() {
	d.t.Helper()
	d.mu.Lock()
	cmd, exit := d.cmd, d.exit
	d.mu.Unlock()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exit:
		if err != nil {
			d.t.Errorf("%s: exit after SIGTERM: %v", d.name, err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		d.t.Errorf("%s did not stop on SIGTERM", d.name)
	}
}

type controlReply struct {
	Output string `json:"output"`
	Error  string `json:"error"`
	Stored int    `json:"stored"`
}

// control sends one request on a profile's control socket, as the CLI does.
func control(dir string, req map[string]any) (controlReply, error) {
	c, err := net.DialTimeout("unix", filepath.Join(dir, "control.sock"), time.Second)
	if err != nil {
		return controlReply{}, err
	}
	defer c.Close()
	b, _ := json.Marshal(req)
	if _, err := c.Write(append(b, '\n')); err != nil {
		return controlReply{}, err
	}
	var rep controlReply
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&rep); err != nil {
		return controlReply{}, err
	}
	return rep, nil
}

type histMsg struct {
	ID       string `json:"id"`
	Outgoing bool   `json:"outgoing"`
	Body     string `json:"body"`
	Status   string `json:"status"`
}

func history(dir, contact string) ([]histMsg, error) {
	rep, err := control(dir, map[string]any{"cmd": "history", "contact": contact, "json": true})
	if err != nil {
		return nil, err
	}
	if rep.Error != "" {
		return nil, fmt.Errorf("%s", rep.Error)
	}
	var out []histMsg
	for _, line := range strings.Split(strings.TrimSpace(rep.Output), "\n") {
		if line == "" {
			continue
		}
		var m histMsg
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestCrashBurstExactlyOnce runs two real `hearth daemon` processes on
// loopback, sends a 10,000-message burst from one to the other through the
// control socket, kills sender and receiver with SIGKILL at random moments
// (and restarts them), then checks that every message the sender stored
// reached the receiver exactly once, in order, and that none is missing.
func TestCrashBurstExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs real processes")
	}
	const total, chunk, kills = 10000, 100, 8
	bin := buildBinary(t)
	root := t.TempDir()
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range []string{"sender", "receiver"} {
				b, _ := os.ReadFile(filepath.Join(root, n+".log"))
				t.Logf("%s log:\n%s", n, b)
			}
		}
	})
	mk := func(name string) *daemonProc {
		d := &daemonProc{t: t, bin: bin, dir: filepath.Join(root, name+"-profile"), port: freePort(t), name: name}
		out, err := exec.Command(bin, "create-profile", "--name", name, "--profile", d.dir).CombinedOutput()
		if err != nil {
			t.Fatalf("create-profile %s: %v\n%s", name, err, out)
		}
		d.start()
		return d
	}
	snd, rcv := mk("sender"), mk("receiver")
	defer func() { snd.stop(); rcv.stop() }()

	rep, err := control(rcv.dir, map[string]any{"cmd": "id"})
	if err != nil || rep.Error != "" {
		t.Fatalf("id: %v %s", err, rep.Error)
	}
	code := strings.SplitN(rep.Output, "\n", 2)[0]
	if rep, err := control(snd.dir, map[string]any{"cmd": "add", "code": code}); err != nil || rep.Error != "" {
		t.Fatalf("add: %v %s", err, rep.Error)
	}
	waitUntil(t, "both sides accepted", 30*time.Second, func() bool {
		a, _ := control(snd.dir, map[string]any{"cmd": "contacts", "json": true})
		b, _ := control(rcv.dir, map[string]any{"cmd": "contacts", "json": true})
		return strings.Contains(a.Output, `"state":"Contact"`) && strings.Contains(b.Output, `"state":"Contact"`)
	})

	body := func(i int) string { return fmt.Sprintf("burst-%05d", i) }
	// The killer: SIGKILL the sender, the receiver or both at random
	// moments, then restart them.
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 4))
	seed := rng.Uint64()
	t.Logf("kill schedule seed %d", seed)
	rng = rand.New(rand.NewPCG(seed, 4))
	var progress atomic.Int64 // messages the sender has stored, for the log
	killerDone := make(chan struct{})
	go func() {
		defer close(killerDone)
		for i := range kills {
			time.Sleep(time.Duration(80+rng.IntN(420)) * time.Millisecond)
			var victims []*daemonProc
			switch i % 3 {
			case 0:
				victims = []*daemonProc{snd}
			case 1:
				victims = []*daemonProc{rcv}
			default:
				victims = []*daemonProc{snd, rcv}
			}
			for _, v := range victims {
				v.kill9()
				t.Logf("kill -9 %s with %d of %d messages stored", v.name, progress.Load(), total)
			}
			time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
			for _, v := range victims {
				v.start()
			}
		}
	}()

	// The burst, in requests of chunk lines. A request cut by a kill may
	// have stored part of its lines: after a failure the sender's history
	// says where to go on from.
	next := 0
	deadline := time.Now().Add(3 * time.Minute)
	for next < total {
		if time.Now().After(deadline) {
			t.Fatalf("burst stuck at %d", next)
		}
		var texts []string
		for i := next; i < min(next+chunk, total); i++ {
			texts = append(texts, body(i))
		}
		rep, err := control(snd.dir, map[string]any{"cmd": "send", "contact": "receiver", "texts": texts})
		if err == nil && rep.Error == "" {
			next += rep.Stored
			progress.Store(int64(next))
			continue
		}
		// Down or cut off: ask the (restarted) sender what it stored.
		for {
			h, err := history(snd.dir, "receiver")
			if err == nil {
				stored := 0
				for _, m := range h {
					if m.Outgoing {
						stored++
					}
				}
				next = stored
				progress.Store(int64(next))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("sender does not come back: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	<-killerDone
	t.Logf("burst done; sender killed %d times, receiver %d times", snd.kills, rcv.kills)

	var got []histMsg
	waitUntil(t, "every message delivered and acknowledged", 3*time.Minute, func() bool {
		var err error
		got, err = history(rcv.dir, "sender")
		if err != nil || len(got) < total {
			return false
		}
		sent, err := history(snd.dir, "receiver")
		if err != nil {
			return false
		}
		for _, m := range sent {
			if m.Status != "Delivered" {
				return false
			}
		}
		return true
	})
	// Exactly once and in order on the receiver, by body and by ID.
	sent, err := history(snd.dir, "receiver")
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != total || len(got) != total {
		t.Fatalf("sender holds %d messages, receiver %d, want %d each", len(sent), len(got), total)
	}
	seen := map[string]bool{}
	for i := range total {
		if sent[i].Body != body(i) {
			t.Fatalf("sender message %d is %q, want %q", i, sent[i].Body, body(i))
		}
		if got[i].Body != body(i) || got[i].ID != sent[i].ID || got[i].Outgoing {
			t.Fatalf("receiver message %d is %+v, want %q id %s", i, got[i], body(i), sent[i].ID)
		}
		if seen[got[i].ID] {
			t.Fatalf("message %s received twice", got[i].ID)
		}
		seen[got[i].ID] = true
	}
	// The command-line client, as a separate process, reaches the daemons.
	cli := func(dir string, args ...string) string {
		var stderr strings.Builder
		cmd := exec.Command(bin, append(args, "--profile", dir)...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("hearth %v: %v\n%s%s", args, err, out, stderr.String())
		}
		return string(out)
	}
	if out := cli(rcv.dir, "history", "sender", "--limit", "1"); !strings.Contains(out, body(total-1)) {
		t.Errorf("hearth history --limit 1: %q", out)
	}
	if out := cli(rcv.dir, "search", body(4321)); !strings.Contains(out, body(4321)) || strings.Count(out, "\n") != 1 {
		t.Errorf("hearth search: %q", out)
	}
	if out := cli(snd.dir, "send", "receiver", "after the storm"); !strings.Contains(out, "Sent 1 message") {
		t.Errorf("hearth send: %q", out)
	}
}

func waitUntil(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
