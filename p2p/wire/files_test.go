package wire

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// fixtureHash is 00 01 02 … 1f.
var fixtureHash = func() (h [32]byte) {
	for i := range h {
		h[i] = byte(i)
	}
	return h
}()

// Frozen encodings of the file protocol's messages; see fixtures.
var fileFixtures = []fixture{
	{"FileOffer", FileOffer{TransferID: "t1", Name: "report.pdf", Size: 1234567, MIME: "application/pdf", SHA256: fixtureHash, VoiceNote: true},
		"0a027431120a7265706f72742e7064661887ad4b220f6170706c69636174696f6e2f7064662a20000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f3001"},
	{"FileOfferEmptyFile", FileOffer{TransferID: "t2", Name: "empty"},
		"0a0274321205656d7074792a200000000000000000000000000000000000000000000000000000000000000000"},
	{"FileOfferGroup", FileOffer{TransferID: "t3", Name: "a", Group: "000102030405060708090a0b0c0d0e0f"},
		"0a0274331201612a2000000000000000000000000000000000000000000000000000000000000000003a203030303130323033303430353036303730383039306130623063306430653066"},
	{"FileFetch", FileFetch{TransferID: "t1", Offset: 1 << 20},
		"0a02743110808040"},
	{"FileControl", FileControl{TransferID: "t1", Kind: FilePause, Reason: "on a train"},
		"0a02743110011a0a6f6e206120747261696e"},
	{"FileRequestFetch", FileRequest{Fetch: &FileFetch{TransferID: "t1", Offset: 5}},
		"12060a0274311005"},
	{"FileRequestControl", FileRequest{Control: &FileControl{TransferID: "t1", Kind: FileCancel}},
		"1a060a0274311003"},
	{"FileRequestOffer", FileRequest{Offer: &FileOffer{TransferID: "t2", Name: "a.txt", Size: 3, SHA256: fixtureHash}},
		"0a2f0a0274321205612e74787418032a20000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"},
	{"FileReplyOK", FileReply{Status: FileOK, Size: 1 << 30},
		"0801188080808004"},
	{"FileReplyRefused", FileReply{Status: FileRefused, Reason: "the transfer is paused"},
		"08021216746865207472616e7366657220697320706175736564"},
	{"FileChunk", FileChunk{Offset: 262144, Data: []byte("hello"), CRC: 0x9a71bb4c},
		"08808010120568656c6c6f1d4cbb719a"},
}

func TestFileFixtures(t *testing.T) { checkFixtures(t, fileFixtures) }

func TestFileChunkCRCIsCastagnoli(t *testing.T) {
	if got := crc32.Checksum([]byte("hello"), crc32.MakeTable(crc32.Castagnoli)); got != 0x9a71bb4c {
		t.Fatalf("crc32c(hello) = %#x; the fixture's checksum is not CRC-32C", got)
	}
}

func TestFileChunkSizeAndAppend(t *testing.T) {
	for _, c := range []FileChunk{
		{},
		{Offset: 1, Data: []byte{0}},
		{Offset: MaxFileSize, Data: make([]byte, MaxFileChunk), CRC: 0xffffffff},
	} {
		b := c.Append([]byte("prefix"))
		if !bytes.HasPrefix(b, []byte("prefix")) || len(b)-6 != c.Size() {
			t.Fatalf("Append wrote %d bytes, Size says %d", len(b)-6, c.Size())
		}
	}
	if n := (FileChunk{Offset: MaxFileSize, Data: make([]byte, MaxFileChunk), CRC: 1}).Size(); n+5 > MaxFileChunkFrame {
		t.Fatalf("largest chunk frame is %d bytes, limit %d", n+5, MaxFileChunkFrame)
	}
}

func TestFileUnmarshalErrors(t *testing.T) {
	cases := []struct {
		name string
		msg  unmarshaler
		hex  string
	}{
		{"offer short hash", new(FileOffer), "2a03010203"},
		{"offer long hash", new(FileOffer), "2a21" + strings.Repeat("00", 33)},
		{"offer hash as varint", new(FileOffer), "2801"},
		{"offer size as bytes", new(FileOffer), "1a0101"},
		{"chunk crc as varint", new(FileChunk), "1801"},
		{"chunk crc short", new(FileChunk), "1d0102"},
		{"chunk data truncated", new(FileChunk), "120568656c"},
		{"request offer not a message", new(FileRequest), "0a03ffffff"},
		{"request fetch as varint", new(FileRequest), "1001"},
		{"reply bad utf8 reason", new(FileReply), "1202c328"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, _ := hex.DecodeString(c.hex)
			if err := c.msg.Unmarshal(b); !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestFileValidate(t *testing.T) {
	ok := FileOffer{TransferID: "0123abcd", Name: "Photo 1 (2).jpg", Size: 10}
	with := func(f func(*FileOffer)) error { o := ok; f(&o); return o.Validate() }
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"offer ok", ok.Validate(), nil},
		{"offer max", with(func(o *FileOffer) {
			o.Size, o.Name, o.MIME = MaxFileSize, strings.Repeat("n", MaxFileNameLen), strings.Repeat("m", MaxMIMELen)
		}), nil},
		{"offer unicode name", with(func(o *FileOffer) { o.Name = "Grüße ☃.txt" }), nil},
		{"offer empty file", with(func(o *FileOffer) { o.Size = 0 }), nil},
		{"offer group", with(func(o *FileOffer) { o.Group = strings.Repeat("ab", GroupIDLen/2) }), nil},
		{"offer group short", with(func(o *FileOffer) { o.Group = "ab" }), ErrInvalid},
		{"offer group not hex", with(func(o *FileOffer) { o.Group = strings.Repeat("z", GroupIDLen) }), ErrInvalid},
		{"offer negative size", with(func(o *FileOffer) { o.Size = -1 }), ErrInvalid},
		{"offer huge", with(func(o *FileOffer) { o.Size = MaxFileSize + 1 }), ErrInvalid},
		{"offer no id", with(func(o *FileOffer) { o.TransferID = "" }), ErrInvalid},
		{"offer id path", with(func(o *FileOffer) { o.TransferID = "../../etc" }), ErrInvalid},
		{"offer id slash", with(func(o *FileOffer) { o.TransferID = "a/b" }), ErrInvalid},
		{"offer id dot", with(func(o *FileOffer) { o.TransferID = ".hidden" }), ErrInvalid},
		{"offer id long", with(func(o *FileOffer) { o.TransferID = strings.Repeat("a", MaxIDLen+1) }), ErrTooLarge},
		{"offer no name", with(func(o *FileOffer) { o.Name = "" }), ErrInvalid},
		{"offer dot", with(func(o *FileOffer) { o.Name = "." }), ErrInvalid},
		{"offer dotdot", with(func(o *FileOffer) { o.Name = ".." }), ErrInvalid},
		{"offer slash", with(func(o *FileOffer) { o.Name = "../passwd" }), ErrInvalid},
		{"offer backslash", with(func(o *FileOffer) { o.Name = `..\boot.ini` }), ErrInvalid},
		{"offer nul", with(func(o *FileOffer) { o.Name = "a\x00.txt" }), ErrInvalid},
		{"offer newline", with(func(o *FileOffer) { o.Name = "a\n.txt" }), ErrInvalid},
		{"offer long name", with(func(o *FileOffer) { o.Name = strings.Repeat("n", MaxFileNameLen+1) }), ErrTooLarge},
		{"offer long mime", with(func(o *FileOffer) { o.MIME = strings.Repeat("m", MaxMIMELen+1) }), ErrTooLarge},
		{"fetch ok", FileFetch{TransferID: "t", Offset: 5}.Validate(), nil},
		{"fetch negative", FileFetch{TransferID: "t", Offset: -5}.Validate(), ErrInvalid},
		{"fetch beyond max", FileFetch{TransferID: "t", Offset: MaxFileSize + 1}.Validate(), ErrInvalid},
		{"control ok", FileControl{TransferID: "t", Kind: FileReceived}.Validate(), nil},
		{"control kind 0", FileControl{TransferID: "t"}.Validate(), ErrInvalid},
		{"control kind 6", FileControl{TransferID: "t", Kind: FileQuarantined, Reason: "Eicar-Signature"}.Validate(), nil},
		{"control kind 7", FileControl{TransferID: "t", Kind: 7}.Validate(), ErrInvalid},
		{"control reason", FileControl{TransferID: "t", Kind: FileCancel, Reason: strings.Repeat("r", MaxReasonLen+1)}.Validate(), ErrTooLarge},
		{"request none", FileRequest{}.Validate(), ErrInvalid},
		{"request two", FileRequest{Fetch: &FileFetch{TransferID: "t"}, Control: &FileControl{TransferID: "t", Kind: 1}}.Validate(), ErrInvalid},
		{"request bad inner", FileRequest{Fetch: &FileFetch{}}.Validate(), ErrInvalid},
		{"request ok", FileRequest{Offer: &ok}.Validate(), nil},
		{"reply ok", FileReply{Status: FileOK, Size: 7}.Validate(), nil},
		{"reply status 0", FileReply{}.Validate(), ErrInvalid},
		{"reply negative size", FileReply{Status: FileOK, Size: -1}.Validate(), ErrInvalid},
		{"reply reason", FileReply{Status: FileRefused, Reason: strings.Repeat("r", MaxReasonLen+1)}.Validate(), ErrTooLarge},
		{"chunk ok", FileChunk{Offset: 3, Data: make([]byte, MaxFileChunk)}.Validate(), nil},
		{"chunk empty", FileChunk{Offset: 3}.Validate(), ErrInvalid},
		{"chunk big", FileChunk{Data: make([]byte, MaxFileChunk+1)}.Validate(), ErrTooLarge},
		{"chunk negative", FileChunk{Offset: -1, Data: []byte{1}}.Validate(), ErrInvalid},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) || (c.want == nil && c.err != nil) {
			t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
		}
	}
}

func TestReadFrameInto(t *testing.T) {
	var stream bytes.Buffer
	WriteFrame(&stream, []byte("first"))
	WriteFrame(&stream, bytes.Repeat([]byte("x"), 100))
	WriteFrame(&stream, []byte("3rd"))
	WriteFrame(&stream, bytes.Repeat([]byte("y"), 1000)) // above the limit
	r := bufio.NewReader(&stream)
	buf := make([]byte, 0, 16)
	p, err := ReadFrameInto(r, 200, buf)
	if err != nil || string(p) != "first" || &p[0] != &buf[:1][0] {
		t.Fatalf("%q %v (or not read into buf)", p, err)
	}
	p, err = ReadFrameInto(r, 200, buf) // too big for buf: a new one
	if err != nil || len(p) != 100 {
		t.Fatalf("%d %v", len(p), err)
	}
	if p, err = ReadFrameInto(r, 200, p); err != nil || string(p) != "3rd" {
		t.Fatalf("%q %v", p, err)
	}
	if _, err := ReadFrameInto(r, 200, buf); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err = %v, want ErrFrameTooLarge", err)
	}
	if _, err := ReadFrameInto(bufio.NewReader(bytes.NewReader(nil)), 200, buf); err != io.EOF {
		t.Fatalf("err = %v, want io.EOF", err)
	}
	if _, err := ReadFrameInto(bufio.NewReader(bytes.NewReader([]byte{5, 'a'})), 200, buf); !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
}
