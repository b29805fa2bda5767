package files

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A partial download is two files: <part>, the verified bytes so far,
// and <part>.ok, the sidecar, one line:
//
//	hearth-part 1 <verified offset> <hex SHA-256 of the bytes before it>
//
// The data is fsynced before the sidecar that vouches for it is written
// (to a temporary file, fsynced, renamed over the old one), so after a
// crash the sidecar never claims more than the disk holds. Bytes past the
// sidecar's offset are cut off when the download resumes, and the bytes
// before it are read back and hashed: when they no longer match the saved
// hash (changed on disk since), the download starts over.
const sidecarMagic = "hearth-part 1"

// SidecarPath is the sidecar of a partial file.
func SidecarPath(partPath string) string { return partPath + ".ok" }

// part is a partial download being written. Its bytes go through two
// stages, in order: write (the file) then hash; done counts the bytes that
// went through both, so a checkpoint at done vouches only for written data.
type part struct {
	path string
	f    *os.File
	// direct, when not nil, writes whole aligned blocks around the page
	// cache (see direct.go).
	direct *directFile
	done   int64 // verified bytes written to the file and hashed
	// woff is where the next write goes; the writing stage owns it.
	woff int64
	// synced is the offset the sidecar holds.
	synced int64
	h      hash.Hash // SHA-256 of [0, done), and of one block more between hashAhead and counted
	// undoState is h's state before hashAhead's block (see unhash).
	undoState []byte
	// blocks carry the data from stage to stage (block.go) and frame is
	// the buffer chunks are read into; both are kept between fetches.
	blocks [blockCount]*block
	frame  []byte
	// syncing, when not nil, delivers the result of the checkpoint running
	// in the background, which vouches for syncOff. Only one runs at a
	// time; close, discard and checkpoint wait for it.
	syncing chan error
	syncOff int64
	// sring is the io_uring the checkpoints' fsyncs go through (made by
	// the first; nil where there is none, see syncFile). Only commit uses
	// it, one at a time; close waits for the last.
	sring      *uring
	sringTried bool
}

// openPart opens (or creates) a partial file for a file of size bytes and
// resumes from its sidecar: the file is cut to the verified offset. With
// no usable sidecar it starts from zero.
func openPart(path string, size int64) (*part, error) {
	// The mode is the one the finished file keeps when it is moved into
	// place (the umask applies), as for any download; the caller keeps
	// the folder of partial files private meanwhile.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	p := &part{path: path, f: f, h: sha256.New()}
	off, sum, ok := readSidecar(SidecarPath(path))
	if fi, err := f.Stat(); err != nil || !ok || off > size || off > fi.Size() {
		off, sum = 0, nil
	}
	if err := f.Truncate(off); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	p.done, p.synced = off, off
	if off > 0 {
		// The data is read back (the final check must be of the bytes on
		// disk); the saved hash tells whether they changed since the
		// checkpoint.
		if err := p.rehash(); err != nil {
			f.Close()
			return nil, err
		}
		if sum != nil && !p.hashIs(sum) {
			p.discard()
		}
	}
	p.direct = openDirectFile(path)
	return p, nil
}

// hashIs reports whether the SHA-256 of the data so far is sum.
func (p *part) hashIs(sum []byte) bool {
	return bytes.Equal(p.h.Sum(nil), sum)
}

// rehash recomputes h from the first done bytes on disk.
func (p *part) rehash() error {
	p.h.Reset()
	if _, err := io.Copy(p.h, io.NewSectionReader(p.f, 0, p.done)); err != nil {
		return fmt.Errorf("%w: reading back: %w", ErrStorage, err)
	}
	return nil
}

// write appends verified data to the file. The caller hashes it next.
func (p *part) write(b []byte) error {
	if err := p.writeAt(b, p.woff); err != nil {
		return err
	}
	p.woff += int64(len(b))
	return nil
}

// hashed records that b, already written, is part of the file.
func (p *part) hashed(b []byte) {
	p.h.Write(b)
	p.done += int64(len(b))
}

// hashAhead hashes b while it is being written; counted then counts it
// in once it is, or unhash takes it back out of the hash if it was not.
func (p *part) hashAhead(b []byte) {
	p.undoState, _ = p.h.(encoding.BinaryAppender).AppendBinary(p.undoState[:0])
	p.h.Write(b)
}

func (p *part) counted(n int) { p.done += int64(n) }

func (p *part) unhash() {
	p.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(p.undoState)
}

// checkpointEvery starts a checkpoint in the background once every bytes
// were written since the last one, unless one still runs. The download
// goes on meanwhile: fsync of a few tens of MiB takes a disk-bound while,
// and waiting for it would stop receiving. A failed background
// checkpoint is reported by the next call.
func (p *part) checkpointEvery(every int64) error {
	if p.syncing != nil {
		select {
		case err := <-p.syncing:
			if err := p.settle(err); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	if p.done-p.synced < every {
		return nil
	}
	off, sum := p.done, p.h.Sum(nil)
	ch := make(chan error, 1)
	p.syncing, p.syncOff = ch, off
	go func() { ch <- p.commit(off, sum) }()
	return nil
}

// wait waits for a background checkpoint, if one runs.
func (p *part) wait() error {
	if p.syncing == nil {
		return nil
	}
	return p.settle(<-p.syncing)
}

// settle takes the result of the background checkpoint.
func (p *part) settle(err error) error {
	p.syncing = nil
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStorage, err)
	}
	p.synced = max(p.synced, p.syncOff)
	return nil
}

// checkpoint makes everything written so far durable and records it in
// the sidecar.
func (p *part) checkpoint() error {
	if err := p.wait(); err != nil {
		return err
	}
	if p.done == p.synced {
		if _, err := os.Stat(SidecarPath(p.path)); err == nil || p.done == 0 {
			return nil
		}
	}
	if err := p.commit(p.done, p.h.Sum(nil)); err != nil {
		return fmt.Errorf("%w: %w", ErrStorage, err)
	}
	p.synced = p.done
	return nil
}

// commit fsyncs the data, then has the sidecar vouch for off, whose bytes
// hash to sum: in that order, so the sidecar never claims more than the
// disk holds. It may run beside writes past off.
func (p *part) commit(off int64, sum []byte) error {
	if err := p.syncFile(p.f); err != nil {
		return err
	}
	line := fmt.Sprintf("%s %d %x\n", sidecarMagic, off, sum)
	return writeFileAtomic(SidecarPath(p.path), []byte(line), p.syncFile)
}

// syncFile fsyncs f without holding a Go processor where io_uring allows
// (a checkpoint runs beside the download), else with f.Sync.
func (p *part) syncFile(f *os.File) error {
	if !p.sringTried {
		p.sring, p.sringTried = newURing(), true
	}
	if p.sring != nil {
		err := p.sring.fsync(f)
		if !errors.Is(err, errURing) {
			return err
		}
		p.sring.close()
		p.sring = nil
	}
	return f.Sync()
}

// verify reports whether the file's SHA-256 is want.
func (p *part) verify(want [32]byte) bool {
	return bytes.Equal(p.h.Sum(nil), want[:])
}

// discard empties the partial file, so the next download starts afresh.
func (p *part) discard() {
	p.wait() // or a late sidecar would vouch for bytes that are gone
	os.Remove(SidecarPath(p.path))
	p.f.Truncate(0)
	p.done, p.synced, p.woff = 0, 0, 0
	p.h.Reset()
}

func (p *part) close() error {
	p.wait()
	p.sring.close()
	p.direct.close()
	return p.f.Close()
}

// readSidecar parses a sidecar; ok is false when there is none or it is
// damaged.
func readSidecar(path string) (off int64, sum []byte, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 4096 {
		return 0, nil, false
	}
	rest, found := strings.CutPrefix(strings.TrimSpace(string(b)), sidecarMagic+" ")
	if !found {
		return 0, nil, false
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return 0, nil, false
	}
	off, err = strconv.ParseInt(fields[0], 10, 64)
	if err != nil || off < 0 {
		return 0, nil, false
	}
	if len(fields) > 1 {
		fmt.Sscanf(fields[1], "%x", &sum)
	}
	return off, sum, true
}

// VerifiedOffset reports how many bytes of a partial file its sidecar
// vouches for (0 without one). A Fetch into partPath resumes from there.
func VerifiedOffset(partPath string) int64 {
	off, _, ok := readSidecar(SidecarPath(partPath))
	if !ok {
		return 0
	}
	return off
}

// writeFileAtomic replaces path with data: a temporary file, fsynced,
// renamed over it, and the folder fsynced so the rename lasts. sync
// fsyncs a file.
func writeFileAtomic(path string, data []byte, sync func(*os.File) error) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := sync(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		sync(d) // not supported everywhere (Windows); best effort
		d.Close()
	}
	return nil
}
