package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SocketName is the control socket's file name inside the profile folder.
const SocketName = "control.sock"

// maxRequest bounds one request line (a send of many lines included).
const maxRequest = 16 << 20

// Request is one command, as sent on the control socket.
type Request struct {
	Cmd     string   `json:"cmd"`
	Contact string   `json:"contact,omitempty"`
	Texts   []string `json:"texts,omitempty"` // send: one message each
	Query   string   `json:"query,omitempty"`
	Limit   int      `json:"limit,omitempty"`
	Format  string   `json:"format,omitempty"`
	Code    string   `json:"code,omitempty"`
	Note    string   `json:"note,omitempty"`
	Days    int      `json:"days,omitempty"`
	On      bool     `json:"on,omitempty"`
	JSON    bool     `json:"json,omitempty"`   // machine-readable output
	Switch  string   `json:"switch,omitempty"` // carry: "on", "off", or "" to show

	// WantProgress asks for a progress line (a Reply with Progress set)
	// each time a send has stored one more message, before the reply, so
	// a client whose daemon dies half way still learns how many were
	// stored. Without it a request gets exactly one line back.
	WantProgress bool `json:"progress,omitempty"`
	// Progress, when set, is told each time a send has stored one more
	// message; the daemon sets it when the client asked (WantProgress).
	Progress func(stored int) `json:"-"`
}

// Reply answers a Request. Output is what the command prints; Error is
// set when it failed, Stored counts the messages a send stored (even when
// it failed part way).
type Reply struct {
	Output string `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
	Stored int    `json:"stored,omitempty"`
	// Progress marks a line sent before the reply: Stored so far.
	Progress bool `json:"progress,omitempty"`
}

// server answers requests on the control socket with a runner.
type server struct {
	ln  net.Listener
	run func(Request) Reply
	wg  sync.WaitGroup

	mu    sync.Mutex // guards conns
	conns map[net.Conn]bool
}

// listen creates the control socket in dir (which the caller holds the
// profile lock of, so a socket file already there is stale) with mode 0600.
func listen(dir string, run func(Request) Reply) (*server, error) {
	path := filepath.Join(dir, SocketName)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing a stale control socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("opening control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("protecting control socket: %w", err)
	}
	s := &server{ln: ln, run: run, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// serve reads one request line and writes one reply line.
func (s *server) serve(c net.Conn) {
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(time.Minute))
	line, err := readLine(bufio.NewReaderSize(c, 64<<10), maxRequest)
	var rep Reply
	var req Request
	switch {
	case err != nil:
		rep.Error = err.Error()
	case json.Unmarshal(line, &req) != nil:
		rep.Error = "malformed request"
	default:
		c.SetReadDeadline(time.Time{})
		req.Progress = nil
		if req.WantProgress {
			req.Progress = s.progressTo(c)
		}
		rep = s.run(req)
	}
	b, _ := json.Marshal(rep)
	c.SetWriteDeadline(time.Now().Add(time.Minute))
	c.Write(append(b, '\n'))
}

// progressTo writes progress lines to a client that asked for them.
func (s *server) progressTo(c net.Conn) func(int) {
	return func(n int) {
		b, _ := json.Marshal(Reply{Progress: true, Stored: n})
		c.SetWriteDeadline(time.Now().Add(time.Minute))
		c.Write(append(b, '\n'))
	}
}

// readLine reads up to a newline, refusing lines over limit bytes.
func readLine(r *bufio.Reader, limit int) ([]byte, error) {
	var out []byte
	for {
		chunk, err := r.ReadSlice('\n')
		out = append(out, chunk...)
		if len(out) > limit {
			return nil, fmt.Errorf("%w (%d MB at most)", ErrRequestTooLarge, limit>>20)
		}
		switch {
		case err == nil:
			return out, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(out) > 0:
			return out, nil
		default:
			return nil, err
		}
	}
}

// Close stops accepting, ends open connections and waits for them.
func (s *server) Close() error {
	err := s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

// errNoDaemon: nothing answers on the profile's control socket.
var errNoDaemon = errors.New("no daemon")

// call sends req to the daemon of the profile in dir. It returns
// errNoDaemon when no daemon listens there.
func call(dir string, req Request) (Reply, error) {
	c, err := net.Dial("unix", filepath.Join(dir, SocketName))
	if err != nil {
		return Reply{}, errNoDaemon
	}
	defer c.Close()
	req.WantProgress = len(req.Texts) > 0
	b, err := json.Marshal(req)
	if err != nil {
		return Reply{}, err
	}
	if _, err := c.Write(append(b, '\n')); err != nil {
		return Reply{}, fmt.Errorf("talking to the daemon: %w", err)
	}
	dec := json.NewDecoder(c)
	stored := -1 // no progress line yet
	for {
		var rep Reply
		if err := dec.Decode(&rep); err != nil {
			if stored >= 0 {
				return Reply{Stored: stored}, fmt.Errorf("%w after storing %d of %d message(s): they are in the outbox "+
					"and go when the daemon runs again; the others were not sent", ErrDaemonStopped, stored, len(req.Texts))
			}
			return Reply{}, fmt.Errorf("%w before answering: %v", ErrDaemonStopped, err)
		}
		if !rep.Progress {
			return rep, nil
		}
		stored = rep.Stored
	}
}
