package files

// A download passes its verified data from stage to stage in blocks:
// large aligned buffers that hold a contiguous run of the file, filled
// from as many chunks as fit. A block is written with one system call
// (direct I/O, with no copy, see direct.go) and hashed in one go; the
// chunk it came from is free for the next frame as soon as its data is
// copied in. Measured on loopback with a virtio disk, direct writes of
// 1 MiB run at one and a half times the speed of 256 KiB ones, and fewer,
// longer writes hold the runtime's processors for fewer blocking calls.

const (
	// blockSize is the data a block holds when it starts on an aligned
	// file offset (one that does not gets up to directAlign more, so
	// that it ends on one).
	blockSize = 1 << 20
	// blockCount is how many blocks a download passes around: one being
	// filled, one being written and hashed, and spares for the writes
	// that take longer than the rest (a disk's latency varies).
	blockCount = 4
)

// block is a run of verified file data starting at off. Its memory is
// laid out so that the data's address is aligned exactly where its file
// offset is: whole aligned blocks of it go straight to a direct write.
type block struct {
	buf  []byte // blockSize + directAlign bytes, aligned
	off  int64  // file offset of data[0]
	data []byte // the data so far, part of buf
	// wrote carries the result of writing the block, once per pass
	// (writeBlocks to fetchOnce).
	wrote chan error
}

func newBlock() *block {
	return &block{buf: alignedBuffer(blockSize+directAlign, directAlign), wrote: make(chan error, 1)}
}

// reset empties the block for data starting at file offset off.
func (b *block) reset(off int64) {
	pad := int(off & (directAlign - 1))
	room := blockSize
	if pad > 0 {
		room += directAlign - pad
	}
	b.off = off
	b.data = b.buf[pad : pad : pad+room]
}

// fill copies as much of p as fits and returns how much that was.
func (b *block) fill(p []byte) int {
	n := copy(b.data[len(b.data):cap(b.data)], p)
	b.data = b.data[:len(b.data)+n]
	return n
}

// full reports whether the block has no room left (its end is then an
// aligned file offset).
func (b *block) full() bool { return len(b.data) == cap(b.data) }

// end is the file offset just past the block's data.
func (b *block) end() int64 { return b.off + int64(len(b.data)) }
