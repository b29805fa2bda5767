package wire

import (
	"bytes"
	"errors"
	"testing"
)

// Frozen encodings of the pairing messages (see fixtures in wire_test.go).
var pairFixtures = []fixture{
	{"PairHello", PairHello{Nameplate: 7, SID: bytes.Repeat([]byte{0x11}, PairSIDLen), Point: bytes.Repeat([]byte{0x22}, PairPointLen)},
		"0807121011111111111111111111111111111111" + "1a20" + "2222222222222222222222222222222222222222222222222222222222222222"},
	{"PairReply", PairReply{Point: bytes.Repeat([]byte{0x22}, PairPointLen), Name: "Bob", Confirm: bytes.Repeat([]byte{0x33}, PairTagLen)},
		"0a20" + "2222222222222222222222222222222222222222222222222222222222222222" + "1203426f62" + "1a20" + "3333333333333333333333333333333333333333333333333333333333333333"},
	{"PairConfirm", PairConfirm{Name: "Ann", Confirm: bytes.Repeat([]byte{0x44}, PairTagLen)},
		"0a03416e6e" + "1220" + "4444444444444444444444444444444444444444444444444444444444444444"},
	{"PairConfirmMismatch", PairConfirm{}, ""},
	{"PairResult", PairResult{Status: PairPaired}, "0801"},
}

func TestPairFixtures(t *testing.T) { checkFixtures(t, pairFixtures) }

func TestPairValidate(t *testing.T) {
	sid, pt, tag := make([]byte, PairSIDLen), make([]byte, PairPointLen), make([]byte, PairTagLen)
	long := string(make([]byte, MaxNameLen+1))
	cases := []struct {
		name      string
		err, want error
	}{
		{"hello ok", PairHello{Nameplate: 999, SID: sid, Point: pt}.Validate(), nil},
		{"hello nameplate 0", PairHello{SID: sid, Point: pt}.Validate(), ErrInvalid},
		{"hello nameplate 1000", PairHello{Nameplate: 1000, SID: sid, Point: pt}.Validate(), ErrInvalid},
		{"hello short point", PairHello{Nameplate: 1, SID: sid, Point: pt[1:]}.Validate(), ErrInvalid},
		{"hello no sid", PairHello{Nameplate: 1, Point: pt}.Validate(), ErrInvalid},
		{"reply ok", PairReply{Point: pt, Confirm: tag, Name: "Bob"}.Validate(), nil},
		{"reply no tag", PairReply{Point: pt}.Validate(), ErrInvalid},
		{"reply long name", PairReply{Point: pt, Confirm: tag, Name: long}.Validate(), ErrTooLarge},
		{"confirm ok", PairConfirm{Name: "Ann", Confirm: tag}.Validate(), nil},
		{"confirm mismatch", PairConfirm{}.Validate(), nil},
		{"confirm short tag", PairConfirm{Confirm: tag[1:]}.Validate(), ErrInvalid},
		{"confirm long name", PairConfirm{Name: long}.Validate(), ErrTooLarge},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) || (c.want == nil && c.err != nil) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
}

func TestPairBytesWrongType(t *testing.T) {
	var h PairHello
	if err := h.Unmarshal([]byte{0x10, 0x01}); !errors.Is(err, ErrMalformed) { // field 2 as varint
		t.Fatalf("%v, want ErrMalformed", err)
	}
}

// seedPair seeds a corpus with the pairing fixtures and empty or truncated
// byte fields.
func seedPair(f *testing.F) {
	seedWith(f, pairFixtures, []byte{0x12, 0x00, 0x1a, 0x00}, []byte{0x12, 0x05, 0x01})
}

func FuzzPairHello(f *testing.F) {
	seedPair(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[PairHello](t, b) })
}

func FuzzPairReply(f *testing.F) {
	seedPair(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[PairReply](t, b) })
}

func FuzzPairConfirm(f *testing.F) {
	seedPair(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[PairConfirm](t, b) })
}

func FuzzPairResult(f *testing.F) {
	seedPair(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[PairResult](t, b) })
}
