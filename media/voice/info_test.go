package voice

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestOggRoundTrip(t *testing.T) {
	sizes := []int{0, 1, 254, 255, 256, 510, 4000, 1, 0}
	var pkts [][]byte
	for i, n := range sizes {
		p := make([]byte, n)
		for j := range p {
			p[j] = byte(i + j)
		}
		pkts = append(pkts, p)
	}
	var buf bytes.Buffer
	w := newOggWriter(&buf, 7)
	for i, p := range pkts {
		if err := w.add(p, int64(i)); err != nil {
			t.Fatal(err)
		}
		if i%3 == 2 && i < len(pkts)-1 {
			if err := w.flush(0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.flush(flagEOS); err != nil {
		t.Fatal(err)
	}
	r := newOggReader(&buf, 1<<16)
	var got [][]byte
	var granules []int64
	for {
		p, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, pkt := range p.packets {
			got = append(got, bytes.Clone(pkt))
		}
		granules = append(granules, p.granule)
	}
	if len(got) != len(pkts) {
		t.Fatalf("%d packets back, %d written", len(got), len(pkts))
	}
	for i := range got {
		if !bytes.Equal(got[i], pkts[i]) {
			t.Errorf("packet %d: %d bytes back, %d written", i, len(got[i]), len(pkts[i]))
		}
	}
	if want := []int64{2, 5, 8}; len(granules) != 3 || granules[0] != want[0] || granules[1] != want[1] || granules[2] != want[2] {
		t.Errorf("granules %v, want %v", granules, want)
	}
}

// A packet spanning pages (as other muxers write OpusTags) is reassembled.
func TestOggSpanningPacket(t *testing.T) {
	tags := append(opusTags(), make([]byte, 70000)...) // trailing bytes after the comments are allowed
	head := page(flagBOS, 0, 0, opusHead())
	var lacing []byte
	for range 255 {
		lacing = append(lacing, 255)
	}
	p1 := pg{flags: 0, granule: noGranule, serial: testSerial, seq: 1, lacing: lacing, body: tags[:255*255]}
	p2 := page(flagContinued, 0, 2, tags[255*255:])
	audio := page(flagEOS, 960, 3, celt20)
	path := writeTemp(t, file(head, p1, p2, audio))
	d, err := Info(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Duration(960-preSkip) * time.Second / sampleRate; d != want {
		t.Fatalf("Info = %v, want %v", d, want)
	}
}

func TestPacketSamples(t *testing.T) {
	for _, c := range []struct {
		p    []byte
		want int64
	}{
		{nil, 0},
		{[]byte{0 << 3}, 480},              // SILK NB 10 ms
		{[]byte{3 << 3}, 2880},             // SILK 60 ms
		{[]byte{3<<3 | 1}, 5760},           // two 60 ms frames
		{[]byte{13 << 3}, 960},             // hybrid 20 ms
		{[]byte{16 << 3}, 120},             // CELT 2.5 ms
		{[]byte{31 << 3}, 960},             // CELT 20 ms
		{[]byte{31<<3 | 3}, 0},             // code 3 without a count
		{[]byte{31<<3 | 3, 0}, 0},          // zero frames
		{[]byte{31<<3 | 3, 6}, 5760},       // 6 × 20 ms
		{[]byte{31<<3 | 3, 7}, 0},          // 140 ms: too long
		{[]byte{16<<3 | 3, 48}, 5760},      // 48 × 2.5 ms
		{[]byte{3<<3 | 3, 0x80 | 2}, 5760}, // VBR flag, 2 × 60 ms
	} {
		if got := packetSamples(c.p); got != c.want {
			t.Errorf("packetSamples(% x) = %d, want %d", c.p, got, c.want)
		}
	}
}

func TestInfoOfEncodedNote(t *testing.T) {
	pkts := tonePackets(t, time.Second)
	path := writeTemp(t, noteBytes(t, pkts))
	d, err := Info(path)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Duration(len(pkts)*960-preSkip) * time.Second / sampleRate
	if d != want {
		t.Fatalf("Info = %v, want %v", d, want)
	}
	n := 0
	if err := Decode(path, func(pcm []int16) { n += len(pcm) }); err != nil {
		t.Fatal(err)
	}
	if n != len(pkts)*960-preSkip {
		t.Fatalf("decoded %d samples", n)
	}
}

func withHead(mut func(h []byte) []byte) []byte {
	h := mut(opusHead())
	return file(page(flagBOS, 0, 0, h), page(0, 0, 1, opusTags()), page(flagEOS, 960, 2, celt20))
}

func withTags(mut func(b []byte) []byte) []byte {
	return file(page(flagBOS, 0, 0, opusHead()), page(0, 0, 1, mut(opusTags())), page(flagEOS, 960, 2, celt20))
}

func TestHostileFiles(t *testing.T) {
	valid := noteBytes(t, tonePackets(t, 500*time.Millisecond))
	setByte := func(b []byte, i int, v byte) []byte {
		b = bytes.Clone(b)
		b[i] = v
		return b
	}
	// refix recomputes the CRC of the page at off after a change.
	refix := func(b []byte, off int) []byte {
		n := int(b[off+26])
		size := 0
		for _, l := range b[off+27 : off+27+n] {
			size += int(l)
		}
		end := off + 27 + n + size
		clear(b[off+22 : off+26])
		binary.LittleEndian.PutUint32(b[off+22:], oggCRC(0, b[off:end]))
		return b
	}
	garbage := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(garbage)
	all255 := make([]byte, 255)
	for i := range all255 {
		all255[i] = 255
	}
	hugeHeader := pg{flags: flagBOS, serial: testSerial, lacing: all255, body: make([]byte, 100)}.bytes()
	bigPacket := make([]byte, 255*255-1)
	bigPacket[0] = 31 << 3
	var spanning []pg
	spanning = append(spanning, page(flagBOS, 0, 0, opusHead()))
	for i := range 6 {
		flags := byte(0)
		if i > 0 {
			flags = flagContinued
		}
		spanning = append(spanning, pg{flags: flags, granule: noGranule, serial: testSerial, seq: uint32(i + 1), lacing: all255, body: make([]byte, 255*255)})
	}
	noEOS := bytes.Clone(valid)
	lastPage := bytes.LastIndex(noEOS, []byte("OggS"))
	noEOS[lastPage+5] &^= flagEOS
	noEOS = refix(noEOS, lastPage)
	otherStream := page(flagBOS, 0, 0, opusHead())
	otherStream.serial = 99
	wrongSerial := page(flagEOS, 960, 2, celt20)
	wrongSerial.serial = 99

	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"zero length", nil, ErrMalformed},
		{"garbage", garbage, ErrMalformed},
		{"capture pattern only", []byte("OggS"), ErrTruncated},
		{"wrong magic", setByte(valid, 0, 'P'), ErrMalformed},
		{"ogg version 1", refix(setByte(valid, 4, 1), 0), ErrMalformed},
		{"unknown flag", refix(setByte(valid, 5, 0x82), 0), ErrMalformed},
		{"bad checksum", setByte(valid, len(valid)-1, valid[len(valid)-1]^1), ErrMalformed},
		{"huge page, short body", hugeHeader, ErrTruncated},
		{"huge audio packet", minimal(page(flagEOS, 960, 2, bigPacket)), ErrTooLarge},
		{"header packet over many pages", file(spanning...), ErrTooLarge},
		{"no end of stream", noEOS, ErrTruncated},
		{"headers only, cut", file(headerPages()...), ErrTruncated},
		{"trailing data", append(bytes.Clone(valid), 0), ErrMalformed},
		{"chained stream", append(bytes.Clone(valid), otherStream.bytes()...), ErrMalformed},
		{"wrong serial", minimal(wrongSerial), ErrMalformed},
		{"missing page", minimal(page(flagEOS, 960, 3, celt20)), ErrMalformed},
		{"no BOS", file(page(0, 0, 0, opusHead())), ErrMalformed},
		{"second BOS", minimal(page(flagBOS|flagEOS, 960, 2, celt20)), ErrMalformed},
		{"not OpusHead", withHead(func(h []byte) []byte { h[7] = 'X'; return h }), ErrMalformed},
		{"short OpusHead", withHead(func(h []byte) []byte { return h[:12] }), ErrMalformed},
		{"OpusHead version 16", withHead(func(h []byte) []byte { h[8] = 16; return h }), ErrUnsupported},
		{"no channels", withHead(func(h []byte) []byte { h[9] = 0; return h }), ErrMalformed},
		{"mapping family 1", withHead(func(h []byte) []byte { h[18] = 1; return h }), ErrUnsupported},
		{"three channels", withHead(func(h []byte) []byte { h[9] = 3; return h }), ErrUnsupported},
		{"not OpusTags", withTags(func(b []byte) []byte { b[0] = 'X'; return b }), ErrMalformed},
		{"huge vendor length", withTags(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 0xfffffff0); return b }), ErrMalformed},
		{"huge comment count", withTags(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[len(b)-4:], 0xffffffff); return b }), ErrMalformed},
		{"short comment", withTags(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[len(b)-4:], 1)
			return binary.LittleEndian.AppendUint32(b, 100)
		}), ErrMalformed},
		{"tags missing", file(page(flagBOS, 0, 0, opusHead()), page(flagEOS, 960, 1, celt20)), ErrMalformed},
		{"audio on the OpusHead page", file(page(flagBOS, 0, 0, opusHead(), celt20), page(flagEOS, 960, 1, opusTags())), ErrMalformed},
		{"audio on the OpusTags page", file(page(flagBOS, 0, 0, opusHead()), page(flagEOS, 960, 1, opusTags(), celt20)), ErrMalformed},
		{"header granule", file(page(flagBOS, 5, 0, opusHead()), page(0, 0, 1, opusTags()), page(flagEOS, 960, 2, celt20)), ErrMalformed},
		{"no audio", file(page(flagBOS, 0, 0, opusHead()), page(flagEOS, 0, 1, opusTags())), ErrMalformed},
		{"granule beyond the audio", minimal(page(flagEOS, 1<<40, 2, celt20)), ErrMalformed},
		{"granule at the maximum", minimal(page(flagEOS, 1<<63-1, 2, celt20)), ErrMalformed},
		{"negative granule", minimal(page(flagEOS, -5, 2, celt20)), ErrMalformed},
		{"granule goes back", minimal(page(0, 960, 2, celt20), page(flagEOS, 900, 3, celt20)), ErrMalformed},
		{"granule below pre-skip", minimal(page(flagEOS, 100, 2, celt20)), ErrMalformed},
		{"zero-length packet", minimal(page(flagEOS, 960, 2, celt20, nil)), ErrMalformed},
		{"bad TOC", minimal(page(flagEOS, 960, 2, []byte{31<<3 | 3, 0})), ErrMalformed},
		{"continues nothing", minimal(page(flagContinued|flagEOS, 960, 2, celt20)), ErrMalformed},
		{"packet never continued", minimal(pg{granule: noGranule, serial: testSerial, seq: 2, lacing: []byte{255}, body: make([]byte, 255)}, page(flagEOS, 960, 3, celt20)), ErrMalformed},
		{"ends inside a packet", minimal(pg{flags: flagEOS, granule: noGranule, serial: testSerial, seq: 2, lacing: []byte{255}, body: make([]byte, 255)}), ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeTemp(t, c.data)
			if d, err := Info(path); !errors.Is(err, c.want) {
				t.Errorf("Info = %v, %v; want %v", d, err, c.want)
			}
			if err := Decode(path, func([]int16) { t.Error("Decode passed on audio of a bad file") }); !errors.Is(err, c.want) {
				t.Errorf("Decode: %v; want %v", err, c.want)
			}
		})
	}
}

// Info trusts a packet's TOC; libopus finds the rest out, and Decode reports it.
func TestDecodeBadFrame(t *testing.T) {
	path := writeTemp(t, minimal(page(flagEOS, 1920, 2, []byte{31<<3 | 2, 0xff})))
	if _, err := Info(path); err != nil {
		t.Fatal(err)
	}
	if err := Decode(path, func([]int16) {}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Decode: %v", err)
	}
}

func TestTruncatedEverywhere(t *testing.T) {
	valid := noteBytes(t, tonePackets(t, 1500*time.Millisecond))
	dir := t.TempDir()
	path := filepath.Join(dir, "note.ogg")
	for n := range len(valid) {
		if err := os.WriteFile(path, valid[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		if d, err := Info(path); err == nil {
			t.Fatalf("Info of the first %d of %d bytes = %v", n, len(valid), d)
		}
		if n%17 == 0 {
			if err := Decode(path, func([]int16) {}); err == nil {
				t.Fatalf("Decode of the first %d of %d bytes succeeded", n, len(valid))
			}
		}
	}
}

func TestFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.ogg")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxFileSize + 1); err != nil { // sparse
		t.Fatal(err)
	}
	f.Close()
	if _, err := Info(big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Info of a huge file: %v", err)
	}
	if _, err := Info(dir); !errors.Is(err, ErrMalformed) {
		t.Errorf("Info of a folder: %v", err)
	}
	if _, err := Info(filepath.Join(dir, "missing.ogg")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Info of a missing file: %v", err)
	}
}

// A note with an output gain, as another muxer might write, is played louder.
func TestOutputGain(t *testing.T) {
	pkts := tonePackets(t, 200*time.Millisecond)
	plain := noteBytes(t, pkts)
	peak := func(data []byte) int16 {
		var p int16
		if err := Decode(writeTemp(t, data), func(pcm []int16) {
			for _, v := range pcm {
				p = max(p, v)
			}
		}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	louder := bytes.Clone(plain)
	binary.LittleEndian.PutUint16(louder[28+16:], 6*256) // +6 dB, in the first page's OpusHead
	clear(louder[22:26])
	binary.LittleEndian.PutUint32(louder[22:], oggCRC(0, louder[:28+19]))
	p0, p1 := peak(plain), peak(louder)
	if ratio := float64(p1) / float64(p0); ratio < 1.9 || ratio > 2.1 {
		t.Errorf("+6 dB gain: peak %d → %d", p0, p1)
	}
}

// A small file may not claim hours of audio: each 3-byte packet here says
// 120 ms, so a megabyte would decode to almost 12 hours.
func TestDurationLimit(t *testing.T) {
	long := []byte{31<<3 | 3, 6, 0} // 6 × 20 ms, CBR, empty frames
	var pages []pg
	samples := int64(0)
	seq := uint32(2)
	for samples <= int64(maxPlayable/time.Second)*sampleRate {
		var pkts [][]byte
		for range 255 {
			pkts = append(pkts, long)
			samples += 5760
		}
		pages = append(pages, page(0, samples, seq, pkts...))
		seq++
	}
	pages[len(pages)-1].flags = flagEOS
	path := writeTemp(t, minimal(pages...))
	if d, err := Info(path); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Info = %v, %v", d, err)
	}
}
