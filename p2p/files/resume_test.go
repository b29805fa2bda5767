package files

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"hearth/p2p/internal/p2ptest"
)

// The resume test runs the receiving side in a child process (this test
// binary again, running TestResumeChild), kills it with SIGKILL once 30%
// is verified, and starts it again: the second run must resume from the
// sidecar, not from zero, and end with the right file.
const (
	envChild   = "HEARTH_FILES_CHILD" // "1": run as the receiving child
	envAddr    = "HEARTH_FILES_ADDR"  // the sender's multiaddr with /p2p/
	envOffer   = "HEARTH_FILES_OFFER" // id size sha256-hex
	envPart    = "HEARTH_FILES_PART"  // the partial file
	envStallAt = "HEARTH_FILES_STALL" // stop making progress past this many bytes
)

func TestResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const size = 256 << 20
	h := p2ptest.RealHost(t)
	defer h.Close()
	lib := newSender()
	sender := New(h, lib.config())
	defer sender.Close()
	dir := t.TempDir()
	path, sum := makeFile(t, dir, "video.mp4", size, 40)
	lib.add("t1", path, size)
	part := filepath.Join(dir, "t1.part")

	addr := h.Addrs()[0].String() + "/p2p/" + h.ID().String()
	env := append(os.Environ(),
		envChild+"=1",
		envAddr+"="+addr,
		envOffer+"=t1 "+strconv.Itoa(size)+" "+hex.EncodeToString(sum[:]),
		envPart+"="+part,
	)

	// First run: wait for 30% verified, then kill -9 while it is still
	// fetching. (The child stalls its progress callback at 40% so the
	// kill cannot come too late; data past the last checkpoint is then
	// written but not yet vouched for.)
	first := child(t, append(env, envStallAt+"="+strconv.Itoa(size*4/10)))
	done := first.waitFor(t, func(n int64) bool { return n >= size*3/10 })
	first.cmd.Process.Signal(syscall.SIGKILL)
	first.wait()
	verified := VerifiedOffset(part)
	fi, err := os.Stat(part)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed at %d bytes reported, %d verified on disk, part file %d bytes", done, verified, fi.Size())
	if verified <= 0 || verified > fi.Size() {
		t.Fatalf("after the kill: sidecar %d, file %d", verified, fi.Size())
	}

	// Second run: resumes from the sidecar and finishes.
	second := child(t, env)
	start := second.waitStart(t)
	if err := second.wait(); err != nil {
		t.Fatalf("second run: %v\n%s", err, second.out.String())
	}
	if start == 0 || start != verified {
		t.Fatalf("second run started from %d, want the sidecar's %d", start, verified)
	}
	if !strings.Contains(second.out.String(), "DONE") {
		t.Fatalf("second run did not finish:\n%s", second.out.String())
	}
	if fileHash(t, part) != sum {
		t.Fatal("wrong file after resuming")
	}
}

type childProc struct {
	cmd   *exec.Cmd
	lines chan string
	out   *strings.Builder
}

func child(t *testing.T, env []string) *childProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResumeChild$", "-test.v")
	cmd.Env = env
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &childProc{cmd: cmd, lines: make(chan string, 1024), out: new(strings.Builder)}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	return c
}

// next returns the child's next line, or fails after a minute.
func (c *childProc) next(t *testing.T) (string, bool) {
	select {
	case l, ok := <-c.lines:
		if ok {
			c.out.WriteString(l + "\n")
		}
		return l, ok
	case <-time.After(time.Minute):
		t.Fatalf("child silent for a minute:\n%s", c.out.String())
	}
	return "", false
}

// waitFor reads PROGRESS lines until cond holds.
func (c *childProc) waitFor(t *testing.T, cond func(int64) bool) int64 {
	for {
		l, ok := c.next(t)
		if !ok {
			t.Fatalf("child ended early:\n%s", c.out.String())
		}
		var n int64
		if _, err := fmt.Sscanf(l, "PROGRESS %d", &n); err == nil && cond(n) {
			return n
		}
	}
}

// waitStart returns the offset of the first PROGRESS line.
func (c *childProc) waitStart(t *testing.T) int64 {
	return c.waitFor(t, func(int64) bool { return true })
}

// wait reads the rest of the output, then waits for the child to exit.
func (c *childProc) wait() error {
	for l := range c.lines {
		c.out.WriteString(l + "\n")
	}
	return c.cmd.Wait()
}

// TestResumeChild is the receiving process of TestResumeAfterKill.
func TestResumeChild(t *testing.T) {
	if os.Getenv(envChild) != "1" {
		t.Skip("run by TestResumeAfterKill")
	}
	info, err := peer.AddrInfoFromP2pAddr(ma.StringCast(os.Getenv(envAddr)))
	if err != nil {
		t.Fatal(err)
	}
	var o Offer
	var sumHex string
	fmt.Sscanf(os.Getenv(envOffer), "%s %d %s", &o.TransferID, &o.Size, &sumHex)
	b, _ := hex.DecodeString(sumHex)
	copy(o.SHA256[:], b)
	o.Name = "video.mp4"
	stall, _ := strconv.ParseInt(os.Getenv(envStallAt), 10, 64)

	h := p2ptest.RealHost(t)
	defer h.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := h.Connect(ctx, *info); err != nil {
		t.Fatal(err)
	}
	s := New(h, Config{Checkpoint: 8 << 20})
	defer s.Close()
	err = s.Fetch(ctx, info.ID, o, os.Getenv(envPart), func(done int64) {
		fmt.Printf("PROGRESS %d\n", done)
		if stall > 0 && done >= stall {
			select {} // wait for the kill
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("DONE")
}
