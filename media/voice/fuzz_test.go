package voice

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzInfo feeds arbitrary files to Info and Decode: they must not panic,
// and when both accept a file they must agree on its length.
func FuzzInfo(f *testing.F) {
	f.Add(noteBytes(f, tonePackets(f, 100*time.Millisecond)))
	f.Add(minimal(page(flagEOS, 960, 2, celt20)))
	f.Add(minimal(page(0, 960, 2, celt20, celt20), page(flagEOS, 1920, 3, []byte{31<<3 | 3, 2, 0, 0})))
	f.Add(file(page(flagBOS, 0, 0, opusHead()), page(flagEOS, 0, 1, opusTags())))
	f.Add([]byte("OggS"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "note.ogg")
		// Random bytes rarely pass the page checksums; the second round
		// fixes them so the fuzzer also reaches the Opus layer.
		for _, b := range [][]byte{data, fixCRCs(data)} {
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			d, infoErr := Info(path)
			n := 0
			decErr := Decode(path, func(pcm []int16) { n += len(pcm) })
			if infoErr != nil && decErr == nil {
				t.Fatalf("Info: %v, but Decode accepted the file", infoErr)
			}
			if infoErr == nil && decErr == nil && time.Duration(n)*time.Second/sampleRate != d {
				t.Fatalf("Info says %v, Decode gave %d samples", d, n)
			}
		}
	})
}

// fixCRCs returns a copy of data with the checksum of each complete page
// recomputed.
func fixCRCs(data []byte) []byte {
	b := bytes.Clone(data)
	for off := 0; off+27 <= len(b) && string(b[off:off+4]) == "OggS"; {
		n := int(b[off+26])
		if off+27+n > len(b) {
			break
		}
		end := off + 27 + n
		for _, l := range b[off+27 : off+27+n] {
			end += int(l)
		}
		if end > len(b) {
			break
		}
		clear(b[off+22 : off+26])
		binary.LittleEndian.PutUint32(b[off+22:], oggCRC(0, b[off:end]))
		off = end
	}
	return b
}
