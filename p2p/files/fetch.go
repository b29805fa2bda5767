package files

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"path/filepath"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/wire"
)

// errBadChunk: a chunk's checksum failed; Fetch fetches again.
var errBadChunk = errors.New("chunk checksum mismatch")

// Fetch pulls o from p into partPath, resuming from what its sidecar
// (partPath + ".ok") says is verified, and returns nil only when the whole
// file is there and its SHA-256 matches o.SHA256. It calls progress (which
// may be nil) with the bytes verified so far: once at the start, at most
// every 100 ms, and once at the end. It never moves the file: the caller
// scans it and moves it into place (and removes the sidecar).
//
// Cancelling ctx pauses the download: Fetch makes what it wrote durable
// and returns ctx's error, and a later Fetch goes on from there. A chunk
// with a bad checksum is dropped with its stream and fetched again from
// the last verified byte; after MaxCorruptRetries such failures in a row
// Fetch returns ErrCorrupt. A refusal by the sender (unknown, paused,
// cancelled) is ErrRefused wrapping its reason; ErrHashMismatch means the
// data is not the offered file and the partial file was emptied.
func (s *Service) Fetch(ctx context.Context, p peer.ID, o Offer, partPath string, progress func(done int64)) error {
	wo := toWire(o)
	if err := wo.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	key, err := s.claim(partPath)
	if err != nil {
		return err
	}
	defer s.release(key)
	pf, err := openPart(partPath, o.Size)
	if err != nil {
		return fmt.Errorf("fetching %s: %w", o.TransferID, err)
	}
	defer pf.close()
	prog := &progressor{f: progress}
	prog.report(pf.done, true)

	failures := 0
	for pf.done < o.Size {
		before := pf.done
		err := s.fetchOnce(ctx, p, o, pf, prog)
		if err == nil {
			break
		}
		if errors.Is(err, errBadChunk) && ctx.Err() == nil {
			if pf.done > before {
				failures = 0
			}
			if failures++; failures < MaxCorruptRetries {
				continue
			}
			err = ErrCorrupt
		}
		if cerr := pf.checkpoint(); cerr != nil {
			err = errors.Join(err, cerr)
		}
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("fetching %s: paused at %d bytes: %w", o.TransferID, pf.done, ctx.Err())
		case s.isClosed():
			return ErrClosed
		}
		return wrap(err, "fetching %s", o.TransferID)
	}
	if err := pf.checkpoint(); err != nil {
		return fmt.Errorf("fetching %s: %w", o.TransferID, err)
	}
	if !pf.verify(o.SHA256) {
		pf.discard()
		return fmt.Errorf("fetching %s: %w", o.TransferID, ErrHashMismatch)
	}
	prog.report(pf.done, true)
	return nil
}

// claim marks a partial file as being written, so two Fetches never
// interleave their writes.
func (s *Service) claim(partPath string) (string, error) {
	key, err := filepath.Abs(partPath)
	if err != nil {
		key = filepath.Clean(partPath)
	}
	if s.isClosed() {
		return "", ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fetching[key] {
		return "", ErrBusy
	}
	s.fetching[key] = true
	return key, nil
}

func (s *Service) release(key string) {
	s.mu.Lock()
	delete(s.fetching, key)
	s.mu.Unlock()
}

// fetchOnce asks p for the file from pf.done and writes what arrives
// until the end, on one stream. Three goroutines share the work so that
// decryption, writing and hashing overlap on a multi-core machine: receive
// reads and checks chunks and gathers their data into blocks (block.go),
// writeBlocks writes the blocks to the partial file, and this one hashes
// each block while it is written, then counts it in, checkpoints and
// reports progress. The data passes through in order, in blockCount
// blocks that go round.
func (s *Service) fetchOnce(ctx context.Context, p peer.ID, o Offer, pf *part, prog *progressor) error {
	req := wire.FileRequest{Fetch: &wire.FileFetch{TransferID: o.TransferID, Offset: pf.done}}
	st, r, err := s.open(ctx, p, req)
	if err != nil {
		return err
	}
	defer s.streams.Untrack(st, false)
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	rep, err := s.readReply(st, r)
	if err != nil {
		st.Reset()
		return err
	}
	if rep.Size != o.Size {
		st.Reset()
		return fmt.Errorf("%w: offered %d bytes, serves %d", ErrSizeMismatch, o.Size, rep.Size)
	}

	pf.woff = pf.done
	free := make(chan *block, blockCount)
	for i, b := range pf.blocks {
		if b == nil {
			b = newBlock()
			pf.blocks[i] = b
		}
		free <- b
	}
	full := make(chan *block, blockCount)
	hashing := make(chan *block, blockCount)
	recvErr := make(chan error, 1)
	go func() {
		defer close(full)
		recvErr <- s.receive(st, r, pf, o.Size, free, full)
	}()
	go func() {
		defer close(hashing)
		writeBlocks(pf, st, full, hashing)
	}()
	// A block is hashed while it is being written, and counted in once
	// both are done.
	var werr, herr error
	for b := range hashing {
		if werr == nil && herr == nil {
			pf.hashAhead(b.data)
		}
		err := <-b.wrote
		if werr == nil && herr == nil {
			if err != nil {
				pf.unhash()
				werr = err // the writer reset the stream
			} else {
				pf.counted(len(b.data))
				if herr = pf.checkpointEvery(s.cfg.Checkpoint); herr != nil {
					st.Reset() // stops receive
				} else {
					prog.report(pf.done, false)
				}
			}
		}
		free <- b
	}
	err = <-recvErr
	// All blocks are back in free (receive returned the one it filled):
	// drain it so the next attempt starts with none queued.
	for range pf.blocks {
		<-free
	}
	if werr != nil {
		return werr
	}
	if herr != nil {
		return herr
	}
	if err != nil {
		st.Reset()
		return err
	}
	st.Close()
	return nil
}

// writeBlocks hands each block from full on to hashing and writes it to
// the partial file meanwhile, then says how that went on the block's
// wrote. After a failed write it resets the stream (which stops receive)
// and writes nothing more.
func writeBlocks(pf *part, st network.Stream, full <-chan *block, hashing chan<- *block) {
	var err error
	for b := range full {
		hashing <- b
		if err == nil {
			if err = pf.write(b.data); err != nil {
				st.Reset()
			}
		}
		b.wrote <- err
	}
}

// receive reads chunks from pf.done to size, checks each (offset, bounds,
// checksum) and gathers their data into blocks taken from free (see
// chunkReader), handing each on to full when it is full, at the end, and
// when the stream fails (what was verified before the failure is kept).
func (s *Service) receive(st network.Stream, r *bufio.Reader, pf *part, size int64, free chan *block, full chan<- *block) error {
	cr := &chunkReader{r: r, frame: pf.frame, free: free, full: full}
	defer func() {
		cr.pass()
		pf.frame = cr.frame // keep a buffer that grew for the next fetch
	}()
	for off := pf.done; off < size; {
		st.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		n, err := cr.next(off, size)
		if err != nil {
			return err
		}
		off += int64(n)
	}
	return nil
}

// checkChunk decodes a chunk frame, checks it is the next one, within the
// file, and intact, and returns its data (part of b).
func checkChunk(b []byte, off, size int64) ([]byte, error) {
	var c wire.FileChunk
	if err := c.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("%w: chunk: %v", ErrProtocol, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%w: chunk: %v", ErrProtocol, err)
	}
	if c.Offset != off {
		return nil, fmt.Errorf("%w: chunk at %d, expected %d", ErrProtocol, c.Offset, off)
	}
	if int64(len(c.Data)) > size-off {
		return nil, fmt.Errorf("%w: chunk runs past the end of the file", ErrProtocol)
	}
	if crc32.Checksum(c.Data, castagnoli) != c.CRC {
		return nil, fmt.Errorf("%w at offset %d", errBadChunk, c.Offset)
	}
	return c.Data, nil
}

// progressor calls a progress function at most every progressEvery.
type progressor struct {
	f    func(int64)
	last time.Time
}

func (p *progressor) report(done int64, always bool) {
	if p == nil || p.f == nil {
		return
	}
	if now := time.Now(); always || now.Sub(p.last) >= progressEvery {
		p.last = now
		p.f(done)
	}
}
