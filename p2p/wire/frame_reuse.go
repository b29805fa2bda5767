package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

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
