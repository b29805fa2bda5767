package files

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"sync"
	"testing"

	"hearth/p2p/wire"
)

// readAllChunks runs a chunkReader over stream for a file of size bytes
// from off and returns the data it let through, in order, and the error
// that stopped it (nil: it reached size).
func readAllChunks(stream []byte, off, size int64) ([]byte, error) {
	got, _, err := readAllChunksCounted(stream, off, size)
	return got, err
}

// readAllChunksCounted also says how many chunks went straight into a block.
func readAllChunksCounted(stream []byte, off, size int64) ([]byte, int, error) {
	free := make(chan *block, 4)
	for _, b := range testBlocks() {
		free <- b
	}
	full := make(chan *block, 4)
	var got []byte
	cr := &chunkReader{r: bufio.NewReader(bytes.NewReader(stream)), free: free, full: full}
	drain := func() {
		for {
			select {
			case b := <-full:
				if b.off != off+int64(len(got)) {
					panic("block out of order")
				}
				got = append(got, b.data...)
				free <- b
			default:
				return
			}
		}
	}
	var err error
	for at := off; at < size; {
		var n int
		if n, err = cr.next(at, size); err != nil {
			break
		}
		at += int64(n)
		drain()
	}
	cr.pass()
	drain()
	return got, cr.direct, err
}

// testBlocks are four blocks made once: a fuzz run would spend most of
// its time making fresh 1 MiB buffers.
var testBlocks = sync.OnceValue(func() []*block {
	return []*block{newBlock(), newBlock(), newBlock(), newBlock()}
})

// readAllReference decodes the same stream the plain way: whole frames,
// wire.FileChunk, checkChunk.
func readAllReference(stream []byte, off, size int64) ([]byte, error) {
	r := bufio.NewReader(bytes.NewReader(stream))
	var got []byte
	for off < size {
		b, err := wire.ReadFrameInto(r, wire.MaxFileChunkFrame, nil)
		if err != nil {
			return got, err
		}
		data, err := checkChunk(b, off, size)
		if err != nil {
			return got, err
		}
		got = append(got, data...)
		off += int64(len(data))
	}
	return got, nil
}

// senderFrame is a chunk frame as stream() writes it.
func senderFrame(off int64, data []byte, crc uint32) []byte {
	f := wire.AppendFileChunkHead(nil, off, len(data))
	f = append(f, data...)
	return wire.AppendFileChunkTail(f, crc)
}

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// TestChunkReaderLayouts: frames as senders write them and frames in
// another field order both arrive intact, across block boundaries and
// from an unaligned offset; a damaged chunk stops the reader with
// errBadChunk and none of its bytes get through.
func TestChunkReaderLayouts(t *testing.T) {
	data := make([]byte, 3*blockSize+12345)
	for i := range data {
		data[i] = byte(i * 7 / 3)
	}
	const off = 1000 // a resume at an odd offset
	size := int64(off + len(data))
	var stream []byte
	for i, at := 0, 0; at < len(data); i++ {
		n := min(len(data)-at, []int{256 << 10, 300_001, 1 << 20, 17}[i%4])
		c := data[at : at+n]
		if i%3 == 2 {
			// Another encoder: CRC first, then data, then offset.
			var m []byte
			m = append(m, 0x1d)
			m = binary.LittleEndian.AppendUint32(m, checksum(c))
			m = append(m, 0x12)
			m = binary.AppendUvarint(m, uint64(n))
			m = append(m, c...)
			m = append(m, 0x08)
			m = binary.AppendUvarint(m, uint64(off+at))
			stream = binary.AppendUvarint(stream, uint64(len(m)))
			stream = append(stream, m...)
		} else {
			stream = append(stream, senderFrame(int64(off+at), c, checksum(c))...)
		}
		at += n
	}
	got, direct, err := readAllChunksCounted(stream, off, size)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes (equal %v), err %v", len(got), bytes.Equal(got, data), err)
	}
	if direct == 0 {
		t.Fatal("no chunk in the sender's layout went straight into a block")
	}

	// The second chunk damaged: the first gets through, nothing after.
	first := data[:blockSize-100]
	second := data[blockSize-100 : blockSize+5000] // crosses a block end
	bad := append([]byte(nil), second...)
	bad[4000] ^= 1
	stream = append(senderFrame(off, first, checksum(first)), senderFrame(int64(off+len(first)), bad, checksum(second))...)
	got, err = readAllChunks(stream, off, size)
	if !errors.Is(err, errBadChunk) || !bytes.Equal(got, first) {
		t.Fatalf("damaged chunk: err %v, %d bytes through", err, len(got))
	}
}

// FuzzChunkReader: on any stream, the chunk reader lets through exactly
// the data the plain decoder does and fails where it fails (or ends
// where it ends), and never panics.
func FuzzChunkReader(f *testing.F) {
	c1 := []byte("hello, hearth")
	c2 := bytes.Repeat([]byte{9}, 5000)
	f.Add(senderFrame(0, c1, checksum(c1)), int64(0), int64(len(c1)))
	f.Add(append(senderFrame(0, c1, checksum(c1)), senderFrame(int64(len(c1)), c2, checksum(c2))...), int64(0), int64(len(c1)+len(c2)))
	f.Add(senderFrame(77, c2, checksum(c2)), int64(77), int64(77+len(c2)+10))
	f.Add(senderFrame(77, c2, checksum(c2)+1), int64(77), int64(77+len(c2)))
	f.Add(senderFrame(5, c1, 0), int64(5), int64(100))
	f.Add([]byte{0x05, 0x08, 0x00, 0x12, 0x01, 0x41}, int64(0), int64(1))
	f.Fuzz(func(t *testing.T, stream []byte, off, size int64) {
		if off < 0 || size <= off || size > wire.MaxFileSize || off > wire.MaxFileSize {
			return
		}
		got, err := readAllChunks(stream, off, size)
		want, werr := readAllReference(stream, off, size)
		if !bytes.Equal(got, want) {
			t.Fatalf("chunk reader let %d bytes through, plain decoder %d", len(got), len(want))
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("chunk reader error %v, plain decoder %v", err, werr)
		}
		if errors.Is(werr, errBadChunk) != errors.Is(err, errBadChunk) {
			t.Fatalf("bad checksum seen differently: %v / %v", err, werr)
		}
	})
}
