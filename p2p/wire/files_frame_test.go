package wire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"testing"
)

// TestFileChunkHeadTail: head + data + tail is the length-prefixed
// encoding of the chunk (byte for byte when the CRC is not zero), it
// reads back as that chunk, also with a zero CRC, and no head is longer
// than MaxFileChunkHead.
func TestFileChunkHeadTail(t *testing.T) {
	for _, c := range []FileChunk{
		{Offset: 0, Data: []byte("x"), CRC: 7},
		{Offset: 262144, Data: bytes.Repeat([]byte("hearth"), 5000), CRC: 0x9a71bb4c},
		{Offset: MaxFileSize, Data: make([]byte, MaxFileChunk), CRC: 0xffffffff},
		{Offset: 12345, Data: []byte("zero crc"), CRC: 0},
	} {
		head := AppendFileChunkHead(nil, c.Offset, len(c.Data))
		if len(head) > MaxFileChunkHead {
			t.Fatalf("head of %d bytes, limit %d", len(head), MaxFileChunkHead)
		}
		frame := AppendFileChunkTail(append(head, c.Data...), c.CRC)
		if c.CRC != 0 {
			want := binary.AppendUvarint(nil, uint64(c.Size()))
			want = c.Append(want)
			if !bytes.Equal(frame, want) {
				t.Fatalf("offset %d: frame differs from the chunk's encoding", c.Offset)
			}
		}
		b, err := ReadFrameInto(bufio.NewReader(bytes.NewReader(frame)), MaxFileChunkFrame, nil)
		if err != nil {
			t.Fatalf("offset %d: %v", c.Offset, err)
		}
		var got FileChunk
		if err := got.Unmarshal(b); err != nil {
			t.Fatal(err)
		}
		if got.Offset != c.Offset || got.CRC != c.CRC || !bytes.Equal(got.Data, c.Data) || got.Validate() != nil {
			t.Fatalf("read back %d/%x/%d bytes, want %d/%x/%d", got.Offset, got.CRC, len(got.Data), c.Offset, c.CRC, len(c.Data))
		}
	}
}
