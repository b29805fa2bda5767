package wire

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	payloads := [][]byte{{}, []byte("a"), bytes.Repeat([]byte("x"), 300), bytes.Repeat([]byte("y"), 70000)}
	for _, p := range payloads {
		if err := WriteFrame(&buf, p); err != nil {
			t.Fatal(err)
		}
	}
	// The same through a bufio.Writer.
	bw := bufio.NewWriter(&buf)
	for _, p := range payloads {
		if err := WriteFrame(bw, p); err != nil {
			t.Fatal(err)
		}
	}
	bw.Flush()
	r := bufio.NewReader(&buf)
	for i := 0; i < 2*len(payloads); i++ {
		got, err := ReadFrame(r, 1<<20)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if want := payloads[i%len(payloads)]; !bytes.Equal(got, want) {
			t.Fatalf("frame %d: %d bytes, want %d", i, len(got), len(want))
		}
	}
	if _, err := ReadFrame(r, 1<<20); err != io.EOF {
		t.Fatalf("at end: %v, want io.EOF", err)
	}
}

func TestFrameLengthPrefix(t *testing.T) {
	var buf bytes.Buffer
	WriteFrame(&buf, bytes.Repeat([]byte{7}, 300))
	if got := buf.Bytes()[:2]; !bytes.Equal(got, []byte{0xac, 0x02}) {
		t.Fatalf("prefix % x, want ac 02 (varint 300)", got)
	}
}

func TestReadFrameErrors(t *testing.T) {
	cases := []struct {
		name  string
		input string
		max   int
		want  error
	}{
		{"too large", "\x05hello", 4, ErrFrameTooLarge},
		// 2^62 announced: must fail before allocating.
		{"huge", "\x80\x80\x80\x80\x80\x80\x80\x80\x40", 1 << 20, ErrFrameTooLarge},
		{"truncated body", "\x05hel", 16, ErrTruncated},
		{"truncated length", "\x80", 16, ErrTruncated},
		{"exact max ok", "\x04abcd", 4, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadFrame(bufio.NewReader(strings.NewReader(c.input)), c.max)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	// A varint longer than 64 bits is an error, not a panic or a hang.
	_, err := ReadFrame(bufio.NewReader(strings.NewReader(strings.Repeat("\xff", 11)+"\x01")), 16)
	if err == nil {
		t.Fatal("overflowing length accepted")
	}
}

// errReader fails after its data, to check that non-EOF errors pass through.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestReadFramePassesErrors(t *testing.T) {
	boom := errors.New("boom")
	r := bufio.NewReader(io.MultiReader(strings.NewReader("\x05he"), errReader{boom}))
	if _, err := ReadFrame(r, 16); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}
