package files

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"unsafe"
)

// A download is written with direct I/O where the system has it (Linux):
// whole aligned 4 KiB blocks go from the download's data (block.go) to the
// disk without a copy into the page cache. That copy is most of what writing costs in CPU (on
// a VM, where touching fresh memory is dear, more than the SHA-256 and
// both ciphers together); the file is not read again soon (it is hashed
// as it arrives); and a big download then does not push everything else
// out of the cache. The ragged ends of a chunk (a resume at an odd offset,
// the file's last block, a sender with odd chunk sizes) go through the
// page cache; a block is always written one way or the other, never both.
// Where direct I/O is missing or refused, everything goes through the
// page cache as before.

const (
	// directAlign is the alignment of direct I/O: of the memory, the file
	// offset and the length. It is at least the logical block size of
	// common disks (512 or 4096 bytes).
	directAlign = 4096
	// directBufSize is the aligned buffer that data not aligned in memory
	// goes through to a direct write.
	directBufSize = 256 << 10
)

// directFile is a second descriptor of a partial file, for direct writes,
// with an aligned buffer for data that is not aligned in memory (made
// when first needed: a download's blocks are aligned, see block.go), and
// the io_uring its writes go through where there is one (uring_linux.go).
type directFile struct {
	f    *os.File
	buf  []byte
	ring *uring
}

// openDirectFile opens path for direct writes, or returns nil where that is
// not possible (another system, a file system without direct I/O).
func openDirectFile(path string) *directFile {
	f := openDirect(path)
	if f == nil {
		return nil
	}
	return &directFile{f: f, ring: newURing()}
}

func (d *directFile) close() {
	if d != nil {
		d.ring.close()
		d.f.Close()
	}
}

// writeAt writes all of b at off: through the ring while it works, else
// with pwrite.
func (d *directFile) writeAt(b []byte, off int64) error {
	for len(b) > 0 && d.ring != nil {
		n, err := d.ring.pwrite(d.f, b, off)
		switch {
		case errors.Is(err, errURing):
			d.ring.close()
			d.ring = nil
		case err != nil:
			return err
		case n == 0:
			return io.ErrShortWrite
		default:
			b, off = b[n:], off+int64(n)
		}
	}
	if len(b) == 0 {
		return nil
	}
	_, err := d.f.WriteAt(b, off)
	return err
}

// alignedBuffer returns n bytes whose address is a multiple of align.
func alignedBuffer(n, align int) []byte {
	b := make([]byte, n+align)
	skip := (align - int(uintptr(unsafe.Pointer(&b[0]))%uintptr(align))) % align
	return b[skip : skip+n : skip+n]
}

// aligned reports whether b starts at an address that direct I/O takes.
func aligned(b []byte) bool {
	return uintptr(unsafe.Pointer(unsafe.SliceData(b)))%directAlign == 0
}

// writeAt writes b at off in the partial file: its whole aligned blocks
// directly when p.direct allows (from b itself when b is aligned in memory
// where off is aligned, else through an aligned copy), the rest through
// the page cache.
func (p *part) writeAt(b []byte, off int64) error {
	if d := p.direct; d != nil {
		if head := int(-off & (directAlign - 1)); head > 0 {
			head = min(head, len(b))
			if _, err := p.f.WriteAt(b[:head], off); err != nil {
				return fmt.Errorf("%w: %w", ErrStorage, err)
			}
			b, off = b[head:], off+int64(head)
		}
		for len(b) >= directAlign {
			n := len(b) &^ (directAlign - 1)
			src := b[:n]
			if !aligned(src) {
				if d.buf == nil {
					d.buf = alignedBuffer(directBufSize, directAlign)
				}
				n = min(n, len(d.buf))
				src = d.buf[:n]
				copy(src, b)
			}
			if err := d.writeAt(src, off); err != nil {
				if !errors.Is(err, syscall.EINVAL) {
					return fmt.Errorf("%w: %w", ErrStorage, err)
				}
				// The file system wants another alignment, or none:
				// the page cache it is, from here on.
				d.close()
				p.direct = nil
				break
			}
			b, off = b[n:], off+int64(n)
		}
	}
	if len(b) > 0 {
		if _, err := p.f.WriteAt(b, off); err != nil {
			return fmt.Errorf("%w: %w", ErrStorage, err)
		}
	}
	return nil
}
