package oneshot

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
)

// racedStream is a stream whose receiver read the frame and closed before
// the sender's CloseWrite (QUIC then cancels the sending half): CloseWrite
// fails, and reading gives the receiver's clean close, or its reset.
type racedStream struct {
	network.Stream
	written bytes.Buffer
	readErr error
}

func (s *racedStream) Write(b []byte) (int, error) { return s.written.Write(b) }
func (s *racedStream) CloseWrite() error           { return errors.New("close called for canceled stream 17") }
func (s *racedStream) Read([]byte) (int, error)    { return 0, s.readErr }
func (s *racedStream) SetDeadline(time.Time) error { return nil }
func (s *racedStream) Scope() network.StreamScope  { return scope{} }
func (s *racedStream) Reset() error                { return nil }
func (scope) SetService(string) error              { return nil }

type scope struct{ network.StreamScope }

func TestCloseWriteRace(t *testing.T) {
	s := &Service{cfg: Config{Timeout: time.Second, ErrUnexpectedReply: errors.New("reply")}}
	taken := &racedStream{readErr: io.EOF}
	if err := s.exchange(context.Background(), taken, []byte("hi")); err != nil {
		t.Fatalf("a message the receiver took and closed on counts as failed: %v", err)
	}
	refused := &racedStream{readErr: errors.New("stream reset")}
	if err := s.exchange(context.Background(), refused, []byte("hi")); err == nil {
		t.Fatal("a refused message counts as taken")
	}
}
