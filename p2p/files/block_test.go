package files

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestBlockLayout: a block's data is aligned in memory exactly where its
// file offset is, and a full block ends on an aligned file offset, from
// any starting offset.
func TestBlockLayout(t *testing.T) {
	b := newBlock()
	for _, off := range []int64{0, 1, 4095, 4096, 4097, 1 << 20, 12345678} {
		b.reset(off)
		if !aligned(b.buf) {
			t.Fatal("block memory not aligned")
		}
		head := int(-off & (directAlign - 1))
		if head < cap(b.data) && !aligned(b.data[head:head]) {
			t.Fatalf("offset %d: data past the first file block boundary is not aligned in memory", off)
		}
		room := cap(b.data)
		if room < blockSize || room > blockSize+directAlign {
			t.Fatalf("offset %d: room %d", off, room)
		}
		// Fill in odd pieces until full.
		piece := bytes.Repeat([]byte{7}, 300_001)
		total := 0
		for !b.full() {
			n := b.fill(piece)
			if n == 0 {
				t.Fatal("fill took nothing from a block that is not full")
			}
			total += n
		}
		if b.fill(piece) != 0 {
			t.Fatal("a full block took more")
		}
		if total != room || b.end() != off+int64(room) || b.end()%directAlign != 0 {
			t.Fatalf("offset %d: filled %d of %d, ends at %d", off, total, room, b.end())
		}
	}
}

// TestBlockWritesDirect: a block written at an unaligned offset goes to the
// file intact, and its aligned middle goes to the disk straight from the
// block (the copy buffer for misaligned memory is never made).
func TestBlockWritesDirect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.part")
	p, err := openPart(path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	if p.direct == nil {
		t.Skip("no direct I/O on this file system")
	}
	var want []byte
	b := newBlock()
	for i, n := range []int{5000, blockSize, 3 * blockSize / 2, 100} {
		b.reset(p.woff)
		data := make([]byte, n)
		for j := range data {
			data[j] = byte(i*31 + j*7)
		}
		for len(data) > 0 {
			k := b.fill(data)
			want = append(want, data[:k]...)
			data = data[k:]
			if err := p.write(b.data); err != nil {
				t.Fatal(err)
			}
			p.hashed(b.data)
			b.reset(p.woff)
		}
	}
	if p.direct == nil {
		t.Fatal("direct I/O was given up")
	}
	if p.direct.buf != nil {
		t.Fatal("aligned block data went through the copy buffer")
	}
	if u := newURing(); u != nil {
		u.close()
		if p.direct.ring == nil {
			t.Fatal("io_uring works here, but the direct writes gave it up")
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("file has %d bytes, want %d (or different bytes)", len(got), len(want))
	}
}
