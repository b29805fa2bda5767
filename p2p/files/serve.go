package files

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/wire"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// serve answers a fetch: it asks OnFetch what to stream, checks the offset
// against it, then streams FileChunk frames from the offset to the end and
// closes the stream. Anything wrong after the OK reply (the file shrank,
// the peer stopped reading) resets the stream.
func (s *Service) serve(st network.Stream, from peer.ID, req wire.FileFetch) {
	f, size, err := s.openServed(from, req)
	if err != nil {
		s.reply(st, replyFor(err))
		return
	}
	defer f.Close()
	st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
	w := bufio.NewWriterSize(st, 256)
	if err := wire.WriteFrame(w, wire.FileReply{Status: wire.FileOK, Size: size}.Marshal()); err != nil {
		st.Reset()
		return
	}
	if err := w.Flush(); err != nil {
		st.Reset()
		return
	}
	var prog *progressor
	if s.cfg.OnServed != nil {
		prog = &progressor{f: func(sent int64) { s.cfg.OnServed(from, req.TransferID, sent) }}
	}
	if err := s.stream(st, f, req.Offset, size, prog); err != nil {
		st.Reset()
		return
	}
	st.Close()
}

// openServed asks OnFetch for the file and opens it, positioned at the
// requested offset. Its errors are refusals, sent as the reason.
func (s *Service) openServed(from peer.ID, req wire.FileFetch) (*os.File, int64, error) {
	if s.cfg.OnFetch == nil {
		return nil, 0, errUnknown
	}
	path, size, err := s.cfg.OnFetch(from, req.TransferID)
	if err != nil {
		return nil, 0, err
	}
	if size < 0 || size > MaxSize {
		return nil, 0, errors.New("the file is too large to send")
	}
	if req.Offset > size {
		return nil, 0, fmt.Errorf("offset %d is beyond the end of the file (%d bytes)", req.Offset, size)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, errors.New("the file cannot be read any more")
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() < size {
		f.Close()
		return nil, 0, errors.New("the file has changed since it was offered")
	}
	if _, err := f.Seek(req.Offset, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, errors.New("the file cannot be read any more")
	}
	return f, size, nil
}

// stream writes the chunks of f from off to size, telling prog (which may
// be nil) how far it got. One frame buffer is all it holds: each chunk is
// read from the file straight into it, between the frame's head and tail
// (wire.AppendFileChunkHead), and the stream's window throttles it to the
// receiver's pace.
func (s *Service) stream(st network.Stream, f *os.File, off, size int64, prog *progressor) error {
	chunk := int64(s.cfg.ChunkSize)
	const room = wire.MaxFileChunkHead
	buf := make([]byte, room+chunk+8)
	head := make([]byte, 0, room)
	for off < size {
		n := min(chunk, size-off)
		data := buf[room : room+n]
		if _, err := io.ReadFull(f, data); err != nil {
			return fmt.Errorf("reading the file: %w", err)
		}
		crc := crc32.Checksum(data, castagnoli)
		if s.testChunk != nil {
			s.testChunk(off, data)
		}
		head = wire.AppendFileChunkHead(head[:0], off, len(data))
		start := room - len(head)
		copy(buf[start:], head)
		frame := wire.AppendFileChunkTail(buf[:room+n], crc)
		st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
		if _, err := st.Write(frame[start:]); err != nil {
			return fmt.Errorf("sending a chunk: %w", err)
		}
		off += n
		prog.report(off, off == size)
	}
	return nil
}
