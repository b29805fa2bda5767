package voice

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"

	"hearth/media/device"
)

const (
	sampleRate = device.SampleRate

	// preSkip is libopus's encoder lookahead at 48 kHz for
	// OPUS_APPLICATION_VOIP (what mediadevices asks for): Fs/400 + Fs/250.
	// mediadevices does not expose OPUS_GET_LOOKAHEAD, hence the constant.
	preSkip = sampleRate/400 + sampleRate/250

	// maxFileSize bounds a voice note: five minutes at even 510 kbit/s (Opus'
	// highest rate) fit in 20 MB; ours take about a megabyte.
	maxFileSize = 24 << 20
	// maxHeaderPacket bounds OpusHead and OpusTags (other muxers may put
	// cover art in OpusTags; we only skip over it).
	maxHeaderPacket = 256 << 10
	// maxAudioPacket bounds one Opus packet, as the decoder does.
	maxAudioPacket = device.MaxOpusPacketSize

	vendor = "hearth"

	// maxPlayable bounds what Info accepts. Ours stop at MaxDuration; the
	// margin leaves room for a later version to allow longer notes. Without a
	// bound a small file of tiny packets could claim hours of audio for
	// Decode to grind through.
	maxPlayable = 6 * MaxDuration
)

// opusHead builds the identification header (RFC 7845 §5.1) of a mono stream.
func opusHead() []byte {
	b := make([]byte, 19)
	copy(b, "OpusHead")
	b[8] = 1 // version
	b[9] = 1 // channels
	binary.LittleEndian.PutUint16(b[10:], preSkip)
	binary.LittleEndian.PutUint32(b[12:], sampleRate)
	// b[16:18] output gain 0 dB, b[18] mapping family 0
	return b
}

// opusTags builds the comment header (RFC 7845 §5.2) with no comments.
func opusTags() []byte {
	b := make([]byte, 0, 16+len(vendor))
	b = append(b, "OpusTags"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(vendor)))
	b = append(b, vendor...)
	return binary.LittleEndian.AppendUint32(b, 0)
}

// head is what the decoder needs from OpusHead.
type head struct {
	channels int
	preSkip  int64
	gain     int16 // Q7.8 dB
}

func parseHead(b []byte) (head, error) {
	if len(b) < 8 || string(b[:8]) != "OpusHead" {
		return head{}, fmt.Errorf("%w: first packet is not OpusHead", ErrMalformed)
	}
	if len(b) < 19 {
		return head{}, fmt.Errorf("%w: %d-byte OpusHead", ErrMalformed, len(b))
	}
	if b[8]&0xf0 != 0 {
		return head{}, fmt.Errorf("%w: OpusHead version %d", ErrUnsupported, b[8])
	}
	h := head{
		channels: int(b[9]),
		preSkip:  int64(binary.LittleEndian.Uint16(b[10:])),
		gain:     int16(binary.LittleEndian.Uint16(b[16:])),
	}
	if h.channels == 0 {
		return head{}, fmt.Errorf("%w: OpusHead has no channels", ErrMalformed)
	}
	if b[18] != 0 || h.channels > 2 {
		return head{}, fmt.Errorf("%w: channel mapping family %d with %d channels", ErrUnsupported, b[18], h.channels)
	}
	return h, nil
}

func checkTags(b []byte) error {
	if len(b) < 8 || string(b[:8]) != "OpusTags" {
		return fmt.Errorf("%w: second packet is not OpusTags", ErrMalformed)
	}
	b = b[8:]
	// vendor string, comment count, then length-prefixed comments
	next := func() ([]byte, bool) {
		if len(b) < 4 {
			return nil, false
		}
		n := binary.LittleEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return nil, false
		}
		s := b[4 : 4+n]
		b = b[4+n:]
		return s, true
	}
	if _, ok := next(); !ok {
		return fmt.Errorf("%w: OpusTags vendor string overruns the packet", ErrMalformed)
	}
	if len(b) < 4 {
		return fmt.Errorf("%w: OpusTags lacks a comment count", ErrMalformed)
	}
	count := binary.LittleEndian.Uint32(b)
	b = b[4:]
	if uint64(count)*4 > uint64(len(b)) {
		return fmt.Errorf("%w: OpusTags claims %d comments", ErrMalformed, count)
	}
	for range count {
		if _, ok := next(); !ok {
			return fmt.Errorf("%w: an OpusTags comment overruns the packet", ErrMalformed)
		}
	}
	return nil
}

// packetSamples is the duration of an Opus packet in 48 kHz samples, from
// its TOC byte and frame count (RFC 6716 §3.1), or 0 if it is malformed.
func packetSamples(p []byte) int64 {
	if len(p) == 0 {
		return 0
	}
	config := p[0] >> 3
	var frame int64
	switch {
	case config < 12: // SILK: 10, 20, 40, 60 ms
		frame = [4]int64{480, 960, 1920, 2880}[config%4]
	case config < 16: // hybrid: 10, 20 ms
		frame = [2]int64{480, 960}[config%2]
	default: // CELT: 2.5, 5, 10, 20 ms
		frame = [4]int64{120, 240, 480, 960}[config%4]
	}
	frames := int64(1)
	switch p[0] & 3 {
	case 1, 2:
		frames = 2
	case 3:
		if len(p) < 2 {
			return 0
		}
		frames = int64(p[1] & 0x3f)
	}
	if n := frames * frame; n > 0 && n <= 5760 { // at most 120 ms
		return n
	}
	return 0
}

// stream is what scanning a voice note found.
type stream struct {
	head
	// samples is the number of samples to play: the last granule position
	// minus the pre-skip.
	samples int64
}

func (s stream) duration() time.Duration {
	return time.Duration(s.samples) * time.Second / sampleRate
}

// scan reads a voice note end to end and checks it. onPacket, when not nil,
// gets each audio packet (valid until it returns) in order; an error from it
// ends the scan.
func scan(path string, onPacket func(head, []byte) error) (stream, error) {
	f, err := os.Open(path)
	if err != nil {
		return stream{}, fmt.Errorf("opening voice note: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return stream{}, fmt.Errorf("opening voice note: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return stream{}, fmt.Errorf("%w: not a regular file", ErrMalformed)
	}
	if fi.Size() == 0 {
		return stream{}, fmt.Errorf("%w: empty file", ErrMalformed)
	}
	if fi.Size() > maxFileSize {
		return stream{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, fi.Size())
	}
	// The limit also guards against a file that grows while we read it.
	s, err := scanOgg(io.LimitReader(f, maxFileSize+1), onPacket)
	if err != nil {
		return stream{}, fmt.Errorf("reading voice note: %w", err)
	}
	return s, nil
}

func scanOgg(r io.Reader, onPacket func(head, []byte) error) (stream, error) {
	or := newOggReader(r, maxHeaderPacket)
	var (
		s        stream
		packets  int   // packets seen, headers included
		total    int64 // samples in the audio packets so far
		granule  int64 = noGranule
		pageNo   int
		sawAudio bool
	)
	for ; ; pageNo++ {
		p, err := or.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return stream{}, err
		}
		for _, pkt := range p.packets {
			switch packets {
			case 0:
				if s.head, err = parseHead(pkt); err != nil {
					return stream{}, err
				}
				if len(p.packets) != 1 || p.open {
					return stream{}, fmt.Errorf("%w: OpusHead does not have the first page to itself", ErrMalformed)
				}
			case 1:
				if err := checkTags(pkt); err != nil {
					return stream{}, err
				}
				if len(p.packets) != 1 || p.open {
					return stream{}, fmt.Errorf("%w: audio shares the page that ends OpusTags", ErrMalformed)
				}
				or.maxPacket = maxAudioPacket
			default:
				n := packetSamples(pkt)
				if n == 0 {
					return stream{}, fmt.Errorf("%w: audio packet %d has a bad TOC", ErrMalformed, packets-2)
				}
				total += n
				sawAudio = true
				if onPacket != nil {
					if err := onPacket(s.head, pkt); err != nil {
						return stream{}, err
					}
				}
			}
			packets++
		}
		if packets == 0 && pageNo == 0 {
			return stream{}, fmt.Errorf("%w: OpusHead does not end on the first page", ErrMalformed)
		}
		if p.granule == noGranule {
			continue
		}
		if packets <= 2 {
			if p.granule != 0 {
				return stream{}, fmt.Errorf("%w: header page with granule position %d", ErrMalformed, p.granule)
			}
			continue
		}
		switch {
		case p.granule < 0 || p.granule > total:
			return stream{}, fmt.Errorf("%w: granule position %d with %d samples of audio", ErrMalformed, p.granule, total)
		case p.granule < granule:
			return stream{}, fmt.Errorf("%w: granule position goes back from %d to %d", ErrMalformed, granule, p.granule)
		}
		granule = p.granule
	}
	if !sawAudio || granule == noGranule {
		return stream{}, fmt.Errorf("%w: no audio", ErrMalformed)
	}
	if granule < s.preSkip {
		return stream{}, fmt.Errorf("%w: granule position %d below pre-skip %d", ErrMalformed, granule, s.preSkip)
	}
	s.samples = granule - s.preSkip
	if s.duration() > maxPlayable {
		return stream{}, fmt.Errorf("%w: %v of audio", ErrTooLarge, s.duration().Round(time.Second))
	}
	return s, nil
}
