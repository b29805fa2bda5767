package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/encoding/protowire"
)

// WriteFrame writes payload as one frame: its length as an unsigned varint,
// then the bytes. When w is a *bufio.Writer the caller flushes.
func WriteFrame(w io.Writer, payload []byte) error {
	if bw, ok := w.(*bufio.Writer); ok {
		var hdr [binary.MaxVarintLen64]byte
		n := binary.PutUvarint(hdr[:], uint64(len(payload)))
		if _, err := bw.Write(hdr[:n]); err != nil {
			return fmt.Errorf("writing frame: %w", err)
		}
		if _, err := bw.Write(payload); err != nil {
			return fmt.Errorf("writing frame: %w", err)
		}
		return nil
	}
	// One Write, so an unbuffered stream sends one packet, not two.
	buf := make([]byte, 0, protowire.SizeVarint(uint64(len(payload)))+len(payload))
	buf = protowire.AppendVarint(buf, uint64(len(payload)))
	buf = append(buf, payload...)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("writing frame: %w", err)
	}
	return nil
}

// ReadFrame reads one frame of at most max bytes into a new buffer. At a
// clean end of stream (no byte of a new frame read) it returns io.EOF
// unwrapped; a stream that ends inside a frame gives ErrTruncated; a frame
// announcing more than max bytes gives ErrFrameTooLarge without reading or
// allocating its body.
func ReadFrame(r *bufio.Reader, max int) ([]byte, error) {
	// A non-nil empty buffer: an empty frame reads as []byte{}, not nil,
	// and a longer one gets a buffer of exactly its size.
	return ReadFrameInto(r, max, []byte{})
}

// ReadFrameInto is ReadFrame reading into buf when the frame fits in its
// capacity, so a stream of large frames (file chunks) reuses one buffer.
// The result aliases buf and is valid until the next call. A frame above
// max is refused before anything is read or allocated.
func ReadFrameInto(r *bufio.Reader, max int, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		switch {
		case err == io.EOF:
			return nil, io.EOF
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("reading frame length: %w", ErrTruncated)
		default:
			// Overflowing varints, deadlines, resets.
			return nil, fmt.Errorf("reading frame length: %w", err)
		}
	}
	if max < 0 || n > uint64(max) {
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d", ErrFrameTooLarge, n, max)
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("reading frame body: %w", ErrTruncated)
		}
		return nil, fmt.Errorf("reading frame body: %w", err)
	}
	return buf, nil
}
