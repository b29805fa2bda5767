package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"testing"
)

// FuzzControlRequest feeds arbitrary bytes to the control socket's reader:
// whatever arrives, one well-formed reply comes back and nothing panics.
func FuzzControlRequest(f *testing.F) {
	f.Add([]byte(`{"cmd":"send","contact":"bob","texts":["hi","there"]}`))
	f.Add([]byte(`{"cmd":"history","limit":-5,"json":true}`))
	f.Add([]byte(`{"cmd":`))
	f.Add([]byte("\x00\xff{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := &server{run: func(r Request) Reply { return Reply{Output: r.Cmd} }}
		a, c := net.Pipe()
		done := make(chan struct{})
		go func() { s.serve(a); close(done) }()
		go c.Write(append(b, '\n'))
		var rep Reply
		if err := json.NewDecoder(c).Decode(&rep); err != nil {
			t.Fatalf("no reply: %v", err)
		}
		var req Request
		if !bytes.ContainsRune(b, '\n') && json.Unmarshal(b, &req) == nil && rep.Error != "" {
			t.Fatalf("valid request %q refused: %s", b, rep.Error)
		}
		c.Close()
		<-done
	})
}
