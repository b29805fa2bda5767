package files

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"google.golang.org/protobuf/encoding/protowire"

	"hearth/p2p/wire"
)

// chunkReader reads chunk frames into blocks. A frame laid out as Hearth
// senders write it (wire.AppendFileChunkHead: offset, data, then the CRC
// as the last five bytes) has its data read from the stream straight into
// the block where it belongs, and is checked there: a chunk's data is not
// copied once more from a frame buffer. Any other frame (fields in
// another order, no CRC field, …) is read whole into a frame buffer and
// decoded by wire.FileChunk as before; both ways accept exactly the same
// frames (FuzzChunkReader).
type chunkReader struct {
	r     *bufio.Reader
	frame []byte // for frames of another layout; grows as needed
	free  chan *block
	full  chan<- *block
	b     *block // being filled, or nil
	// direct counts the chunks read straight into a block (for tests).
	direct int
}

// take returns the block being filled, taking one from free (to start
// at off) when there is none.
func (c *chunkReader) take(off int64) *block {
	if c.b == nil {
		c.b = <-c.free
		c.b.reset(off)
	}
	return c.b
}

// pass hands the block being filled on (or back, when it is empty).
func (c *chunkReader) pass() {
	switch {
	case c.b == nil:
	case len(c.b.data) > 0:
		c.full <- c.b
	default:
		c.free <- c.b
	}
	c.b = nil
}

// next reads the chunk at off of a file of size bytes and adds its data
// to the blocks, only once it is checked. It returns the data's length.
func (c *chunkReader) next(off, size int64) (int, error) {
	n, err := binary.ReadUvarint(c.r)
	switch {
	case err == io.EOF:
		return 0, fmt.Errorf("%w: stream ended at %d of %d bytes", ErrProtocol, off, size)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return 0, fmt.Errorf("reading a chunk: reading frame length: %w", wire.ErrTruncated)
	case err != nil:
		return 0, fmt.Errorf("reading a chunk: reading frame length: %w", err)
	case n > wire.MaxFileChunkFrame:
		return 0, fmt.Errorf("%w: %w: %d bytes announced, limit %d", ErrProtocol, wire.ErrFrameTooLarge, n, wire.MaxFileChunkFrame)
	}
	if head, dlen, ok := c.peekHead(int(n), off, size); ok {
		return c.inPlace(head, dlen, off, size)
	}
	return c.whole(int(n), off, size)
}

// peekHead looks at the start of a frame of n bytes (without consuming
// it) and reports whether it is in the sender's layout, for a chunk at off
// that fits the file, and how long its head and data are.
func (c *chunkReader) peekHead(n int, off, size int64) (head, dlen int, ok bool) {
	p, _ := c.r.Peek(min(n, 1+binary.MaxVarintLen64+1+binary.MaxVarintLen32))
	i := 0
	if off != 0 {
		// The offset field comes first (a sender leaves it out at 0).
		if len(p) == 0 || p[0] != byte(protowire.EncodeTag(1, protowire.VarintType)) {
			return 0, 0, false
		}
		v, k := protowire.ConsumeVarint(p[1:])
		if k < 0 || v != uint64(off) {
			return 0, 0, false
		}
		i = 1 + k
	}
	if i >= len(p) || p[i] != byte(protowire.EncodeTag(2, protowire.BytesType)) {
		return 0, 0, false
	}
	v, k := protowire.ConsumeVarint(p[i+1:])
	if k < 0 || v == 0 || v > wire.MaxFileChunk || int64(v) > size-off {
		return 0, 0, false
	}
	head, dlen = i+1+k, int(v)
	if head+dlen+5 != n {
		return 0, 0, false
	}
	return head, dlen, true
}

// inPlace reads a frame in the sender's layout whose head (head bytes) was
// peeked: the data goes into the block (and, past its end, into the next
// one), the CRC is checked, and only then is the data counted in.
func (c *chunkReader) inPlace(head, dlen int, off, size int64) (int, error) {
	if _, err := c.r.Discard(head); err != nil {
		return 0, fmt.Errorf("reading a chunk: %w", err)
	}
	b := c.take(off)
	first := b.data[len(b.data):min(cap(b.data), len(b.data)+dlen)]
	var next *block
	var rest []byte
	if len(first) < dlen {
		next = <-c.free
		next.reset(off + int64(len(first)))
		rest = next.data[:dlen-len(first)]
	}
	giveBack := func() {
		if next != nil {
			c.free <- next
		}
	}
	var tail [5]byte
	for _, p := range [][]byte{first, rest, tail[:]} {
		if _, err := io.ReadFull(c.r, p); err != nil {
			giveBack()
			if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
				err = wire.ErrTruncated
			}
			return 0, fmt.Errorf("reading a chunk: reading frame body: %w", err)
		}
	}
	if tail[0] != byte(protowire.EncodeTag(3, protowire.Fixed32Type)) {
		// Not the sender's layout after all (another field where the CRC
		// goes): judge the frame as the plain decoder does, so that both
		// let the same frames through and fail the same way.
		var frame []byte
		if off != 0 {
			frame = protowire.AppendVarint(protowire.AppendTag(frame, 1, protowire.VarintType), uint64(off))
		}
		frame = protowire.AppendVarint(protowire.AppendTag(frame, 2, protowire.BytesType), uint64(dlen))
		frame = append(append(append(frame, first...), rest...), tail[:]...)
		if _, err := checkChunk(frame, off, size); err != nil {
			giveBack()
			return 0, err
		}
	} else if sum := crc32.Update(crc32.Checksum(first, castagnoli), castagnoli, rest); sum != binary.LittleEndian.Uint32(tail[1:]) {
		giveBack()
		return 0, fmt.Errorf("%w at offset %d", errBadChunk, off)
	}
	c.direct++
	b.data = b.data[:len(b.data)+len(first)]
	if next != nil {
		c.pass() // b is full
		next.data = rest
		c.b = next
	} else if b.full() {
		c.pass()
	}
	return dlen, nil
}

// whole reads a frame of n bytes of any other layout into the frame
// buffer, decodes and checks it, and copies its data into the blocks.
func (c *chunkReader) whole(n int, off, size int64) (int, error) {
	if cap(c.frame) < n {
		c.frame = make([]byte, n)
	}
	frame := c.frame[:n]
	if _, err := io.ReadFull(c.r, frame); err != nil {
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			err = wire.ErrTruncated
		}
		return 0, fmt.Errorf("reading a chunk: reading frame body: %w", err)
	}
	data, err := checkChunk(frame, off, size)
	if err != nil {
		return 0, err
	}
	for rest, at := data, off; len(rest) > 0; {
		b := c.take(at)
		k := b.fill(rest)
		rest, at = rest[k:], at+int64(k)
		if b.full() {
			c.pass()
		}
	}
	return len(data), nil
}
