package voice

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pion/mediadevices/pkg/codec/opus"
	"github.com/pion/mediadevices/pkg/io/audio"
	"github.com/pion/mediadevices/pkg/prop"
	"github.com/pion/mediadevices/pkg/wave"
)

// tonePackets encodes d of a 440 Hz tone with the encoder Record uses, as
// fast as the CPU allows.
func tonePackets(t testing.TB, d time.Duration) [][]byte {
	t.Helper()
	op, err := opus.NewParams()
	if err != nil {
		t.Fatal(err)
	}
	op.BitRate = bitRate
	chunks := int(d / (20 * time.Millisecond))
	phase := 0
	src := audio.ReaderFunc(func() (wave.Audio, func(), error) {
		if chunks == 0 {
			return nil, func() {}, io.EOF
		}
		chunks--
		a := wave.NewInt16Interleaved(wave.ChunkInfo{Channels: 1, Len: 960, SamplingRate: sampleRate})
		for i := range a.Data {
			a.Data[i] = int16(8000 * math.Sin(2*math.Pi*440*float64(phase)/sampleRate))
			phase++
		}
		return a, func() {}, nil
	})
	enc, err := op.BuildAudioEncoder(src, prop.Media{Audio: prop.Audio{SampleRate: sampleRate, ChannelCount: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	var pkts [][]byte
	for {
		b, release, err := enc.Read()
		if err != nil {
			break
		}
		pkts = append(pkts, bytes.Clone(b))
		release()
	}
	return pkts
}

// noteBytes muxes packets as Record does.
func noteBytes(t testing.TB, pkts [][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := newNoteWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		if err := w.write(p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.finish(math.MaxInt64); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeTemp(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "note.ogg")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pg is a raw Ogg page for building hostile files.
type pg struct {
	flags   byte
	granule int64
	serial  uint32
	seq     uint32
	lacing  []byte
	body    []byte
}

const testSerial = 0x1234

// page lays out complete packets on one page.
func page(flags byte, granule int64, seq uint32, pkts ...[]byte) pg {
	p := pg{flags: flags, granule: granule, serial: testSerial, seq: seq}
	for _, pkt := range pkts {
		for n := len(pkt); ; n -= 255 {
			if n < 255 {
				p.lacing = append(p.lacing, byte(n))
				break
			}
			p.lacing = append(p.lacing, 255)
		}
		p.body = append(p.body, pkt...)
	}
	return p
}

func (p pg) bytes() []byte {
	b := make([]byte, 27)
	copy(b, "OggS")
	b[5] = p.flags
	binary.LittleEndian.PutUint64(b[6:], uint64(p.granule))
	binary.LittleEndian.PutUint32(b[14:], p.serial)
	binary.LittleEndian.PutUint32(b[18:], p.seq)
	b[26] = byte(len(p.lacing))
	b = append(b, p.lacing...)
	b = append(b, p.body...)
	binary.LittleEndian.PutUint32(b[22:], oggCRC(0, b))
	return b
}

func file(pages ...pg) []byte {
	var b []byte
	for _, p := range pages {
		b = append(b, p.bytes()...)
	}
	return b
}

// headerPages are a valid OpusHead and OpusTags, pages 0 and 1.
func headerPages() []pg {
	return []pg{page(flagBOS, 0, 0, opusHead()), page(0, 0, 1, opusTags())}
}

// minimal builds a stream from the header pages and the given audio pages.
func minimal(audio ...pg) []byte {
	return file(append(headerPages(), audio...)...)
}

// celt20 is a 20 ms CELT packet header with a few payload bytes.
var celt20 = []byte{31 << 3, 0x01, 0x02, 0x03}
