package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core"
	"hearth/app/profile"
	"hearth/contacts"
)

// benchIdle: resident memory of a node without GUI and of the GUI app, each
// with 100 contacts and 10,000 messages, after settling.
func benchIdle() ([]result, error) {
	root, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	dir := filepath.Join(root, "busy")
	if err := fillProfile(dir, 100, 10000); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	nodeRSS, err := settledRSS(exec.Command(self, "idle-node", dir), "")
	if err != nil {
		return nil, fmt.Errorf("idle node: %w", err)
	}
	rs := []result{{name: "idle_rss_node_100c_10k", value: nodeRSS, unit: "MB", target: "<= 80 MB (GUI)"}}
	if os.Getenv("DISPLAY") == "" {
		return rs, fmt.Errorf("no DISPLAY for the GUI figure: run through make bench")
	}
	bin := filepath.Join(root, "hearth")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return rs, fmt.Errorf("building hearth: %w", err)
	}
	guiRSS, err := settledRSS(exec.Command(bin, "--profile", dir, "--no-mdns", "--port", "-1"), "Hearth — busy")
	if err != nil {
		return rs, fmt.Errorf("GUI: %w", err)
	}
	floorBin := filepath.Join(root, "fynefloor")
	build = exec.Command("go", "build", "-o", floorBin, "./app/bench/fynefloor")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return rs, fmt.Errorf("building the Fyne floor: %w", err)
	}
	floorRSS, err := settledRSS(exec.Command(floorBin), "Fyne floor")
	if err != nil {
		return rs, fmt.Errorf("Fyne floor: %w", err)
	}
	rs = append(rs, result{name: "idle_rss_gui_100c_10k", value: guiRSS, unit: "MB", ref: "fyne_hello_window", refVal: floorRSS, refU: "MB", target: "<= 80 MB"})
	return rs, nil
}

// fillProfile makes a profile with n contacts and msgs messages spread
// over them.
func fillProfile(dir string, n, msgs int) error {
	p, err := profile.Create(dir, "busy", "")
	if err != nil {
		return err
	}
	defer p.Close()
	var ids []string
	for i := 0; i < n; i++ {
		k, _, _ := crypto.GenerateEd25519Key(rand.Reader)
		id, _ := peer.IDFromPrivateKey(k)
		ids = append(ids, id.String())
		if err := p.Store.PutContact(contacts.Contact{PeerID: id.String(), Name: fmt.Sprintf("Contact %03d", i), State: contacts.Accepted, AddedAt: time.Now()}); err != nil {
			return err
		}
	}
	batch := make([]contacts.Message, 0, 500)
	for i := 0; i < msgs; i++ {
		c := ids[i%n]
		batch = append(batch, contacts.Message{
			ID: fmt.Sprintf("m%06d", i), Conversation: c, From: c,
			Body: fmt.Sprintf("message number %d about the weekend plans", i), SentAt: time.Now(), ReceivedAt: time.Now(),
			Status: contacts.Received, Read: true,
		})
		if len(batch) == cap(batch) {
			if _, err := p.Store.AddMessages(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if _, err := p.Store.AddMessages(batch); err != nil {
			return err
		}
	}
	return nil
}

// settledRSS starts cmd, waits for its window (when title is set), lets it
// settle and reads its resident set size in MB.
func settledRSS(cmd *exec.Cmd, title string) (float64, error) {
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
	}()
	if title != "" {
		if err := waitFor("window "+title, 60*time.Second, func() bool {
			out, _ := exec.Command("xwininfo", "-root", "-tree").Output()
			return strings.Contains(string(out), `"`+title+`"`)
		}); err != nil {
			return 0, err
		}
	}
	time.Sleep(8 * time.Second)
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS")
}

// childIdleNode runs a headless node on a profile until interrupted.
func childIdleNode(dir string) error {
	m, err := core.Opener{Dir: dir, Opts: core.Options{NoMDNS: true, Port: -1, Loopback: true}}.Unlock("")
	if err != nil {
		return err
	}
	go func() {
		for range m.Events() {
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return m.Close()
}
