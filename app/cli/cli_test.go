package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/app/core"
	"hearth/contacts"
)

// runCLI runs one command in-process and returns its exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

func TestOfflineErrorsAreClear(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	t.Setenv("HEARTH_PASSPHRASE", "right one")
	code, _, errOut := runCLI(t, "", "contacts", "--profile", dir)
	if code != 1 || !strings.Contains(errOut, "no profile in this folder") {
		t.Errorf("no profile: %d %q", code, errOut)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("looking for a profile created its folder")
	}
	code, out, errOut := runCLI(t, "", "create-profile", "--name", "Ann", "--profile", dir)
	if code != 0 || !strings.Contains(out, "peer ID 12D3") {
		t.Fatalf("create-profile: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "create-profile", "--name", "Ann", "--profile", dir); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("second create-profile: %d %q", code, errOut)
	}
	t.Setenv("HEARTH_PASSPHRASE", "wrong")
	if code, _, errOut := runCLI(t, "", "contacts", "--profile", dir); code != 1 || !strings.Contains(errOut, "wrong passphrase") {
		t.Errorf("wrong passphrase: %d %q", code, errOut)
	}
	pf := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pf, []byte("right one\n"), 0o600)
	os.Unsetenv("HEARTH_PASSPHRASE")
	code, out, errOut = runCLI(t, "", "contacts", "--profile", dir, "--passphrase-file", pf, "--loopback", "--port", "-1")
	if code != 0 || !strings.Contains(out, "No contacts yet") {
		t.Errorf("contacts with passphrase file: %d %q %q", code, out, errOut)
	}
	// Without a terminal, an environment variable or a file there is no
	// passphrase to use.
	if code, _, errOut := runCLI(t, "", "contacts", "--profile", dir); code != 1 || !strings.Contains(errOut, "HEARTH_PASSPHRASE") {
		t.Errorf("no passphrase source: %d %q", code, errOut)
	}
	t.Setenv("HEARTH_PASSPHRASE", "right one")
	if code, _, errOut := runCLI(t, "", "send", "nobody", "hello", "--profile", dir, "--loopback", "--port", "-1"); code != 1 || !strings.Contains(errOut, `no contact matches "nobody"`) {
		t.Errorf("unknown contact: %d %q", code, errOut)
	}
	for _, args := range [][]string{{"send", "bob"}, {"export", "bob"}, {"frobnicate"}, {"compliance", "bob", "maybe"}, {"contacts", "--bogus"}} {
		if code, _, errOut := runCLI(t, "", append(args, "--profile", dir)...); code != 2 || !strings.Contains(errOut, "usage:") {
			t.Errorf("%v: exit %d, %q; want usage and 2", args, code, errOut)
		}
	}
}

// node is a profile running in this test process, as a daemon runs it.
type node struct {
	dir  string
	port int // kept across restarts, so contacts find it again
	m    *core.Messenger
	srv  *server
}

func startNode(t *testing.T, name string) *node {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if code, _, errOut := runCLI(t, "", "create-profile", "--name", name, "--profile", dir); code != 0 {
		t.Fatalf("create-profile: %s", errOut)
	}
	n := &node{dir: dir}
	n.up(t)
	t.Cleanup(func() { n.down() })
	return n
}

func (n *node) up(t *testing.T) {
	t.Helper()
	port := n.port
	if port == 0 {
		port = -1
	}
	m, err := core.Opener{Dir: n.dir, Opts: core.Options{Loopback: true, NoMDNS: true, Port: port, RetryInterval: 200 * time.Millisecond}}.Unlock("")
	if err != nil {
		t.Fatal(err)
	}
	n.port = m.Port()
	go func() {
		for range m.Events() {
		}
	}()
	srv, err := listen(n.dir, func(r Request) Reply { return execute(newCoreMessenger(m), r, true) })
	if err != nil {
		t.Fatal(err)
	}
	n.m, n.srv = m, srv
}

func (n *node) down() {
	if n.srv != nil {
		n.srv.Close()
		n.srv = nil
	}
	if n.m != nil {
		n.m.Close()
		n.m = nil
	}
}

func waitCLI(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCommandsThroughDaemonAndOffline(t *testing.T) {
	t.Setenv("HEARTH_PASSPHRASE", "")
	ann, bob := startNode(t, "ann"), startNode(t, "bob")
	fi, err := os.Stat(filepath.Join(ann.dir, SocketName))
	if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("control socket: %v %v", fi.Mode(), err)
	}
	code, out, errOut := runCLI(t, "", "id", "--profile", ann.dir)
	if code != 0 || !strings.HasPrefix(out, "hearth:") {
		t.Fatalf("id: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "add", strings.TrimSpace(out), "--note", "hi Ann", "--profile", bob.dir); code != 0 {
		t.Fatalf("add: %q", errOut)
	}
	waitCLI(t, "both accepted", func() bool {
		_, a, _ := runCLI(t, "", "contacts", "--json", "--profile", ann.dir)
		_, b, _ := runCLI(t, "", "contacts", "--json", "--profile", bob.dir)
		return strings.Contains(a, `"state":"Contact"`) && strings.Contains(b, `"state":"Contact"`)
	})
	annID := ann.m.MyPeerID()
	// By name, by peer ID prefix, from stdin, many lines.
	if code, out, errOut := runCLI(t, "", "send", "ann", "hello", "Ann", "--profile", bob.dir); code != 0 || !strings.Contains(out, "Sent 1 message") {
		t.Fatalf("send: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "first line\nsecond line\n", "send", annID[:20], "-", "--profile", bob.dir); code != 0 {
		t.Fatalf("send stdin: %q", errOut)
	}
	if code, out, errOut := runCLI(t, "l1\n\nl2\nl3\n", "send", "Ann", "-", "--lines", "--profile", bob.dir); code != 0 || !strings.Contains(out, "Sent 3 message") {
		t.Fatalf("send --lines: %d %q %q", code, out, errOut)
	}
	var hist []map[string]any
	waitCLI(t, "ann has five messages", func() bool {
		_, out, _ := runCLI(t, "", "history", "bob", "--json", "--profile", ann.dir)
		hist = nil
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil {
				hist = append(hist, m)
			}
		}
		return len(hist) == 5
	})
	want := []string{"hello Ann", "first line\nsecond line", "l1", "l2", "l3"}
	for i, m := range hist {
		if m["body"] != want[i] {
			t.Errorf("message %d = %q, want %q", i, m["body"], want[i])
		}
	}
	if _, out, _ := runCLI(t, "", "search", "seco", "--profile", ann.dir); !strings.Contains(out, "bob") || !strings.Contains(out, "second line") {
		t.Errorf("search: %q", out)
	}
	exp := filepath.Join(t.TempDir(), "bob.html")
	if code, _, errOut := runCLI(t, "", "export", "bob", "--format", "html", "-o", exp, "--profile", ann.dir); code != 0 {
		t.Fatalf("export: %q", errOut)
	}
	if b, _ := os.ReadFile(exp); !bytes.Contains(b, []byte("<!DOCTYPE html>")) || !bytes.Contains(b, []byte("hello Ann")) {
		t.Errorf("export file: %.200s", b)
	}
	if _, out, _ := runCLI(t, "", "export", "bob", "--format", "text", "--profile", ann.dir); !strings.Contains(out, "bob: l3") {
		t.Errorf("text export: %q", out)
	}
	if _, out, _ := runCLI(t, "", "compliance", "bob", "on", "--profile", ann.dir); !strings.Contains(out, "archived for compliance") {
		t.Errorf("compliance: %q", out)
	}
	waitCLI(t, "bob sees the compliance flag", func() bool { return bob.m.Archive.Compliance(annID) })
	if _, out, _ := runCLI(t, "", "retention", "bob", "30", "--profile", ann.dir); !strings.Contains(out, "30 days") {
		t.Errorf("retention: %q", out)
	}

	// A profile open in a window (here: without a control socket) is in use.
	bob.srv.Close()
	bob.srv = nil
	if code, _, errOut := runCLI(t, "", "contacts", "--profile", bob.dir); code != 1 || !strings.Contains(errOut, "open in another Hearth") {
		t.Errorf("profile in use: %d %q", code, errOut)
	}
	// No daemon: the command opens the profile itself, and says the
	// message waits in the outbox.
	bob.down()
	ann.down()
	code, out, errOut = runCLI(t, "", "send", "Ann", "while you were out", "--profile", bob.dir, "--loopback", "--port", "-1")
	if code != 0 || !strings.Contains(out, "outbox") || !strings.Contains(out, "next runs") {
		t.Fatalf("offline send: %d %q %q", code, out, errOut)
	}
	_, out, _ = runCLI(t, "", "history", "Ann", "--profile", bob.dir, "--loopback", "--port", "-1")
	if !strings.Contains(out, "while you were out  (pending)") {
		t.Errorf("offline history: %q", out)
	}
	// The daemon delivers it when it runs again.
	ann.up(t)
	bob.up(t)
	waitCLI(t, "queued message delivered", func() bool {
		ms, _ := ann.m.Chat.History(bob.m.MyPeerID(), 0)
		return len(ms) == 6 && ms[5].Body == "while you were out" && ms[5].Status == contacts.Received
	})
}

func TestControlSocketRefusesBadRequests(t *testing.T) {
	dir := t.TempDir()
	srv, err := listen(dir, func(r Request) Reply { return Reply{Output: "ran " + r.Cmd} })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ask := func(b []byte) Reply {
		c, err := net.Dial("unix", filepath.Join(dir, SocketName))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		go func() { c.Write(b) }()
		var rep Reply
		if err := json.NewDecoder(c).Decode(&rep); err != nil {
			t.Fatalf("no reply: %v", err)
		}
		return rep
	}
	if rep := ask([]byte("{\"cmd\":\"id\"}\n")); rep.Output != "ran id" {
		t.Errorf("good request: %+v", rep)
	}
	if rep := ask([]byte("not json\n")); rep.Error != "malformed request" {
		t.Errorf("malformed: %+v", rep)
	}
	big := append(bytes.Repeat([]byte("x"), maxRequest+10), '\n')
	if rep := ask(big); !strings.Contains(rep.Error, "too large") {
		t.Errorf("oversized: %+v", rep)
	}
}
