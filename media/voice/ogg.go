package voice

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Ogg framing (RFC 3533).
const (
	pageHeaderLen = 27
	maxSegments   = 255
	maxPageBody   = maxSegments * 255

	flagContinued = 0x01
	flagBOS       = 0x02
	flagEOS       = 0x04

	// noGranule marks a page on which no packet ends.
	noGranule = -1
)

var oggMagic = [4]byte{'O', 'g', 'g', 'S'}

// crcTable is Ogg's CRC-32: polynomial 0x04c11db7, MSB first, no reflection,
// zero initial value and no final xor (so not hash/crc32's IEEE variant).
var crcTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

func oggCRC(crc uint32, b []byte) uint32 {
	for _, x := range b {
		crc = crc<<8 ^ crcTable[byte(crc>>24)^x]
	}
	return crc
}

// oggWriter muxes the packets of one logical stream into pages. Packets
// queue on the current page until flush; a packet that would overflow the
// segment table first flushes the page.
type oggWriter struct {
	w       io.Writer
	serial  uint32
	seq     uint32
	bos     bool // the next page is the first
	segs    []byte
	body    []byte
	granule int64 // of the last packet queued on the current page
	packets int   // queued on the current page
}

func newOggWriter(w io.Writer, serial uint32) *oggWriter {
	return &oggWriter{w: w, serial: serial, bos: true}
}

// add queues one packet ending at granule. Packets never span pages: ours
// are at most a few kilobytes, far below a page's 65025 bytes.
func (o *oggWriter) add(packet []byte, granule int64) error {
	n := len(packet)/255 + 1
	if n > maxSegments {
		return fmt.Errorf("muxing ogg: %d-byte packet: %w", len(packet), ErrTooLarge)
	}
	if len(o.segs)+n > maxSegments {
		if err := o.flush(0); err != nil {
			return err
		}
	}
	for range n - 1 {
		o.segs = append(o.segs, 255)
	}
	o.segs = append(o.segs, byte(len(packet)%255))
	o.body = append(o.body, packet...)
	o.granule = granule
	o.packets++
	return nil
}

// flush writes the queued packets as one page; flags may add flagEOS.
func (o *oggWriter) flush(flags byte) error {
	if o.bos {
		flags |= flagBOS
		o.bos = false
	}
	granule := o.granule
	if o.packets == 0 {
		granule = noGranule
	}
	page := make([]byte, pageHeaderLen, pageHeaderLen+len(o.segs)+len(o.body))
	copy(page, oggMagic[:])
	page[4] = 0 // version
	page[5] = flags
	binary.LittleEndian.PutUint64(page[6:], uint64(granule))
	binary.LittleEndian.PutUint32(page[14:], o.serial)
	binary.LittleEndian.PutUint32(page[18:], o.seq)
	page[26] = byte(len(o.segs))
	page = append(page, o.segs...)
	page = append(page, o.body...)
	binary.LittleEndian.PutUint32(page[22:], oggCRC(0, page))
	o.seq++
	o.segs, o.body, o.packets = o.segs[:0], o.body[:0], 0
	if _, err := o.w.Write(page); err != nil {
		return fmt.Errorf("writing ogg page: %w", err)
	}
	return nil
}

// oggPage is one page read by oggReader. Its slices stay valid until the
// next call to next.
type oggPage struct {
	flags   byte
	granule int64
	// packets holds the packets that end on this page, the first one
	// completed with the part carried over from earlier pages.
	packets [][]byte
	// open reports that the page ends inside a packet that goes on.
	open bool
}

// oggReader demuxes one logical Ogg stream, checking the framing: magic,
// version, CRC, a single serial number, consecutive sequence numbers, BOS
// first and nothing after EOS, continuation flags. It holds one page and one
// partial packet of at most maxPacket bytes.
type oggReader struct {
	r         *bufio.Reader
	maxPacket int

	hdr     [pageHeaderLen]byte
	segs    [maxSegments]byte
	body    []byte
	partial []byte // packet begun on an earlier page, nil when none
	pkts    [][]byte

	pages  int
	serial uint32
	seq    uint32
	eos    bool
}

func newOggReader(r io.Reader, maxPacket int) *oggReader {
	return &oggReader{r: bufio.NewReaderSize(r, 64<<10), maxPacket: maxPacket, body: make([]byte, maxPageBody)}
}

// next returns the next page; io.EOF after the end-of-stream page when the
// file ends there; ErrTruncated when it ends before.
func (o *oggReader) next() (*oggPage, error) {
	if o.eos {
		if _, err := o.r.ReadByte(); err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%w: data after the end of the stream", ErrMalformed)
	}
	n, err := io.ReadFull(o.r, o.hdr[:])
	h := o.hdr[:]
	if !bytes.HasPrefix(oggMagic[:], h[:min(n, 4)]) {
		return nil, fmt.Errorf("%w: page %d: no OggS capture pattern", ErrMalformed, o.pages)
	}
	if err != nil {
		return nil, readErr("page header", err)
	}
	if h[4] != 0 {
		return nil, fmt.Errorf("%w: page %d: ogg version %d", ErrMalformed, o.pages, h[4])
	}
	flags := h[5]
	if flags&^(flagContinued|flagBOS|flagEOS) != 0 {
		return nil, fmt.Errorf("%w: page %d: flags %#x", ErrMalformed, o.pages, flags)
	}
	serial := binary.LittleEndian.Uint32(h[14:])
	seq := binary.LittleEndian.Uint32(h[18:])
	if o.pages == 0 {
		if flags&flagBOS == 0 {
			return nil, fmt.Errorf("%w: first page lacks the beginning-of-stream flag", ErrMalformed)
		}
		o.serial = serial
	} else {
		switch {
		case flags&flagBOS != 0:
			return nil, fmt.Errorf("%w: page %d: a second stream begins (multiplexed or chained files are not voice notes)", ErrMalformed, o.pages)
		case serial != o.serial:
			return nil, fmt.Errorf("%w: page %d: serial %#x, stream is %#x", ErrMalformed, o.pages, serial, o.serial)
		case seq != o.seq+1:
			return nil, fmt.Errorf("%w: page %d: sequence %d after %d (a page is missing)", ErrMalformed, o.pages, seq, o.seq)
		}
	}
	o.seq = seq
	nsegs := int(h[26])
	if _, err := io.ReadFull(o.r, o.segs[:nsegs]); err != nil {
		return nil, readErr("segment table", err)
	}
	size := 0
	for _, l := range o.segs[:nsegs] {
		size += int(l)
	}
	body := o.body[:size]
	if _, err := io.ReadFull(o.r, body); err != nil {
		return nil, readErr("page body", err)
	}
	want := binary.LittleEndian.Uint32(h[22:])
	clear(h[22:26])
	crc := oggCRC(0, h)
	crc = oggCRC(crc, o.segs[:nsegs])
	crc = oggCRC(crc, body)
	if crc != want {
		return nil, fmt.Errorf("%w: page %d: bad checksum", ErrMalformed, o.pages)
	}

	if cont := flags&flagContinued != 0; cont != (o.partial != nil) {
		if cont {
			return nil, fmt.Errorf("%w: page %d continues a packet that never began", ErrMalformed, o.pages)
		}
		return nil, fmt.Errorf("%w: page %d does not continue the unfinished packet", ErrMalformed, o.pages)
	}
	p := &oggPage{flags: flags, granule: int64(binary.LittleEndian.Uint64(h[6:]))}
	o.pkts = o.pkts[:0]
	start, end := 0, 0
	for i, l := range o.segs[:nsegs] {
		end += int(l)
		if l == 255 {
			if i < nsegs-1 {
				continue
			}
			// The page ends inside a packet that goes on.
			if err := o.keep(body[start:end]); err != nil {
				return nil, err
			}
			p.open = true
			break
		}
		chunk := body[start:end]
		start = end
		if o.partial != nil {
			if err := o.keep(chunk); err != nil {
				return nil, err
			}
			chunk, o.partial = o.partial, nil
		}
		if len(chunk) > o.maxPacket {
			return nil, fmt.Errorf("%w: page %d: %d-byte packet", ErrTooLarge, o.pages, len(chunk))
		}
		o.pkts = append(o.pkts, chunk)
	}
	p.packets = o.pkts
	o.pages++
	if flags&flagEOS != 0 {
		if p.open {
			return nil, fmt.Errorf("%w: the stream ends inside a packet", ErrMalformed)
		}
		o.eos = true
	}
	return p, nil
}

// keep appends part of a packet that continues, within maxPacket.
func (o *oggReader) keep(chunk []byte) error {
	if len(o.partial)+len(chunk) > o.maxPacket {
		return fmt.Errorf("%w: page %d: packet above %d bytes", ErrTooLarge, o.pages, o.maxPacket)
	}
	if o.partial == nil {
		o.partial = make([]byte, 0, min(o.maxPacket, 2*len(chunk)+256))
	}
	o.partial = append(o.partial, chunk...)
	return nil
}

// readErr maps a short read to ErrTruncated.
func readErr(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: file ends in or before a %s", ErrTruncated, what)
	}
	return fmt.Errorf("reading %s: %w", what, err)
}
