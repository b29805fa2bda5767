package wire

import (
	"bufio"
	"bytes"
	"testing"
)

// seedFiles seeds a corpus with the file protocol's fixtures and a short
// hash, a short CRC and empty fields.
func seedFiles(f *testing.F) {
	seedWith(f, fileFixtures, []byte("\x2a\x03\x01\x02\x03"), []byte("\x1d\x01\x02"), []byte("\x0a\x00\x12\x00\x1a\x00"))
}

func FuzzOffer(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[FileOffer](t, b)
		var o FileOffer
		if o.Unmarshal(b) == nil && o.Validate() == nil {
			if o.Size < 0 || o.Size > MaxFileSize || CheckFileName(o.Name) != nil {
				t.Fatalf("Validate passed %#v", o)
			}
		}
	})
}

func FuzzFetch(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[FileFetch](t, b) })
}

func FuzzControl(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[FileControl](t, b) })
}

func FuzzFileRequest(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[FileRequest](t, b)
		var r FileRequest
		if r.Unmarshal(b) == nil {
			r.Validate()
		}
	})
}

func FuzzFileReply(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[FileReply](t, b) })
}

func FuzzChunk(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[FileChunk](t, b)
		var c FileChunk
		if c.Unmarshal(b) == nil && len(b) > 0 && len(c.Data) > len(b) {
			t.Fatal("data longer than its encoding")
		}
	})
}

// FuzzReadFrameInto checks the reusing reader against ReadFrame.
func FuzzReadFrameInto(f *testing.F) {
	seedFiles(f)
	f.Add([]byte("\x05hello\x00\x03abc"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r1 := bufio.NewReader(bytes.NewReader(b))
		r2 := bufio.NewReader(bytes.NewReader(b))
		buf := make([]byte, 0, 8)
		for i := 0; i < 1000; i++ {
			p, err1 := ReadFrame(r1, 64)
			q, err2 := ReadFrameInto(r2, 64, buf)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("ReadFrame %v, ReadFrameInto %v", err1, err2)
			}
			if err1 != nil {
				return
			}
			if !bytes.Equal(p, q) {
				t.Fatalf("frames differ: %q %q", p, q)
			}
			buf = q
		}
	})
}
