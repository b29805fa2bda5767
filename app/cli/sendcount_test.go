package cli

import (
	"bufio"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"
)

// A daemon that dies half way through a send (here: one that stores two
// messages, says so, and drops the connection) leaves the client with the
// count of what was stored. Guards the issue 14 "Also" item on `send`.
func TestSendCutOffReportsCount(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("unix", filepath.Join(dir, SocketName))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		bufio.NewReader(c).ReadBytes('\n')
		for n := 1; n <= 2; n++ {
			b, _ := json.Marshal(Reply{Progress: true, Stored: n})
			c.Write(append(b, '\n'))
		}
		c.Close() // the daemon is gone
	}()
	code, out, errOut := runCLI(t, "one\ntwo\nthree\nfour\n", "send", "bob", "-", "--lines", "--profile", dir)
	if code != 1 || !strings.Contains(errOut, "after storing 2 of") || !strings.Contains(errOut, "outbox") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
}
